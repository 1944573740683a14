"""The watch that fails browser tests really sees problems: an unexpected 404, a console
error, a JavaScript exception, and an htmx swap of a whole page into a fragment. Each is
provoked on purpose, checked, and then cleared so this test itself passes."""

from __future__ import annotations

from sinergi_browser import OFFICER, expect


def test_watch_catches_page_problems(actors, watch):
    officer = actors("officer", OFFICER)
    page = officer.page

    # An unexpected 404 (a declared one is fine).
    watch.expect(404, r"/needs/999999991")
    page.goto("/needs/999999991")
    assert watch.problems == []
    page.goto("/needs/999999992")
    expect(page.locator("main")).to_contain_text("tidak ditemukan")
    page.evaluate("0")
    assert any("HTTP 404" in p and "/needs/999999992" in p for p in watch.problems), watch.problems
    watch.problems.clear()

    # A console error and an uncaught exception.
    page.goto("/dashboard")
    page.evaluate("console.error('disengaja: kesalahan konsol')")
    page.evaluate("setTimeout(() => { throw new Error('disengaja: galat JavaScript'); }, 0)")
    page.wait_for_timeout(100)
    assert any("kesalahan konsol" in p for p in watch.problems), watch.problems
    assert any("galat JavaScript" in p for p in watch.problems), watch.problems
    watch.problems.clear()

    # An htmx request whose answer is a whole page, swapped into a fragment.
    page.evaluate(
        """() => {
            const b = document.createElement('button');
            b.id = 'harness-swap';
            b.setAttribute('hx-get', '/dashboard');
            b.setAttribute('hx-target', '#messages');
            b.textContent = 'swap';
            document.querySelector('main').appendChild(b);
            htmx.process(b);
        }"""
    )
    page.click("#harness-swap")
    expect(page.locator("#messages h1")).to_have_count(1)  # the page landed in #messages
    page.evaluate("0")
    assert any("full page" in p and "#messages" in p for p in watch.problems), watch.problems
    watch.problems.clear()
