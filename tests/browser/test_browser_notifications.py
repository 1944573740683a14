"""(e) Working together: a comment posted on the Pemda's side appears on BKN's page and in
BKN's inbox, and the unread badge in the navigation rises without a page reload."""

from __future__ import annotations

import re

from sinergi_browser import BKPSDM, DESIGNER, expect

PROGRAM = "Pelatihan Rekam Medis Elektronik bagi Petugas Puskesmas"


def unread(page) -> int:
    badge = page.locator("#notif-count [data-unread]")
    return int(badge.get_attribute("data-unread")) if badge.count() else 0


def test_comment_reaches_the_other_side_page_and_inbox(actors):
    bkn = actors("bkn", DESIGNER)
    pemda = actors("pemda", BKPSDM)

    # The designer has the program open; the badge shows what was unread before.
    bkn.page.goto("/programs/")
    bkn.page.get_by_role("link", name=PROGRAM, exact=True).click()
    bkn.page.wait_for_url(re.compile(r"/programs/\d+$"))
    program_path = re.sub(r"^https?://[^/]+", "", bkn.page.url)
    before = unread(bkn.page)

    # BKPSDM writes a shared comment naming the designer.
    page = pemda.page
    page.goto(program_path)
    text = "Ruang pelatihan siap. @Rina Kartika, S.Psi. mohon kirim daftar narasumber."
    page.fill("#comment-body", text)
    page.select_option("#comment-visibility", "shared")
    with page.expect_response(lambda r: r.request.method == "POST" and "/comments" in r.url):
        page.get_by_role("button", name="Kirim catatan").click()
    expect(page.locator("#comments-panel")).to_contain_text("mohon kirim daftar narasumber")
    expect(page.locator("#comments-panel")).to_contain_text("Catatan terkirim.")

    # Without reloading, the designer's badge goes up by one (the mention; no duplicate).
    expect(bkn.page.locator("#notif-count [data-unread]")).to_have_attribute(
        "data-unread", str(before + 1), timeout=10_000
    )
    # The designer's inbox names who, where and what; opening it leads to the comment.
    bkn.page.locator("#notif-count").click()
    bkn.page.wait_for_url(re.compile(r"/notifications$"))
    first = bkn.page.get_by_test_id("notification").first
    expect(first).to_contain_text("Uray Firmansyah")
    expect(first).to_contain_text("menyebut Anda")
    expect(first).to_contain_text(PROGRAM)
    first.get_by_role("link").first.click()
    bkn.page.wait_for_url(re.compile(re.escape(program_path) + r"#comment-\d+$"))
    expect(bkn.page.locator("#comments-panel")).to_contain_text("mohon kirim daftar narasumber")
    assert unread(bkn.page) == before  # opening it marked it read
