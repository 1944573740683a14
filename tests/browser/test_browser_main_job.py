"""(a) The whole main job in four browsers at once: the Dinkes Pontianak officer files an urgent
need, BKPSDM verifies it, the BKN designer takes it, asks, gets an answer, designs a program,
proposes it, BKPSDM asks for changes, the designer revises and proposes revision 2, the BKN
approver and BKPSDM approve, the designer adds a session, schedules and starts delivery. Each
side's dashboard is checked for whose turn it is along the way.

The job runs once in each UI language (``[id]``, ``[en]``): in English every actor switches with
the navigation's "EN" link after signing in, every text looked for comes from the app's
catalogue (``tr``), numbers are typed the English way, and a few pages are checked to be
English through and through."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from sinergi_browser import (
    APPROVER,
    BKPSDM,
    DESIGNER,
    LANGUAGES,
    OFFICER,
    act,
    act_with_comment,
    dashboard_section,
    expect,
    indonesian_texts,
    need_status,
    program_status,
    row_with_link,
    tr,
    tr_re,
    trn,
    turn_text,
)

WAITING = "Menunggu Anda"
TO_SIGN = "Usulan program menunggu persetujuan Anda"
JOINT = "Program bersama yang berjalan"
ASN = 14

# Shown by Babel's locale data, not the catalogue: what each language's reader expects.
BUDGET_SHOWN = {"id": "Rp25.000.000", "en": "IDR 25,000,000"}
SESSION_START_SHOWN = {"id": r"1 Maret 2027 08\.00", "en": r"1 March 2027 08:00"}


def number(lang: str, value: str) -> str:
    """``value`` ("35.5", "25000000") as a person types it in ``lang``: "35,5" and
    "25.000.000" in Indonesian, "35.5" and "25,000,000" in English."""
    return format_decimal(Decimal(value), locale=lang)


def expect_ui_language(page, lang: str, heading: str | None = None) -> None:
    """The page is in ``lang``: ``<html lang>``, the ``<h1>`` (a msgid, when given) and, in
    English, no Indonesian catalogue text left in the visible navigation."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    nav = page.locator("body > nav")  # the site navigation (not a breadcrumb)
    expect(nav.get_by_role("link", name=tr(lang, "Dasbor"), exact=True)).to_be_visible()
    if heading is not None:
        expect(page.locator("h1")).to_have_text(tr(lang, heading))
    if lang == "en":
        assert indonesian_texts(nav) == [], "Indonesian left in the English navigation"


def press(page, lang: str, action: str, label: str) -> None:
    """Click the transition button ``action`` after checking it is labelled ``label``."""
    expect(page.locator(f"button[data-action='{action}']")).to_contain_text(tr(lang, label))
    act(page, action)


def press_with_comment(page, lang, action, label, text, prefix="c") -> None:
    """``act_with_comment`` after checking the action is labelled ``label``."""
    expect(page.locator(f"summary[data-action='{action}']")).to_contain_text(tr(lang, label))
    act_with_comment(page, action, text, prefix)


def waiting_row(actor, lang, title):
    """Go to the dashboard; the row of ``title`` in "Menunggu Anda"."""
    page = actor.page
    page.goto("/dashboard")
    return row_with_link(dashboard_section(page, tr(lang, WAITING)), title)


def expect_program_turn(row, lang: str, turn: str) -> None:
    """The joint-programs row says whose turn it is: ``data-turn`` ("bkn", "pemda", "both")
    and a visible "Menunggu …" text naming that side: the turn label, or "Menunggu
    persetujuan: <the parties yet to sign>"."""
    cell = row.locator("[data-turn]")
    expect(cell).to_have_attribute("data-turn", turn)
    pemda = r"Pem(da|erintah)"  # a Pemda by its organisation's name ("Pemerintah Kota …")
    pending = {"bkn": "BKN ·", "pemda": pemda, "both": f".*BKN.*{pemda}"}[turn]
    label = {"bkn": "Menunggu BKN", "pemda": "Menunggu Pemda", "both": "Menunggu BKN dan Pemda"}
    expect(cell).to_contain_text(
        re.compile(
            f"{re.escape(tr(lang, label[turn]))} ·"
            f"|{tr_re(lang, 'Menunggu persetujuan: %(names)s', names=pending)}"
        )
    )


