"""(a) The whole main job in four browsers at once: the Dinkes Pontianak officer files an urgent
need, BKPSDM verifies it, the BKN designer takes it, asks, gets an answer, designs a program,
proposes it, BKPSDM asks for changes, the designer revises and proposes revision 2, the BKN
approver and BKPSDM approve, the designer adds a session, schedules and starts delivery. Each
side's dashboard is checked for whose turn it is along the way."""

from __future__ import annotations

import re
import uuid

from sinergi_browser import (
    APPROVER,
    BKPSDM,
    DESIGNER,
    OFFICER,
    act,
    act_with_comment,
    dashboard_section,
    expect,
    need_status,
    program_status,
    row_with_link,
    turn_text,
)

WAITING = "Menunggu Anda"
TO_SIGN = "Usulan program menunggu persetujuan Anda"
JOINT = "Program bersama yang berjalan"
ASN = 14


def waiting_row(actor, title):
    """Go to the dashboard; the row of ``title`` in "Menunggu Anda"."""
    page = actor.page
    page.goto("/dashboard")
    return row_with_link(dashboard_section(page, WAITING), title)


def expect_program_turn(row, turn: str) -> None:
    """The joint-programs row says whose turn it is: ``data-turn`` ("bkn", "pemda", "both")
    and a visible "Menunggu …" text naming that side."""
    cell = row.locator("[data-turn]")
    expect(cell).to_have_attribute("data-turn", turn)
    if turn == "bkn":
        expect(cell).to_contain_text(re.compile(r"Menunggu (persetujuan: )?BKN ·"))
    elif turn == "pemda":
        expect(cell).to_contain_text(re.compile(r"Menunggu (persetujuan: )?Pem(da|erintah)"))
    else:
        expect(cell).to_contain_text(re.compile(r"Menunggu .*BKN.*Pem(da|erintah)"))


def board_row(actor, heading, title):
    page = actor.page
    page.goto("/dashboard")
    return row_with_link(dashboard_section(page, heading), title)


def file_need(page, title: str) -> None:
    page.goto("/dashboard")
    page.get_by_role("link", name="+ Usulan baru").click()
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
    page.fill("#indicator_baseline", "35,5")
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


def design_program(page, title: str, need_title: str) -> None:
    page.get_by_role("link", name="+ Rancang program dari usulan ini").click()
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
    page.fill("#budget-0-amount", "25.000.000")
    page.locator("#program-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/programs/\d+$"))
    expect(page.locator("#program-main h1")).to_have_text(title)
    expect(program_status(page)).to_have_attribute("data-status", "draft")
    expect(page.locator("#program-main")).to_contain_text("20 JP")
    expect(page.locator("#program-main")).to_contain_text("Rp25.000.000")


