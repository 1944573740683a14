"""Layout a reader sees, measured in the browser: amounts and status counts stay on one line,
the admin organisation tree keeps one readable size at every level, and the attendance grid's
"save per session" row shows only when JavaScript is off. This test only reads."""

from __future__ import annotations

import re

from sinergi_browser import ADMIN, DESIGNER, OFFICER, expect

IN_DELIVERY = "Bimbingan Teknis Pengelolaan Arsip Dinamis melalui SRIKANDI Angkatan II"

# True when an element's text sits on one line: all its line boxes (text and inline badges,
# whose tops differ by their padding) overlap vertically; a wrapped part starts below the rest.
ONE_LINE_JS = r"""el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
  return Math.max(...rects.map(r => r.top)) < Math.min(...rects.map(r => r.bottom));
}"""


def test_amounts_counts_and_tree_sizes(actors, live_server, pw_browser):
    program_id = live_server.seed_id("program", IN_DELIVERY)

    # A narrow English window: "IDR 21,600,000" stays on one line in the budget table.
    bkn = actors("bkn", DESIGNER)
    page = bkn.page
    page.set_viewport_size({"width": 420, "height": 900})
    page.goto(f"/programs/{program_id}?lang=en")
    amounts = page.locator("#program-main td", has_text=re.compile(r"^IDR [\d,]+$"))
    assert amounts.count() >= 1
    for i in range(amounts.count()):
        assert amounts.nth(i).evaluate(ONE_LINE_JS), amounts.nth(i).inner_text()

    # With JavaScript on, the plain-form fallback row of the attendance grid is hidden.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("#attendance-grid select").first).to_be_visible()
    expect(page.locator("#attendance-grid tfoot tr")).to_be_hidden()

    # Without JavaScript it shows, and its buttons save a session's column.
    context = pw_browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        storage_state=bkn.context.storage_state(),
    )
    try:
        plain = context.new_page()
        plain.goto(f"/programs/{program_id}?lang=en")
        row = plain.locator("#attendance-grid tfoot tr")
        expect(row).to_be_visible()
        expect(row.locator("button").first).to_be_visible()
    finally:
        context.close()

    # The Pemda officer's dashboard: each status badge keeps its count on its line.
    pemda = actors("pemda", OFFICER)
    page = pemda.page
    page.goto("/dashboard?lang=id")
    link = page.locator("a[href='/needs/?status=info_requested']").first
    expect(link).to_be_visible()
    assert link.evaluate(ONE_LINE_JS)

    # The admin's organisation tree: the same font size at every depth, none below 13px.
    admin = actors("admin", ADMIN)
    page = admin.page
    page.goto("/admin/")
    entries = page.locator(".org-tree a")
    assert entries.count() >= 5
    sizes = set(
        entries.evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    )
    assert len(sizes) == 1 and min(sizes) >= 13, sizes
    depths = entries.evaluate_all(
        "els => els.map(e => { let d = 0; for (let n = e; n; n = n.parentElement)"
        " { if (n.tagName === 'UL') d++; } return d; })"
    )
    assert max(depths) >= 3, depths
