"""(d) After logging out, the back button shows no private data: authenticated pages are sent
with ``Cache-Control: no-store``, so going back asks the server again, which sends the visitor
to the login page. One person logging out does not end another's session."""

from __future__ import annotations

import re

from sinergi_browser import DESIGNER, OFFICER, expect, need_status

# A Pontianak need BKN has received: both sides may see it (this test only reads it).
NEED = "Peningkatan Kemampuan Skrining dan Tindak Lanjut Hipertensi di Posbindu PTM"
PROBLEM_SNIPPET = "Posbindu"


def visit_private_pages(actor, need_id: int) -> list[str]:
    """Open the dashboard, the needs list (with an htmx filter) and the need; every
    authenticated response must say no-store. Returns the URLs visited."""
    page = actor.page
    urls = []
    for path in ("/dashboard", "/needs/", f"/needs/{need_id}"):
        response = page.goto(path)
        assert response is not None and response.status == 200
        assert "no-store" in (response.headers.get("cache-control") or ""), path
        urls.append(page.url)
    expect(page.locator("#need-main h1")).to_have_text(NEED)
    expect(page.locator("#need-main")).to_contain_text(PROBLEM_SNIPPET)
    return urls


def expect_login_page_without_private_data(page) -> None:
    expect(page).to_have_url(re.compile(r"/login(\?|$)"))
    expect(page.locator("#email")).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_have_count(0)
    body = page.locator("body")
    expect(body).not_to_contain_text(NEED)
    expect(body).not_to_contain_text(PROBLEM_SNIPPET)


def test_back_button_after_logout_shows_no_private_data(actors, live_server):
    need_id = live_server.seed_id("need", NEED)
    officer = actors("officer", OFFICER)
    designer = actors("designer", DESIGNER)
    visit_private_pages(officer, need_id)
    visit_private_pages(designer, need_id)

    # The officer filters the list with htmx (a pushed history entry), opens the need again,
    # then logs out.
    page = officer.page
    page.goto("/needs/")
    page.select_option("#f-urgency", "high")
    expect(page).to_have_url(re.compile(r"/needs/\?.*urgency=high"))
    page.goto(f"/needs/{need_id}")
    officer.logout()
    expect(page.locator("#messages")).to_contain_text("Anda telah keluar.")

    # Back, three times: each time the browser asks the server again (no-store), which sends
    # the visitor to the login page; the need never shows.
    for came_from in (
        rf"/needs/{need_id}$",
        r"/needs/\?.*urgency%3Dhigh",
        r"/needs/$",
    ):
        page.go_back()
        expect_login_page_without_private_data(page)
        expect(page).to_have_url(re.compile(r"/login\?next=" + came_from))
    page.go_forward()
    expect_login_page_without_private_data(page)

    # The designer, in another browser, is still signed in and still sees the need.
    designer.page.reload()
    expect(designer.page.locator("#need-main h1")).to_have_text(NEED)
    expect(need_status(designer.page)).to_be_visible()

    # The designer logs out too; back shows nothing private there either.
    designer.logout()
    designer.page.go_back()
    expect_login_page_without_private_data(designer.page)

    # A page opened afresh after logout asks for a login again.
    page.goto(f"/needs/{need_id}")
    expect_login_page_without_private_data(page)


def test_logout_leaves_no_private_page_snapshot_in_browser_storage(actors):
    officer = actors("officer", OFFICER)
    page = officer.page
    page.goto("/needs/")
    expect(page.locator("#needs-list")).to_contain_text(NEED)
    page.select_option("#f-urgency", "high")  # htmx pushes a URL and snapshots the page
    expect(page).to_have_url(re.compile(r"urgency=high"))
    officer.logout()
    stored = page.evaluate(
        "() => JSON.stringify([Object.assign({}, localStorage), Object.assign({}, sessionStorage)])"
    )
    assert NEED not in stored


def test_static_assets_stay_cacheable_for_signed_in_users(actors):
    officer = actors("officer")
    page = officer.page
    static: dict[str, str] = {}

    def record(response) -> None:
        if "/static/" in response.url:
            static[response.url] = response.headers.get("cache-control") or ""

    page.on("response", record)
    officer.login(OFFICER)
    page.goto("/dashboard")
    assert any(url.endswith("/static/vendor/htmx.min.js") for url in static)
    stored = {url: cc for url, cc in static.items() if "no-store" in cc}
    assert not stored, stored