def test_whole_main_job(actors, watch):
    tag = uuid.uuid4().hex[:6]
    need_title = f"Petugas puskesmas belum mampu mengoperasikan RME {tag}"
    program_title = f"Pelatihan RME bagi Petugas Puskesmas {tag}"

    officer = actors("officer", OFFICER)
    bkpsdm = actors("bkpsdm", BKPSDM)
    designer = actors("designer", DESIGNER)
    approver = actors("approver", APPROVER)

    # The officer files an urgent need and submits it for verification.
    file_need(officer.page, need_title)
    need_url = officer.page.url
    act(officer.page, "submit")
    expect(need_status(officer.page)).to_have_attribute("data-status", "verifying")
    expect(officer.page.locator("#need-main")).to_contain_text("Usulan sudah diajukan.")
    expect(officer.page.locator("#need-timeline")).to_contain_text("mengajukan")

    # BKPSDM sees it waiting on the Pemda and verifies it.
    expect(waiting_row(bkpsdm, need_title)).to_contain_text(turn_text("Menunggu Pemda"))
    expect(waiting_row(designer, need_title)).to_have_count(0)  # not sent to BKN yet
    bkpsdm.page.get_by_role("link", name=need_title, exact=True).first.click()
    act(bkpsdm.page, "verify")
    expect(need_status(bkpsdm.page)).to_have_attribute("data-status", "submitted")

    # Now it is BKN's turn: on the designer's dashboard, no longer on BKPSDM's.
    expect(waiting_row(designer, need_title)).to_contain_text(turn_text("Menunggu BKN"))
    expect(waiting_row(bkpsdm, need_title)).to_have_count(0)

    # The designer takes it and asks a question.
    designer.page.get_by_role("link", name=need_title, exact=True).first.click()
    act(designer.page, "take")
    expect(need_status(designer.page)).to_have_attribute("data-status", "in_review")
    question = "Berapa puskesmas yang sudah memakai aplikasi RME dan versi berapa?"
    act_with_comment(designer.page, "request_info", question)
    expect(need_status(designer.page)).to_have_attribute("data-status", "info_requested")
    expect(designer.page.locator("#need-timeline")).to_contain_text(question)

    # The officer sees the question waiting on the Pemda and answers it.
    expect(waiting_row(officer, need_title)).to_contain_text(turn_text("Menunggu Pemda"))
    expect(waiting_row(designer, need_title)).to_have_count(0)
    officer.page.goto(need_url)
    officer.page.locator("summary[data-action='respond']").click()
    expect(officer.page.locator("#need-main blockquote")).to_have_text(question)
    answer = "Sembilan puskesmas memakai aplikasi versi 2.3; empat belas belum memakai sama sekali."
    act_with_comment(officer.page, "respond", answer)
    expect(need_status(officer.page)).to_have_attribute("data-status", "in_review")
    expect(waiting_row(designer, need_title)).to_contain_text(turn_text("Menunggu BKN"))

    # The designer designs a program from the need and proposes it (revision 1).
    designer.page.goto(need_url)
    expect(designer.page.locator("#need-timeline")).to_contain_text(answer)
    design_program(designer.page, program_title, need_title)
    program_url = designer.page.url
    act(designer.page, "propose")
    expect(program_status(designer.page)).to_have_attribute("data-status", "proposed")
    expect(designer.page.locator("#program-main")).to_contain_text("Revisi 1")
    expect_program_turn(board_row(designer, JOINT, program_title), "both")

    # Both approvers have it in "waiting for your approval"; BKPSDM asks for changes.
    expect(board_row(approver, TO_SIGN, program_title)).to_have_count(1)
    expect(board_row(bkpsdm, TO_SIGN, program_title)).to_have_count(1)
    dashboard_section(bkpsdm.page, TO_SIGN).get_by_role("link", name=program_title).click()
    bkpsdm.page.wait_for_url(program_url)
    comment = "Kuota Kota Pontianak perlu 14 orang dan praktik integrasi minimal 16 JP."
    act_with_comment(bkpsdm.page, "request_changes", comment, prefix="pc")
    expect(program_status(bkpsdm.page)).to_have_attribute("data-status", "changes_requested")
    expect(bkpsdm.page.locator("#sign-off-panel")).to_contain_text(comment)

    # Back to BKN: the designer's turn; the approver no longer has anything to sign.
    expect_program_turn(board_row(designer, JOINT, program_title), "bkn")
    expect(board_row(approver, TO_SIGN, program_title)).to_have_count(0)
    expect_program_turn(board_row(officer, JOINT, program_title), "bkn")

    # The designer edits the proposal and proposes revision 2.
    designer.page.goto(program_url)
    designer.page.locator("#program-main").get_by_role("link", name="Ubah", exact=True).click()
    designer.page.wait_for_url(re.compile(r"/programs/\d+/edit$"))
    expect(designer.page.locator("#title")).to_have_value(program_title)
    expect(designer.page.locator("#modules-1-jp")).to_have_value("12")
    designer.page.fill("#modules-1-jp", "16")
    designer.page.fill("#quotas-0-quota", str(ASN))
    designer.page.locator("#program-form button[type=submit]").click()
    designer.page.wait_for_url(program_url)
    expect(designer.page.locator("#program-main")).to_contain_text("24 JP")
    act(designer.page, "propose")
    expect(program_status(designer.page)).to_have_attribute("data-status", "proposed")
    expect(designer.page.locator("#program-main")).to_contain_text("Revisi 2")

    # The BKN approver approves revision 2 first; then only the Pemda is waited for.
    expect(board_row(approver, TO_SIGN, program_title)).to_have_count(1)
    dashboard_section(approver.page, TO_SIGN).get_by_role("link", name=program_title).click()
    approver.page.wait_for_url(program_url)
    expect(approver.page.locator("button[data-action='approve']")).to_contain_text("revisi 2")
    act(approver.page, "approve")
    expect(approver.page.locator("#program-main")).to_contain_text("Persetujuan Anda tercatat.")
    expect(program_status(approver.page)).to_have_attribute("data-status", "proposed")
    expect(board_row(approver, TO_SIGN, program_title)).to_have_count(0)
    expect_program_turn(board_row(designer, JOINT, program_title), "pemda")
    expect_program_turn(board_row(officer, JOINT, program_title), "pemda")

    # BKPSDM approves too: the program is approved, nothing left to sign.
    expect(board_row(bkpsdm, TO_SIGN, program_title)).to_have_count(1)
    dashboard_section(bkpsdm.page, TO_SIGN).get_by_role("link", name=program_title).click()
    bkpsdm.page.wait_for_url(program_url)
    act(bkpsdm.page, "approve")
    expect(program_status(bkpsdm.page)).to_have_attribute("data-status", "approved")
    expect(board_row(bkpsdm, TO_SIGN, program_title)).to_have_count(0)
    expect_program_turn(board_row(designer, JOINT, program_title), "bkn")

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
    expect(page.locator("#sessions table")).to_contain_text(re.compile(r"1 Maret 2027 08\.00"))
    act(page, "schedule")
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
    expect(nominate.locator("#nomination-form")).to_contain_text("bulan")
    expect(nominate.locator("#nomination-form #name")).to_have_value("Ns. Maya Sari, S.Kep.")
    nominate.locator("#nomination-form #nip").fill("19660801 198803 2 001")
    with nominate.expect_response(lambda r: r.request.method == "POST"):
        nominate.locator("#nomination-form button[type=submit]").click()
    expect(nominate.locator("[data-testid=participants]")).to_contain_text("Ns. Maya Sari")
    # ... and the designer confirms the enrolment before starting.
    page.goto(program_url)
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("[data-action=enrol-all]").click()
    expect(page.locator("[data-testid=participants]")).to_contain_text("Terkonfirmasi")
    act(page, "start")
    expect(program_status(page)).to_have_attribute("data-status", "in_delivery")
    expect(page.locator("#program-timeline")).to_contain_text("memulai pelaksanaan")

    # Everyone on the Pemda side sees the running program, waiting on BKN.
    row = board_row(officer, JOINT, program_title)
    expect(row).to_contain_text("Berlangsung")
    expect_program_turn(row, "bkn")
    officer.page.goto(need_url)
    expect(need_status(officer.page)).to_have_attribute("data-status", "accepted")
    expect(officer.page.locator("#need-programs")).to_contain_text(program_title)