def board_row(actor, lang, heading, title):
    page = actor.page
    page.goto("/dashboard")
    return row_with_link(dashboard_section(page, tr(lang, heading)), title)


def file_need(page, lang: str, title: str) -> None:
    page.goto("/dashboard")
    page.get_by_role("link", name="+ " + tr(lang, "Usulan baru")).click()
    page.wait_for_url(re.compile(r"/needs/new$"))
    expect(page.locator("#org_id")).to_have_value(re.compile(r"\d+"))
    expect(page.locator("#org_id option:checked")).to_have_text("Dinas Kesehatan Kota Pontianak")
    page.fill("#title", title)
    page.select_option("#urusan_code", "1.02")
    page.fill(
        "#problem_statement",
        "Sejak Januari petugas pendaftaran di 23 puskesmas belum mampu mengoperasikan rekam "
        "medis elektronik; antrean pasien memanjang dan data kunjungan tidak terkirim.",
    )
    page.fill("#indicator_name", "% kunjungan tercatat di rekam medis elektronik")
    page.fill("#indicator_baseline", number(lang, "35.5"))
    page.fill("#indicator_target", "95")
    page.fill("#gaps-0-name", "Pengoperasian rekam medis elektronik")
    page.select_option("#gaps-0-current_level", "1")
    page.select_option("#gaps-0-target_level", "3")
    page.fill("#target_jabatan", "Perekam Medis, Perawat Puskesmas")
    page.fill("#asn_affected", str(ASN))
    page.select_option("#urgency", "critical")
    page.fill(
        "#urgency_justification",
        "Integrasi SATUSEHAT wajib berlaku bulan depan; tanpa pelatihan layanan pendaftaran "
        "puskesmas akan terhenti.",
    )
    page.locator("#need-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/needs/\d+$"))
    expect(page.locator("#need-main h1")).to_have_text(title)
    expect(need_status(page)).to_have_attribute("data-status", "draft")
    expect(need_status(page)).to_have_text(tr(lang, "Draf"))
    # the baseline was read in the page's language (not 355 from "35.5", nor 35.5 from "35,5")
    expect(page.locator("#need-main")).to_contain_text(f"{number(lang, '35.5')} → 95")


