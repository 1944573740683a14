"""(b) A Kubu Raya user cannot reach a Pontianak-only need or program: not through a link a
Pontianak colleague shares, not by editing the URL, and it is not in their lists."""

from __future__ import annotations

import re

from sinergi_browser import KKR_OFFICER, OFFICER, expect

# Seed records that belong to Kota Pontianak alone (collab/seed.py); this test only reads them.
PONTIANAK_NEED = "Peningkatan Kemampuan Skrining dan Tindak Lanjut Hipertensi di Posbindu PTM"
PONTIANAK_PROGRAM = "Pelatihan Pelayanan Publik Berbasis Teknologi Informasi"
KKR_NEED = "Penerapan Rekam Medis Elektronik di Puskesmas Kabupaten Kubu Raya"


def expect_not_found(page, response) -> None:
    assert response is not None and response.status == 404, response and response.status
    expect(page.locator("main")).to_contain_text("tidak ditemukan")
    expect(page.locator("main")).not_to_contain_text(PONTIANAK_NEED)
    expect(page.locator("main")).not_to_contain_text(PONTIANAK_PROGRAM)


def test_other_pemda_cannot_reach_need_or_program(actors, watch):
    pontianak = actors("pontianak", OFFICER)
    kubu_raya = actors("kubu-raya", KKR_OFFICER)

    # The Pontianak officer finds the need and the program and copies their links.
    page = pontianak.page
    page.goto("/needs/?q=Hipertensi")
    pontianak_id = page.locator("#f-pemda option", has_text="Pemerintah Kota Pontianak")
    pontianak_id = pontianak_id.get_attribute("value")
    assert pontianak_id and pontianak_id.isdigit()
    page.get_by_role("link", name=PONTIANAK_NEED, exact=True).click()
    page.wait_for_url(re.compile(r"/needs/\d+$"))
    expect(page.locator("#need-main h1")).to_have_text(PONTIANAK_NEED)
    need_path = re.sub(r"^https?://[^/]+", "", page.url)
    page.goto("/programs/")
    page.get_by_role("link", name=PONTIANAK_PROGRAM, exact=True).click()
    page.wait_for_url(re.compile(r"/programs/\d+$"))
    expect(page.locator("#program-main h1")).to_have_text(PONTIANAK_PROGRAM)
    program_path = re.sub(r"^https?://[^/]+", "", page.url)
    need_id = need_path.rsplit("/", 1)[1]
    program_id = program_path.rsplit("/", 1)[1]

    forbidden = [
        need_path,
        f"{need_path}/edit",
        f"{need_path}/timeline",
        program_path,
        f"{program_path}/revisions/1",
    ]
    for path in forbidden:
        watch.expect(404, re.escape(path))

    # Kubu Raya opens the shared links: "not found", nothing of the record shows.
    other = kubu_raya.page
    for path in forbidden:
        expect_not_found(other, other.goto(path))

    # ... or edits the URL of one of their own records.
    other.goto("/needs/?q=Rekam+Medis")
    other.get_by_role("link", name=KKR_NEED, exact=True).click()
    other.wait_for_url(re.compile(r"/needs/\d+$"))
    own_url = other.url
    edited = re.sub(r"/needs/\d+$", f"/needs/{need_id}", own_url)
    assert edited != own_url
    expect_not_found(other, other.goto(edited))
    own_program = other.goto(re.sub(r"/needs/\d+$", f"/programs/{program_id}", own_url))
    expect_not_found(other, own_program)

    # Neither is in their lists, even when they search for it or filter by Pontianak.
    other.goto("/needs/")
    expect(other.locator("#needs-list")).to_contain_text(KKR_NEED)
    expect(other.locator("#needs-list")).not_to_contain_text(PONTIANAK_NEED)
    other.goto("/needs/?q=Hipertensi")
    expect(other.locator("#needs-list")).not_to_contain_text(PONTIANAK_NEED)
    expect(other.locator("#needs-list")).to_contain_text("Tidak ada data")
    other.goto(f"/needs/?pemda={pontianak_id}")
    expect(other.locator("#needs-list")).not_to_contain_text(PONTIANAK_NEED)
    other.goto("/programs/")
    expect(other.locator("#programs-list")).not_to_contain_text(PONTIANAK_PROGRAM)
    other.goto(f"/programs/?q=Teknologi&pemda={pontianak_id}")
    expect(other.locator("#programs-list")).not_to_contain_text(PONTIANAK_PROGRAM)
    other.goto("/dashboard")
    expect(other.locator("main")).not_to_contain_text(PONTIANAK_NEED)
    expect(other.locator("main")).not_to_contain_text(PONTIANAK_PROGRAM)

    # The Pontianak side still has both (the refusals changed nothing for them).
    pontianak.page.goto("/needs/?q=Hipertensi")
    expect(pontianak.page.locator("#needs-list")).to_contain_text(PONTIANAK_NEED)
    pontianak.page.goto("/dashboard")
    expect(pontianak.page.locator("#joint-programs")).to_contain_text(PONTIANAK_PROGRAM)
