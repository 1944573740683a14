"""(e) Tracking and reporting in a real browser: the needs list filtered with htmx keeps its
filters in the address bar, the back button brings the earlier full page back, the XLSX
download holds exactly the filtered rows (opened with openpyxl); the status board filters by
Pemda; the reports page draws its charts beside their tables."""

from __future__ import annotations

import re

import openpyxl
from sinergi_browser import BKPSDM, DESIGNER, expect


def list_titles(page) -> list[str]:
    return page.locator("#needs-list tbody tr td:first-child a").all_inner_texts()


def test_filters_in_the_url_back_button_and_xlsx_download(actors, tmp_path):
    designer = actors("designer", DESIGNER)
    page = designer.page
    page.goto("/needs/")
    everything = page.locator("#needs-list p.small").inner_text()

    # typing a search narrows the list without a page load and puts it in the address
    with page.expect_response(re.compile(r"/needs/\?.*q=puskesmas")):
        page.locator("#f-q").press_sequentially("puskesmas")
    page.wait_for_url(re.compile(r"/needs/\?.*q=puskesmas"))
    searched = list_titles(page)
    assert searched and page.locator("#needs-list p.small").inner_text() != everything

    # a second filter on top
    with page.expect_response(re.compile(r"urgency=critical")):
        page.select_option("#f-urgency", "critical")
    page.wait_for_url(re.compile(r"urgency=critical"))
    critical = list_titles(page)
    assert 0 < len(critical) < len(searched)
    badges = page.locator("#needs-list tbody tr td:nth-child(4)").all_inner_texts()
    assert set(badges) == {"Sangat Mendesak"}

    # the filtered URL opened afresh shows the same rows (it can be bookmarked and shared)
    shared = page.url
    other = actors("colleague", DESIGNER).page
    other.goto(shared)
    assert list_titles(other) == critical
    expect(other.locator("#f-urgency")).to_have_value("critical")

    # the download holds exactly the filtered rows
    with page.expect_download() as info:
        page.locator("#needs-list [data-export=xlsx]").click()
    path = tmp_path / "usulan.xlsx"
    info.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert "Judul" in header
    titles = [r[header.index("Judul")] for r in data]
    assert sorted(titles) == sorted(critical)

    # back: the search alone again, as a full page with its form filled in
    page.go_back()
    page.wait_for_url(lambda url: "q=puskesmas" in url and "urgency=critical" not in url)
    expect(page.locator("#f-q")).to_have_value("puskesmas")
    expect(page.locator("#f-urgency")).to_have_value("")
    expect(page.locator("nav.navbar")).to_be_visible()
    assert list_titles(page) == searched


def test_board_filters_by_pemda_and_reports_draw_charts(actors):
    bkpsdm = actors("bkpsdm", BKPSDM)
    page = bkpsdm.page
    page.goto("/board")
    expect(page.locator("#board-columns .board-card").first).to_be_visible()
    cards = page.locator("#board-columns .board-card").count()
    designer = actors("designer", DESIGNER).page
    designer.goto("/board")
    assert designer.locator("#board-columns .board-card").count() > cards  # BKN sees all
    option = designer.locator("#b-pemda option", has_text="Pemerintah Kota Pontianak")
    value = option.get_attribute("value")
    with designer.expect_response(re.compile(rf"/board\?.*pemda={value}")):
        designer.select_option("#b-pemda", value)
    designer.wait_for_url(re.compile(rf"pemda={value}"))
    # the same programs as BKPSDM's board, plus the drafts only BKN sees
    not_draft = designer.locator(
        "#board-columns [data-status]:not([data-status=draft]) .board-card"
    )
    assert not_draft.count() == cards

    page.goto("/reports")
    for section in ("insights-urusan", "insights-funnel"):
        block = page.locator(f"#{section}")
        expect(block.locator("svg").first).to_be_visible()
        expect(block.locator("table caption").first).to_be_visible()
        assert block.locator("table tbody tr").count() > 0
