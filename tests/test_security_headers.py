"""Hardened response headers: a script policy without inline code, no framing, no sniffing,
no caching of signed-in pages, HSTS in production."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("signed_in", [False, True])
def test_pages_carry_the_hardened_headers(world, client, login, signed_in):
    if signed_in:
        login(client, world.officer_ptk)
    resp = client.get("/dashboard" if signed_in else "/login")
    assert resp.status_code == 200
    csp = dict(
        (part.split(" ", 1) + [""])[:2]
        for part in resp.headers["Content-Security-Policy"].split("; ")
    )
    assert csp["script-src"] == "'self'" and "unsafe" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in resp.headers  # not over plain HTTP in dev/tests
    assert resp.headers.get("Cache-Control") == "no-store"  # CSRF tokens, per-user pages
    assert "Accept-Language" in resp.headers["Vary"]  # signed out: the browser's language


def test_production_config_sends_hsts(monkeypatch, tmp_path):
    from collab import create_app

    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/p.db")
    app = create_app(config_name="production")
    resp = app.test_client().get("/login")
    assert resp.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_templates_have_no_inline_scripts_or_event_handlers():
    """The policy forbids inline script; this keeps the templates honest (a page that needed
    it would silently break in the browser)."""
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in m.group(0) or 'type="module"' in m.group(0):
                problems.append((path.name, m.group(0)))
        for m in re.finditer(r"\s(on[a-z]+)\s*=", text):
            problems.append((path.name, m.group(1)))
        if "javascript:" in text or "hx-on" in text:
            problems.append((path.name, "javascript:/hx-on"))
    assert not problems, problems
