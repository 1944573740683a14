"""The attendance and scores grids carry versions (issue 9, item 4), in the browser: one tab
saves a cell and a scores row again and again (htmx swaps in each answer with the new
version), "Semua hadir" still works after its own cell edits, and a second tab that loaded
the page before gets 409 with the current value and a message, then saves knowingly. The
scores changed here are put back; the first session of that seed program stays filled in (no
other test reads it)."""

from __future__ import annotations

import re

from sinergi_browser import DESIGNER, expect

IN_DELIVERY = "Bimbingan Teknis Pengelolaan Arsip Dinamis melalui SRIKANDI Angkatan II"
CELL_STALE = "Presensi ini sudah diubah di tab lain atau oleh pengguna lain."
COLUMN_STALE = "Presensi sesi ini sudah diubah di tab lain atau oleh pengguna lain."
SCORES_STALE = "Nilai peserta ini sudah diubah di tab lain atau oleh pengguna lain."
CELL_POST = re.compile(r".*/programs/\d+/attendance/\d+/\d+$")
ALL_PRESENT_POST = re.compile(r".*/programs/\d+/attendance/\d+/all-present$")
SCORES_POST = re.compile(r".*/programs/\d+/scores/\d+$")


def _posted(page, pattern, do):
    """Run ``do()`` and return the status of the POST to a URL matching ``pattern``, once
    htmx has swapped the answer in and settled (what a person sees before the next edit)."""
    with page.expect_response(
        lambda r: r.request.method == "POST" and pattern.fullmatch(r.url) is not None
    ) as info:
        do()
    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    expect(page.locator(busy)).to_have_count(0)
    return info.value.status


def _choose(page, cell_id: str, value: str) -> int:
    return _posted(page, CELL_POST, lambda: page.locator(f"#{cell_id} select").select_option(value))


def _type_score(page, row_id: str, name: str, value: str) -> int:
    def do():
        field = page.locator(f"#{row_id} input[name={name}]")
        field.fill(value)
        field.dispatch_event("change")

    return _posted(page, SCORES_POST, do)


def test_one_tab_saves_again_and_a_stale_tab_gets_409(actors, live_server, watch):
    program_id = live_server.seed_id("program", IN_DELIVERY)
    watch.expect(409, rf"/programs/{program_id}/attendance/\d+/\d+")
    watch.expect(409, rf"/programs/{program_id}/attendance/\d+/all-present")
    watch.expect(409, rf"/programs/{program_id}/scores/\d+")
    bkn = actors("bkn", DESIGNER)
    first = bkn.page
    second = bkn.context.new_page()  # a second tab of the same person
    watch.attach(second, "bkn (second tab)")
    first.goto(f"/programs/{program_id}")
    second.goto(f"/programs/{program_id}")

    # --- attendance, one tab: a cell twice, "Semua hadir" of its session, the cell again
    session_id = first.locator("#attendance-grid th[data-session]").first.get_attribute(
        "data-session"
    )
    column = first.locator(f"#attendance-grid td.att-cell[id^='att-{session_id}-']")
    assert column.count() >= 2
    cell_a, cell_b = column.nth(0).get_attribute("id"), column.nth(1).get_attribute("id")
    assert _choose(first, cell_a, "izin") == 200
    assert _choose(first, cell_a, "sakit") == 200
    expect(first.locator(f"#{cell_a}")).to_have_attribute("data-value", "sakit")
    button = first.locator(f"button[formaction$='/attendance/{session_id}/all-present']")
    assert _posted(first, ALL_PRESENT_POST, button.click) == 200
    expect(first.locator(f"#{cell_a}")).to_have_attribute("data-value", "sakit")  # kept
    expect(first.locator(f"#{cell_b}")).to_have_attribute("data-value", "hadir")
    expect(first.locator("#attendance [role=alert]")).to_have_count(0)
    assert _choose(first, cell_a, "izin") == 200  # with the versions of the grid it got back

    # --- the second tab still shows the column it loaded (empty)
    assert _choose(second, cell_b, "sakit") == 409
    stale = second.locator(f"#{cell_b}")
    expect(stale.get_by_role("alert")).to_contain_text(CELL_STALE)
    expect(stale).to_have_attribute("data-value", "hadir")
    expect(stale.locator("select")).to_have_value("hadir")
    assert _choose(second, cell_b, "sakit") == 200  # now knowingly, with the current version
    expect(second.locator(f"#{cell_b}").get_by_role("alert")).to_have_count(0)
    # its other cells of the column are still stale: "Semua hadir" gets the current grid
    button = second.locator(f"button[formaction$='/attendance/{session_id}/all-present']")
    assert _posted(second, ALL_PRESENT_POST, button.click) == 409
    expect(second.locator("#attendance .alert-warning")).to_contain_text(COLUMN_STALE)
    expect(second.locator(f"#{cell_a}")).to_have_attribute("data-value", "izin")
    button = second.locator(f"button[formaction$='/attendance/{session_id}/all-present']")
    assert _posted(second, ALL_PRESENT_POST, button.click) == 200
    expect(second.locator("#attendance .alert-warning")).to_have_count(0)

    # --- scores, one tab: pre-test, post-test, pre-test again
    first.reload()
    second.reload()
    row_id = first.locator("#scores-grid tr[id^='score-row-']").first.get_attribute("id")
    pre = first.locator(f"#{row_id} input[name=pre_score]").input_value()
    post = first.locator(f"#{row_id} input[name=post_score]").input_value()
    assert _type_score(first, row_id, "pre_score", "41") == 200
    assert _type_score(first, row_id, "post_score", "87") == 200
    assert _type_score(first, row_id, "pre_score", "42") == 200
    expect(first.locator(f"#{row_id} input[name=pre_score]")).to_have_value("42")
    expect(first.locator(f"#{row_id} input[name=post_score]")).to_have_value("87")

    # the second tab: 409 with the scores the first one saved, then it saves knowingly
    assert _type_score(second, row_id, "pre_score", "10") == 409
    expect(second.locator(f"#{row_id}").get_by_role("alert")).to_contain_text(SCORES_STALE)
    expect(second.locator(f"#{row_id} input[name=pre_score]")).to_have_value("42")
    expect(second.locator(f"#{row_id} input[name=post_score]")).to_have_value("87")
    assert _type_score(second, row_id, "pre_score", pre) == 200  # the seed's scores back
    assert _type_score(second, row_id, "post_score", post) == 200
    first.reload()
    expect(first.locator(f"#{row_id} input[name=pre_score]")).to_have_value(pre)
    expect(first.locator(f"#{row_id} input[name=post_score]")).to_have_value(post)
