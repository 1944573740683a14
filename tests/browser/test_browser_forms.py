"""(c) Every form, submitted empty and with bad values, shows its errors next to the fields and
keeps what the user typed (passwords excepted). Failed submissions change nothing, so the seed
records used here stay as they are for the other tests."""

from __future__ import annotations

import re

from sinergi_browser import (
    ADMIN,
    APPROVER,
    BKPSDM,
    DESIGNER,
    OFFICER,
    expect,
    expect_field_error,
    expect_no_field_error,
    field_error,
    need_status,
    program_status,
)

REQUIRED = re.compile(r"wajib (diisi|dipilih)")
INTEGER = "Harus berupa bilangan bulat."


def submit(page, form: str) -> None:
    """Submit and wait until the server answered and htmx finished swapping, so the next
    assertion cannot pass against the previous response's page."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator(f"{form} button[type=submit]").first.click()
    page.wait_for_load_state()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")


def expect_form_alert(page, form: str) -> None:
    expect(page.locator(f"{form} .alert-danger")).to_contain_text(
        "Periksa kembali isian yang ditandai."
    )


# --- login ------------------------------------------------------------------------------------


def test_login_form_errors(actors, watch):
    watch.expect(422, r"/login")
    visitor = actors("visitor")
    page = visitor.page
    page.goto("/login")

    submit(page, "main form")
    expect_field_error(page, "#email", "Email wajib diisi.")
    expect_field_error(page, "#password", "Kata sandi wajib diisi.")

    page.fill("#email", "  dinkes@pontianak.sinergi.test ")
    page.fill("#password", "kata-sandi-yang-salah")
    page.check("#remember")
    submit(page, "main form")
    expect_field_error(page, "#password", "Email atau kata sandi salah")
    expect_no_field_error(page, "#email")
    expect(page.locator("#email")).to_have_value(re.compile(r"dinkes@pontianak\.sinergi\.test"))
    expect(page.locator("#password")).to_have_value("")  # never echoed back
    expect(page.locator("#remember")).to_be_checked()
    expect(page.get_by_test_id("whoami")).to_have_count(0)


# --- needs ------------------------------------------------------------------------------------


def test_new_and_edit_need_form_errors(actors, live_server, watch):
    watch.expect(422, r"/needs/new")
    watch.expect(422, r"/needs/\d+/edit")
    officer = actors("officer", OFFICER)
    page = officer.page
    page.goto("/needs/new")

    # Empty.
    page.fill("#asn_affected", "")
    submit(page, "#need-form")
    expect_form_alert(page, "#need-form")
    for selector, text in [
        ("#title", "Judul wajib diisi."),
        ("#urusan_code", "Urusan wajib diisi."),
        ("#problem_statement", "Uraian masalah wajib diisi."),
        ("#indicator_name", "Indikator wajib diisi."),
        ("#target_jabatan", "Jabatan sasaran wajib diisi."),
        ("#asn_affected", "Jumlah ASN wajib diisi."),
        ("#urgency", "Urgensi wajib diisi."),
        ("#urgency_justification", "Alasan urgensi wajib diisi."),
    ]:
        expect_field_error(page, selector, text)
    expect(page.locator("#need-form fieldset").nth(2)).to_contain_text(
        "Isi sekurang-kurangnya satu kesenjangan kompetensi."
    )
    assert page.url.endswith("/needs/new")

    # Bad values: every one flagged next to its field, everything typed kept.
    typed = {
        "#title": "Uji isian salah",
        "#problem_statement": "Masalah yang diuraikan.",
        "#indicator_name": "Cakupan layanan",
        "#indicator_baseline": "enam puluh",
        "#indicator_target": "95",
        "#gaps-0-name": "Kompetensi uji",
        "#target_jabatan": "Perawat",
        "#asn_affected": "0",
        "#urgency_justification": "Alasan uji.",
        "#fiscal_year": "1999",
    }
    for selector, value in typed.items():
        page.fill(selector, value)
    page.select_option("#urusan_code", "1.02")
    page.select_option("#urgency", "high")
    page.select_option("#gaps-0-current_level", "4")
    page.select_option("#gaps-0-target_level", "2")
    submit(page, "#need-form")
    expect_field_error(page, "#indicator_baseline", "Harus berupa angka.")
    expect_field_error(page, "#asn_affected", "Jumlah ASN minimal 1.")
    expect_field_error(page, "#fiscal_year", "Tahun anggaran tidak valid.")
    expect_no_field_error(page, "#title")
    for selector, value in typed.items():
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#urusan_code")).to_have_value("1.02")
    expect(page.locator("#urgency")).to_have_value("high")
    expect(page.locator("#gaps-0-current_level")).to_have_value("4")

    # Field rules that need the other fields valid first (the competency-gap levels).
    page.fill("#indicator_baseline", "60")
    page.fill("#asn_affected", "1.250")  # Indonesian thousands separator: 1250
    page.fill("#fiscal_year", "2027")
    submit(page, "#need-form")
    expect(page.locator("#gaps-0-target_level")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(field_error(page, "#gaps-0-target_level")).to_contain_text(
        "Level target harus lebih tinggi dari level saat ini."
    )
    expect_no_field_error(page, "#asn_affected")
    expect(page.locator("#asn_affected")).to_have_value("1.250")
    expect(page.locator("#gaps-0-name")).to_have_value("Kompetensi uji")

    # Edit a draft (seed need of a Puskesmas under Dinkes): clear and spoil fields.
    need_id = live_server.seed_id(
        "need", "Penemuan dan Pemeriksaan Orang Terduga Tuberkulosis di Puskesmas Kampung Dalam"
    )
    page.goto(f"/needs/{need_id}")
    expect(need_status(page)).to_have_attribute("data-status", "draft")
    page.locator("#need-main").get_by_role("link", name="Ubah", exact=True).click()
    page.wait_for_url(re.compile(rf"/needs/{need_id}/edit$"))
    indicator = page.locator("#indicator_name").input_value()
    assert indicator
    page.fill("#title", "")
    page.fill("#asn_affected", "banyak")
    page.fill("#indicator_target", "1e999")
    page.fill("#urgency_justification", "Alasan baru yang belum tersimpan.")
    submit(page, "#need-form")
    expect_form_alert(page, "#need-form")
    expect_field_error(page, "#title", "Judul wajib diisi.")
    expect_field_error(page, "#asn_affected", INTEGER)
    expect_field_error(page, "#indicator_target", re.compile(r"angka", re.I))
    expect(page.locator("#asn_affected")).to_have_value("banyak")
    expect(page.locator("#indicator_target")).to_have_value("1e999")
    expect(page.locator("#urgency_justification")).to_have_value(
        "Alasan baru yang belum tersimpan."
    )
    expect(page.locator("#indicator_name")).to_have_value(indicator)
    assert page.url.endswith(f"/needs/{need_id}/edit")


# --- transition comments ------------------------------------------------------------------------


def comment_error(page, textarea: str, text):
    """The comment error shows under the textarea, whose <details> stays open."""
    expect(page.locator(textarea)).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(field_error(page, textarea)).to_contain_text(text)
    expect(page.locator(textarea).locator("xpath=ancestor::details[1]")).to_have_attribute(
        "open", ""
    )


def try_comment(page, action: str, text: str, prefix: str) -> None:
    summary = page.locator(f"summary[data-action='{action}']")
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.click()
    page.locator(f"#{prefix}-{action}").fill(text)
    page.locator(f"#{prefix}-{action} ~ button[type=submit]").click()


def test_transition_comment_errors(actors, live_server, watch):
    """Comment actions of both sides, on needs and on programs: empty → "wajib diisi" next to
    the textarea, too long → the limit, with the typed text kept; the status does not change."""
    watch.expect(422, r"/needs/\d+/actions/(return|respond|request_info|decline)")
    watch.expect(422, r"/programs/\d+/actions/(request_changes|cancel)")
    too_long = "Catatan terlalu panjang. " * 210  # 5,040 characters; the limit is 5,000
    limit = re.compile(r"Maksimal 5000 karakter")

    bkpsdm = actors("bkpsdm", BKPSDM)
    designer = actors("designer", DESIGNER)
    approver = actors("approver", APPROVER)

    # Pemda side on a need waiting for verification: Kembalikan.
    verifying = live_server.seed_id(
        "need", "Penerapan Asesmen Diagnostik dan Formatif bagi Guru Sekolah Dasar"
    )
    page = bkpsdm.page
    page.goto(f"/needs/{verifying}")
    try_comment(page, "return", "", "c")
    comment_error(page, "#c-return", "Catatan wajib diisi.")
    try_comment(page, "return", too_long, "c")
    comment_error(page, "#c-return", limit)
    expect(page.locator("#c-return")).to_have_value(too_long)
    expect(need_status(page)).to_have_attribute("data-status", "verifying")

    # Pemda side answering BKN's question: Jawab.
    asked = live_server.seed_id(
        "need", "Pelayanan Publik Berbasis Teknologi Informasi untuk Peningkatan Indeks SPBE"
    )
    page.goto(f"/needs/{asked}")
    try_comment(page, "respond", "   \n  ", "c")
    comment_error(page, "#c-respond", "Jawaban wajib diisi.")
    expect(need_status(page)).to_have_attribute("data-status", "info_requested")

    # BKN side on needs: Minta Informasi and Tolak.
    in_review = live_server.seed_id(
        "need", "Peningkatan Kemampuan Skrining dan Tindak Lanjut Hipertensi di Posbindu PTM"
    )
    page = designer.page
    page.goto(f"/needs/{in_review}")
    try_comment(page, "request_info", "", "c")
    comment_error(page, "#c-request_info", "Pertanyaan wajib diisi.")
    try_comment(page, "decline", too_long, "c")
    comment_error(page, "#c-decline", limit)
    expect(page.locator("#c-decline")).to_have_value(too_long)
    expect(need_status(page)).to_have_attribute("data-status", "in_review")

    # Program sign-off comments: BKPSDM's Minta Revisi, the BKN approver's Batalkan.
    proposed = live_server.seed_id(
        "program", "Pelatihan Rekam Medis Elektronik bagi Petugas Puskesmas"
    )
    page = bkpsdm.page
    page.goto(f"/programs/{proposed}")
    try_comment(page, "request_changes", "", "pc")
    comment_error(page, "#pc-request_changes", "Catatan wajib diisi.")
    try_comment(page, "request_changes", too_long, "pc")
    comment_error(page, "#pc-request_changes", limit)
    expect(page.locator("#pc-request_changes")).to_have_value(too_long)
    expect(program_status(page)).to_have_attribute("data-status", "proposed")

    scheduled = live_server.seed_id("program", "Bimbingan Teknis Pengelolaan Keuangan Daerah")
    page = approver.page
    page.goto(f"/programs/{scheduled}")
    try_comment(page, "cancel", "", "pc")
    comment_error(page, "#pc-cancel", "Alasan wajib diisi.")
    expect(program_status(page)).to_have_attribute("data-status", "scheduled")

    # The designer's own draft program: Batalkan without a reason.
    draft = live_server.seed_id("program", "Coaching Triase Gawat Darurat")
    page = designer.page
    page.goto(f"/programs/{draft}")
    try_comment(page, "cancel", "", "pc")
    comment_error(page, "#pc-cancel", "Alasan wajib diisi.")
    expect(program_status(page)).to_have_attribute("data-status", "draft")


# --- programs ---------------------------------------------------------------------------------


def test_new_program_form_errors(actors, watch):
    watch.expect(422, r"/programs/new")
    designer = actors("designer", DESIGNER)
    page = designer.page
    page.goto("/programs/new")

    page.fill("#fiscal_year", "")
    page.fill("#min_attendance_pct", "")
    submit(page, "#program-form")
    expect_form_alert(page, "#program-form")
    expect_field_error(page, "#title", "Judul wajib diisi.")
    expect_field_error(page, "#objectives", "Tujuan wajib diisi.")
    expect_field_error(page, "#fiscal_year", "Tahun anggaran wajib diisi.")
    expect_field_error(page, "#min_attendance_pct", "Kehadiran minimal wajib diisi.")
    assert page.url.endswith("/programs/new")

    typed = {
        "#title": "Program uji isian salah",
        "#objectives": "Tujuan uji.",
        "#fiscal_year": "2027",
        "#competencies-0-name": "Kompetensi uji",
        "#modules-0-title": "Modul tanpa JP",
        "#modules-1-title": "Modul dua",
        "#modules-1-jp": "dua",
        "#planned_start": "2027-05-10",
        "#planned_end": "2027-05-01",
        "#venue": "Aula uji",
        "#min_attendance_pct": "150",
        "#quotas-0-quota": "-5",
        "#budget-0-amount": "sejuta",
    }
    for selector, value in typed.items():
        page.fill(selector, value)
    page.select_option("#development_type_id", "8")
    submit(page, "#program-form")
    expect_form_alert(page, "#program-form")
    expect_field_error(page, "#modules-1-jp", INTEGER)
    expect_field_error(page, "#planned_end", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
    expect_field_error(page, "#min_attendance_pct", "Isi 0–100.")
    expect_field_error(page, "#quotas-0-quota", "Kuota 0–100.000.")
    expect_field_error(page, "#budget-0-amount", INTEGER)
    expect_no_field_error(page, "#title")
    for selector, value in typed.items():
        expect(page.locator(selector)).to_have_value(value)
    expect(page.locator("#development_type_id")).to_have_value("8")

    # Fix the field errors: a module without JP, and no need chosen, are caught next.
    page.fill("#modules-1-jp", "2")
    page.fill("#planned_end", "2027-05-12")
    page.fill("#min_attendance_pct", "80")
    page.fill("#quotas-0-quota", "")
    page.fill("#budget-0-amount", "1.000.000")
    submit(page, "#program-form")
    expect_field_error(page, "#modules-0-jp", "JP wajib diisi.")
    page.fill("#modules-0-jp", "4")
    submit(page, "#program-form")
    need_box = page.locator("#program-form fieldset").first
    expect(need_box.locator(".field-error")).to_contain_text(
        "Pilih sekurang-kurangnya satu usulan."
    )
    expect(page.locator("#modules-0-jp")).to_have_value("4")
    expect(page.locator("#budget-0-amount")).to_have_value("1.000.000")
    expect(page.locator("#title")).to_have_value(typed["#title"])
    assert page.url.endswith("/programs/new")


def test_session_form_errors(actors, live_server, watch):
    watch.expect(422, r"/programs/\d+/sessions")
    designer = actors("designer", DESIGNER)
    page = designer.page
    draft = live_server.seed_id("program", "Coaching Triase Gawat Darurat")
    page.goto(f"/programs/{draft}")
    sessions = page.locator("#sessions")
    before = sessions.locator("table tbody tr").count()

    sessions.locator("button[type=submit]").click()
    expect_field_error(page, "#sessions #starts_at", "Waktu mulai wajib diisi.")
    expect_field_error(page, "#sessions #ends_at", "Waktu selesai wajib diisi.")
    expect_field_error(page, "#sessions #topic", "Topik wajib diisi.")
    expect_field_error(page, "#sessions #location", "Tempat wajib diisi.")
    expect_field_error(page, "#sessions #jp", "JP wajib diisi.")

    sessions = page.locator("#sessions")
    sessions.locator("#starts_at").fill("2027-04-05T09:00")
    sessions.locator("#ends_at").fill("2027-04-05T12:00")
    sessions.locator("#topic").fill("Triase di IGD")
    sessions.locator("#location").fill("RSUD Sultan Syarif Mohamad Alkadrie")
    sessions.locator("#jp").fill("nol")
    sessions.locator("button[type=submit]").click()
    expect_field_error(page, "#sessions #jp", INTEGER)
    expect_no_field_error(page, "#sessions #topic")
    sessions = page.locator("#sessions")
    expect(sessions.locator("#starts_at")).to_have_value("2027-04-05T09:00")
    expect(sessions.locator("#topic")).to_have_value("Triase di IGD")
    expect(sessions.locator("#jp")).to_have_value("nol")

    sessions.locator("#jp").fill("4")
    sessions.locator("#ends_at").fill("2027-04-05T08:00")
    sessions.locator("button[type=submit]").click()
    expect_field_error(page, "#sessions #ends_at", "Waktu selesai harus setelah waktu mulai.")
    sessions = page.locator("#sessions")
    expect(sessions.locator("#ends_at")).to_have_value("2027-04-05T08:00")
    expect(sessions.locator("#jp")).to_have_value("4")
    expect(sessions.locator("#location")).to_have_value("RSUD Sultan Syarif Mohamad Alkadrie")
    expect(sessions.locator("table tbody tr")).to_have_count(before)
    expect(program_status(page)).to_have_attribute("data-status", "draft")


# --- admin ------------------------------------------------------------------------------------


def test_admin_organization_and_user_form_errors(actors, watch):
    watch.expect(422, r"/admin/(organizations|users)/new")
    admin = actors("admin", ADMIN)
    page = admin.page

    page.goto("/admin/organizations/new")
    submit(page, "main form")
    expect_field_error(page, "#name", "Nama wajib diisi.")
    page.fill("#name", "Puskesmas Uji Tanpa Induk")
    page.select_option("#kind", "opd")
    page.select_option("#region_code", "61.71")
    page.select_option("#timezone", "Asia/Pontianak")
    submit(page, "main form")
    expect_field_error(page, "#parent_id", "OPD harus berada di bawah Pemda atau OPD lain.")
    expect(page.locator("#name")).to_have_value("Puskesmas Uji Tanpa Induk")
    expect(page.locator("#kind")).to_have_value("opd")
    expect(page.locator("#region_code")).to_have_value("61.71")
    expect(page.locator("#timezone")).to_have_value("Asia/Pontianak")

    page.goto("/admin/users/new")
    submit(page, "main form")
    expect_field_error(page, "#email", "Email wajib diisi.")
    expect_field_error(page, "#name", "Nama wajib diisi.")
    expect_field_error(page, "#org_id", "Organisasi wajib dipilih.")

    page.fill("#email", "bukan-alamat-email")
    page.fill("#name", "Siti Uji")
    page.fill("#nip", "12345")
    page.select_option("#org_id", label="Dinas Kesehatan Kota Pontianak")
    page.fill("#password", "rahasia-yang-cukup-panjang")
    submit(page, "main form")
    expect_field_error(page, "#email", "Alamat email tidak valid.")
    expect_field_error(page, "#nip", "NIP terdiri dari 18 angka.")
    expect(page.locator("#email")).to_have_value("bukan-alamat-email")
    expect(page.locator("#name")).to_have_value("Siti Uji")
    expect(page.locator("#nip")).to_have_value("12345")
    expect(page.locator("#org_id option:checked")).to_have_text("Dinas Kesehatan Kota Pontianak")
    expect(page.locator("#password")).to_have_value("")

    page.fill("#email", "siti.uji@pontianak.go.id")
    page.fill("#nip", "199001012015032001")
    page.select_option("#role", "bkn_designer")
    page.fill("#password", "pendek")
    submit(page, "main form")
    expect_field_error(page, "#role", "Peran BKN hanya untuk akun di unit BKN.")
    expect_field_error(page, "#password", "Kata sandi minimal 12 karakter.")
    expect(page.locator("#email")).to_have_value("siti.uji@pontianak.go.id")
    expect(page.locator("#role")).to_have_value("bkn_designer")
    expect(page.locator("#nip")).to_have_value("199001012015032001")


def test_admin_new_user_empty_submit_flags_password(actors, watch):
    watch.expect(422, r"/admin/users/new")
    admin = actors("admin", ADMIN)
    page = admin.page
    page.goto("/admin/users/new")
    submit(page, "main form")
    expect_field_error(page, "#email", "Email wajib diisi.")  # the page has been re-rendered
    assert field_error(page, "#password").all_inner_texts() == ["Kata sandi wajib diisi."]


def test_program_form_shows_curriculum_row_summary(actors, watch):
    watch.expect(422, r"/programs/new")
    designer = actors("designer", DESIGNER)
    page = designer.page
    page.goto("/programs/new")
    page.fill("#title", "Program uji kurikulum")
    page.fill("#objectives", "Tujuan uji.")
    page.fill("#modules-0-title", "Modul tanpa JP")
    submit(page, "#program-form")
    expect_field_error(page, "#modules-0-jp", "JP wajib diisi.")  # the form has been swapped
    assert "Lengkapi baris kurikulum." in page.locator("#program-form").inner_text()