def design_program(page, lang: str, title: str, need_title: str) -> None:
    page.get_by_role("link", name="+ " + tr(lang, "Rancang program dari usulan ini")).click()
    page.wait_for_url(re.compile(r"/programs/new\?need=\d+$"))
    need_box = page.locator("#program-form .need-choices label").filter(has_text=need_title)
    expect(need_box).to_have_count(1)
    expect(page.get_by_role("checkbox", name=re.compile(re.escape(need_title)))).to_be_checked()
    page.fill("#title", title)
    page.fill(
        "#objectives",
        "Petugas pendaftaran dan perawat puskesmas mampu mencatat kunjungan di rekam medis "
        "elektronik dan mengirimkannya ke SATUSEHAT.",
    )
    page.select_option("#development_type_id", "3")  # Diklat Teknis
    page.fill("#competencies-0-name", "Pengoperasian rekam medis elektronik")
    page.select_option("#competencies-0-target_level", "3")
    page.fill("#modules-0-title", "Alur pendaftaran dan rekam medis elektronik")
    page.fill("#modules-0-jp", "8")
    page.fill("#modules-1-title", "Praktik integrasi SATUSEHAT")
    page.fill("#modules-1-jp", "12")
    page.fill("#planned_start", "2027-03-01")
    page.fill("#planned_end", "2027-03-03")
    page.fill("#venue", "Aula Dinas Kesehatan Kota Pontianak")
    page.select_option("#quotas-0-org_id", label="Pemerintah Kota Pontianak")
    page.fill("#quotas-0-quota", str(ASN - 2))
    page.select_option("#budget-0-source", "apbn")
    page.fill("#budget-0-description", "Honor narasumber")
    page.fill("#budget-0-amount", number(lang, "25000000"))
    page.locator("#program-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/programs/\d+$"))
    expect(page.locator("#program-main h1")).to_have_text(title)
    expect(program_status(page)).to_have_attribute("data-status", "draft")
    expect(page.locator("#program-main")).to_contain_text("20 JP")
    expect(page.locator("#program-main")).to_contain_text(BUDGET_SHOWN[lang])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_whole_main_job(actors, watch, lang):
    tag = uuid.uuid4().hex[:6]
    need_title = f"Petugas puskesmas belum mampu mengoperasikan RME {tag}"
    program_title = f"Pelatihan RME bagi Petugas Puskesmas {tag}"

    officer = actors("officer", OFFICER)
    bkpsdm = actors("bkpsdm", BKPSDM)
    designer = actors("designer", DESIGNER)
    approver = actors("approver", APPROVER)
    everyone = (officer, bkpsdm, designer, approver)
    if lang != "id":  # Indonesian is the default; the others are chosen after signing in
        for actor in everyone:
            actor.switch_language(lang)
            expect_ui_language(actor.page, lang, heading="Dasbor")

    # The officer files an urgent need and submits it for verification.
    file_need(officer.page, lang, need_title)
    need_url = officer.page.url
    press(officer.page, lang, "submit", "Ajukan")
    expect(need_status(officer.page)).to_have_attribute("data-status", "verifying")
    expect(need_status(officer.page)).to_have_text(tr(lang, "Verifikasi Pemda"))
    expect(officer.page.locator("#need-main")).to_contain_text(tr(lang, "Usulan sudah diajukan."))
    expect(officer.page.locator("#need-timeline")).to_contain_text(tr(lang, "mengajukan"))
    expect_ui_language(officer.page, lang)

    # BKPSDM sees it waiting on the Pemda and verifies it.
    expect(waiting_row(bkpsdm, lang, need_title)).to_contain_text(
        turn_text(tr(lang, "Menunggu Pemda"))
    )
    expect(waiting_row(designer, lang, need_title)).to_have_count(0)  # not sent to BKN yet
    bkpsdm.page.get_by_role("link", name=need_title, exact=True).first.click()
    press(bkpsdm.page, lang, "verify", "Verifikasi")
    expect(need_status(bkpsdm.page)).to_have_attribute("data-status", "submitted")

    # Now it is BKN's turn: on the designer's dashboard, no longer on BKPSDM's.
    expect(waiting_row(designer, lang, need_title)).to_contain_text(
        turn_text(tr(lang, "Menunggu BKN"))
    )
    expect(waiting_row(bkpsdm, lang, need_title)).to_have_count(0)

    # The designer takes it and asks a question.
    designer.page.get_by_role("link", name=need_title, exact=True).first.click()
    press(designer.page, lang, "take", "Tangani")
    expect(need_status(designer.page)).to_have_attribute("data-status", "in_review")
    question = "Berapa puskesmas yang sudah memakai aplikasi RME dan versi berapa?"
    press_with_comment(designer.page, lang, "request_info", "Minta Informasi", question)
    expect(need_status(designer.page)).to_have_attribute("data-status", "info_requested")
    expect(designer.page.locator("#need-timeline")).to_contain_text(question)

    # The officer sees the question waiting on the Pemda and answers it.
    expect(waiting_row(officer, lang, need_title)).to_contain_text(
        turn_text(tr(lang, "Menunggu Pemda"))
    )
    expect(waiting_row(designer, lang, need_title)).to_have_count(0)
    officer.page.goto(need_url)
    officer.page.locator("summary[data-action='respond']").click()
    expect(officer.page.locator("#need-main blockquote")).to_have_text(question)
    answer = "Sembilan puskesmas memakai aplikasi versi 2.3; empat belas belum memakai sama sekali."
    press_with_comment(officer.page, lang, "respond", "Jawab", answer)
    expect(need_status(officer.page)).to_have_attribute("data-status", "in_review")
    expect(waiting_row(designer, lang, need_title)).to_contain_text(
        turn_text(tr(lang, "Menunggu BKN"))
    )

    # The designer designs a program from the need and proposes it (revision 1).
    designer.page.goto(need_url)
    expect(designer.page.locator("#need-timeline")).to_contain_text(answer)
    design_program(designer.page, lang, program_title, need_title)
    program_url = designer.page.url
    press(designer.page, lang, "propose", "Usulkan")
    expect(program_status(designer.page)).to_have_attribute("data-status", "proposed")
    expect(designer.page.locator("#program-main")).to_contain_text(tr(lang, "Revisi %(n)s", n=1))
    expect_program_turn(board_row(designer, lang, JOINT, program_title), lang, "both")

    # Both approvers have it in "waiting for your approval"; BKPSDM asks for changes.
    expect(board_row(approver, lang, TO_SIGN, program_title)).to_have_count(1)
    expect(board_row(bkpsdm, lang, TO_SIGN, program_title)).to_have_count(1)
    dashboard_section(bkpsdm.page, tr(lang, TO_SIGN)).get_by_role(
        "link", name=program_title
    ).click()
    bkpsdm.page.wait_for_url(program_url)
    comment = "Kuota Kota Pontianak perlu 14 orang dan praktik integrasi minimal 16 JP."
    press_with_comment(bkpsdm.page, lang, "request_changes", "Minta Revisi", comment, "pc")
    expect(program_status(bkpsdm.page)).to_have_attribute("data-status", "changes_requested")
    expect(bkpsdm.page.locator("#sign-off-panel")).to_contain_text(comment)

    # Back to BKN: the designer's turn; the approver no longer has anything to sign.
    expect_program_turn(board_row(designer, lang, JOINT, program_title), lang, "bkn")
    expect(board_row(approver, lang, TO_SIGN, program_title)).to_have_count(0)
    expect_program_turn(board_row(officer, lang, JOINT, program_title), lang, "bkn")

    # The designer edits the proposal and proposes revision 2.
    designer.page.goto(program_url)
    designer.page.locator("#program-main").get_by_role(
        "link", name=tr(lang, "Ubah"), exact=True
    ).click()
    designer.page.wait_for_url(re.compile(r"/programs/\d+/edit$"))
    expect(designer.page.locator("#title")).to_have_value(program_title)
    expect(designer.page.locator("#modules-1-jp")).to_have_value("12")
    designer.page.fill("#modules-1-jp", "16")
    designer.page.fill("#quotas-0-quota", str(ASN))
    designer.page.locator("#program-form button[type=submit]").click()
    designer.page.wait_for_url(program_url)
    expect(designer.page.locator("#program-main")).to_contain_text("24 JP")
    press(designer.page, lang, "propose", "Usulkan")
    expect(program_status(designer.page)).to_have_attribute("data-status", "proposed")
    expect(designer.page.locator("#program-main")).to_contain_text(tr(lang, "Revisi %(n)s", n=2))

    # The BKN approver approves revision 2 first; then only the Pemda is waited for.
    expect(board_row(approver, lang, TO_SIGN, program_title)).to_have_count(1)
    dashboard_section(approver.page, tr(lang, TO_SIGN)).get_by_role(
        "link", name=program_title
    ).click()
    approver.page.wait_for_url(program_url)
    expect(approver.page.locator("button[data-action='approve']")).to_contain_text(
        tr(lang, "revisi %(n)s", n=2)
    )
    press(approver.page, lang, "approve", "Setujui")
    expect(approver.page.locator("#program-main")).to_contain_text(
        tr(lang, "Persetujuan Anda tercatat.")
    )
    expect(program_status(approver.page)).to_have_attribute("data-status", "proposed")
    expect(board_row(approver, lang, TO_SIGN, program_title)).to_have_count(0)
    expect_program_turn(board_row(designer, lang, JOINT, program_title), lang, "pemda")
    expect_program_turn(board_row(officer, lang, JOINT, program_title), lang, "pemda")

    # BKPSDM approves too: the program is approved, nothing left to sign.
    expect(board_row(bkpsdm, lang, TO_SIGN, program_title)).to_have_count(1)
    dashboard_section(bkpsdm.page, tr(lang, TO_SIGN)).get_by_role(
        "link", name=program_title
    ).click()
    bkpsdm.page.wait_for_url(program_url)
    press(bkpsdm.page, lang, "approve", "Setujui")
    expect(program_status(bkpsdm.page)).to_have_attribute("data-status", "approved")
    expect(program_status(bkpsdm.page)).to_have_text(tr(lang, "Disetujui"))
    expect_ui_language(bkpsdm.page, lang)
    expect(board_row(bkpsdm, lang, TO_SIGN, program_title)).to_have_count(0)
    expect_program_turn(board_row(designer, lang, JOINT, program_title), lang, "bkn")

    # The designer adds a session, schedules and starts delivery.
    page = designer.page
    page.goto(program_url)
    expect(program_status(page)).to_have_attribute("data-status", "approved")
    sessions = page.locator("#sessions")
    sessions.locator("#starts_at").fill("2027-03-01T08:00")
    sessions.locator("#ends_at").fill("2027-03-01T16:00")
    sessions.locator("#topic").fill("Alur pendaftaran pasien di RME")
    sessions.locator("#location").fill("Aula Dinas Kesehatan")
    sessions.locator("#jp").fill("8")
    sessions.locator("button[type=submit]").click()
    expect(page.locator("#sessions table")).to_contain_text("Alur pendaftaran pasien di RME")
    expect(page.locator("#sessions table")).to_contain_text(re.compile(SESSION_START_SHOWN[lang]))
    press(page, lang, "schedule", "Jadwalkan")
    expect(program_status(page)).to_have_attribute("data-status", "scheduled")

    # BKPSDM nominates a participant by NIP (a mistyped TMT month is named at the field)...
    nominate = bkpsdm.page
    nominate.goto(program_url)
    watch.expect(422, r"/programs/\d+/participants")  # the mistyped NIP below
    form = nominate.locator("#nomination-form")
    form.locator("#nip").fill("19660801 198813 1 001")
    form.locator("#name").fill("Ns. Maya Sari, S.Kep.")
    form.locator("#jabatan").fill("Perekam Medis Terampil")
    form.locator("#unit").fill("Puskesmas Kampung Dalam")
    with nominate.expect_response(lambda r: r.request.method == "POST"):
        form.locator("button[type=submit]").click()
    expect(nominate.locator("#nomination-form")).to_contain_text(
        tr(lang, "Digit 13–14 (bulan TMT CPNS) harus 01–12, bukan %(value)s.", value="13")
    )
    expect(nominate.locator("#nomination-form #name")).to_have_value("Ns. Maya Sari, S.Kep.")
    nominate.locator("#nomination-form #nip").fill("19660801 198803 2 001")
    with nominate.expect_response(lambda r: r.request.method == "POST"):
        nominate.locator("#nomination-form button[type=submit]").click()
    expect(nominate.locator("[data-testid=participants]")).to_contain_text("Ns. Maya Sari")
    # ... and the designer confirms the enrolment before starting.
    page.goto(program_url)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("[data-action=enrol-all]").click()
    assert asked == [trn(lang, "Konfirmasi %(num)s peserta yang diusulkan?", 1)]
    expect(page.locator("#participants-panel")).to_contain_text(
        trn(lang, "%(num)s peserta dikonfirmasi.", 1)
    )
    expect(page.locator("[data-testid=participants]")).to_contain_text(tr(lang, "Terkonfirmasi"))
    press(page, lang, "start", "Mulai")
    expect(program_status(page)).to_have_attribute("data-status", "in_delivery")
    expect(page.locator("#program-timeline")).to_contain_text(tr(lang, "memulai pelaksanaan"))
    enrolled = page.locator("#program-timeline li").filter(
        has_text=tr(lang, "mengonfirmasi peserta")
    )
    expect(enrolled).to_contain_text(re.compile(re.escape(trn(lang, "%(num)s peserta", 1)) + r"\b"))

    # Everyone on the Pemda side sees the running program, waiting on BKN.
    row = board_row(officer, lang, JOINT, program_title)
    expect(row).to_contain_text(tr(lang, "Berlangsung"))
    expect_program_turn(row, lang, "bkn")
    officer.page.goto(need_url)
    expect(need_status(officer.page)).to_have_attribute("data-status", "accepted")
    expect(need_status(officer.page)).to_have_text(tr(lang, "Diterima"))
    expect_ui_language(officer.page, lang)
    expect(officer.page.locator("#need-programs")).to_contain_text(program_title)
