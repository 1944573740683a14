"""Support code for the real-browser tests: the app server process, a per-test watch over
every page (console errors, failed requests, htmx full-page swaps), browser "actors" (one
browser context each, logged in as one demo user) and small UI helpers.

Playwright is imported lazily so that this module (and the test modules that import it) can
be collected on a machine without Playwright; conftest.py then skips the browser tests.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
TRANSLATIONS_DIR = REPO_ROOT / "collab" / "translations"
LANGUAGES = ("id", "en")  # the UI's languages: Indonesian (the msgids) first, English second

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
DEMO_PASSWORD = "demo-sinergi-2026"

OFFICER = "dinkes@pontianak.sinergi.test"
BKPSDM = "bkpsdm@pontianak.sinergi.test"
DESIGNER = "perancang@bkn.sinergi.test"
APPROVER = "pejabat@bkn.sinergi.test"
KKR_OFFICER = "dinkes@kuburaya.sinergi.test"
ADMIN = "admin@sinergi.test"

# Injected into every page before its own scripts: reports htmx swaps that would put a whole
# page (<html ...>) into a fragment, and htmx's own target/swap errors.
HTMX_GUARD_JS = r"""
(() => {
  const report = (msg) => { try { window.__sinergiReport(msg); } catch (e) { /* closing */ } };
  const where = (d) => {
    const t = d && d.target;
    const target = t ? (t.id ? "#" + t.id : t.tagName) : "?";
    const path = d && d.pathInfo ? d.pathInfo.requestPath : "?";
    const verb = d && d.requestConfig ? d.requestConfig.verb : "";
    return verb.toUpperCase() + " " + path + " -> " + target;
  };
  document.addEventListener("htmx:beforeSwap", (evt) => {
    const d = evt.detail || {};
    const text = d.serverResponse || (d.xhr && d.xhr.responseText) || "";
    if (d.shouldSwap && /<html[\s>]/i.test(text)) {
      report("htmx swapped a full page (<html>) into a fragment: " + where(d));
    }
  }, true);
  for (const name of ["htmx:targetError", "htmx:swapError", "htmx:oobErrorNoTarget"]) {
    document.addEventListener(name, (evt) => report(name + ": " + where(evt.detail)), true);
  }
})();
"""

_STATUS_IN_CONSOLE = re.compile(r"status of (\d{3})")


# --- the app server ---------------------------------------------------------------------------


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    """The app served by ``flask run`` in a child process, on a fresh SQLite database."""

    url: str
    db_path: Path
    log_path: Path
    process: subprocess.Popen

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def seed_id(self, table: str, title: str) -> int:
        """The id of the seed ``need`` or ``program`` with this exact title (read-only)."""
        assert table in ("need", "program")
        uri = f"file:{self.db_path}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            row = conn.execute(f"SELECT id FROM {table} WHERE title = ?", (title,)).fetchone()
        assert row, f"seed {table} {title!r} not found"
        return int(row[0])


def _flask(env: dict, *args: str, log) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        check=True,
        timeout=120,
    )


def start_server(workdir: Path) -> LiveServer:
    """Migrate and seed a fresh database in ``workdir``, then serve it on a free port."""
    db_path = workdir / "sinergi.db"
    log_path = workdir / "server.log"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FLASK_", "DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        SECRET_KEY="browser-tests-secret-key",
        SINERGI_CONFIG="development",
        PYTHONUNBUFFERED="1",
        NOTIFICATION_POLL_SECONDS="2",  # the unread badge refreshes quickly enough to watch
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "ab") as log:
        try:
            _flask(env, "db", "upgrade", log=log)
            _flask(env, "seed-demo", log=log)
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"preparing the database failed:\n{log_path.read_text()}") from exc
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1"]
            + ["--port", str(port), "--no-reload", "--no-debugger", "--with-threads"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(url, db_path, log_path, process)
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the app server exited:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError(f"the app server did not answer /healthz:\n{server.log_tail()}")
        time.sleep(0.1)


def stop_server(server: LiveServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


# --- watching pages ---------------------------------------------------------------------------


@dataclass
class Expected:
    status: int
    path: str  # regular expression matched against the whole URL path

    def matches(self, status: int, url: str) -> bool:
        return status == self.status and re.fullmatch(self.path, urlsplit(url).path) is not None


@dataclass
class Watch:
    """Everything that went wrong in any page of one test. Statuses ≥ 400 are problems unless
    the test declared them with :meth:`expect` (5xx never can be)."""

    problems: list[str] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    seen_expected: list[tuple[int, str]] = field(default_factory=list)

    def expect(self, status: int, path: str) -> None:
        """Declare that responses with ``status`` for URL paths matching ``path`` are fine."""
        assert 400 <= status < 500, "5xx responses are never expected"
        self.expected.append(Expected(status, path))

    def is_expected(self, status: int, url: str) -> bool:
        return status < 500 and any(e.matches(status, url) for e in self.expected)

    def attach(self, page, label: str) -> None:
        page.on("console", lambda msg: self._console(label, msg))
        page.on("pageerror", lambda err: self.problems.append(f"[{label}] page error: {err}"))
        page.on("requestfailed", lambda req: self._request_failed(label, req))
        page.on("response", lambda resp: self._response(label, resp))

    def _console(self, label, msg) -> None:
        if msg.type != "error":
            return
        text = msg.text
        m = _STATUS_IN_CONSOLE.search(text)
        url = (msg.location or {}).get("url", "")
        if m and self.is_expected(int(m.group(1)), url):
            return
        self.problems.append(f"[{label}] console error: {text} ({url})")

    def _request_failed(self, label, request) -> None:
        if request.failure == "net::ERR_ABORTED" and request.resource_type not in (
            "document",
            "xhr",
            "fetch",
        ):
            return  # an image/style/script load cancelled because the page navigated away
        if request.failure == "net::ERR_ABORTED" and request.url.split("?")[0].endswith(
            "/notifications/count"
        ):
            return  # the unread badge's background poll, cut off by a navigation
        if request.failure == "net::ERR_ABORTED" and re.search(
            r"\.(csv|xlsx|pdf)$", request.url.split("?")[0]
        ):
            return  # a download: the browser hands it to the download manager
        self.problems.append(
            f"[{label}] request failed: {request.method} {request.url}: {request.failure}"
        )

    def _response(self, label, response) -> None:
        status = response.status
        if status < 400:
            return
        request = response.request
        if self.is_expected(status, response.url):
            self.seen_expected.append((status, urlsplit(response.url).path))
            return
        hx = " (htmx)" if request.headers.get("hx-request") else ""
        self.problems.append(f"[{label}] HTTP {status} for {request.method} {response.url}{hx}")


# --- actors -----------------------------------------------------------------------------------


class Actor:
    """One person at one browser: a fresh context (own cookies) with one page."""

    def __init__(
        self,
        browser,
        base_url: str,
        watch: Watch,
        label: str,
        *,
        storage_state: dict | None = None,
        on_logout=None,
    ):
        self.label = label
        self.watch = watch
        self.email: str | None = None
        self._on_logout = on_logout
        self.context = browser.new_context(
            storage_state=storage_state,
            base_url=base_url,
            locale="id-ID",
            timezone_id="Asia/Pontianak",
            viewport={"width": 1280, "height": 900},
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.set_default_navigation_timeout(TIMEOUT_MS)
        self.context.expose_binding("__sinergiReport", self._report)
        self.context.add_init_script(HTMX_GUARD_JS)
        self.page = self.context.new_page()
        watch.attach(self.page, label)

    def _report(self, source, message: str) -> None:
        page = source.get("page") if isinstance(source, dict) else None
        where = f" on {page.url}" if page is not None else ""
        self.watch.problems.append(f"[{self.label}] {message}{where}")

    def login(self, email: str, password: str = DEMO_PASSWORD) -> Actor:
        from playwright.sync_api import expect

        page = self.page
        page.goto("/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/dashboard$"))
        expect(page.get_by_test_id("whoami")).to_be_visible()
        self.email = email
        return self

    def switch_language(self, lang: str) -> None:
        """Switch the UI language the way a person does: open the dashboard and click the
        language's code ("EN") in the navigation (``?lang=en``, remembered in the session)."""
        page = self.page
        page.goto("/dashboard")
        if page.locator("html").get_attribute("lang") != lang:
            nav = page.locator("body > nav")  # the site navigation (not a breadcrumb)
            nav.get_by_role("link", name=lang.upper(), exact=True).click()
            page.wait_for_url(re.compile(rf"[?&]lang={lang}(&|$)"))
        expect(page.locator("html")).to_have_attribute("lang", lang)

    def still_signed_in(self) -> bool:
        """True when this context's cookies still open the dashboard (checked without the
        page, so the watch does not see it)."""
        response = self.context.request.get("/dashboard", max_redirects=0)
        try:
            return response.status == 200
        finally:
            response.dispose()

    def logout(self) -> None:
        """Log out through the navbar button. This ends every session of the user (the app
        rotates the session token), so cached sign-ins of that user are forgotten too."""
        self.page.locator("nav form button[type=submit]").click()
        self.page.wait_for_url(re.compile(r"/login$"))
        if self._on_logout is not None and self.email:
            self._on_logout(self.email)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.context.close()


# --- UI helpers -------------------------------------------------------------------------------


def expect(target, message: str | None = None):
    """Playwright's ``expect`` (imported on first use, so this module imports without it)."""
    from playwright.sync_api import expect as pw_expect

    return pw_expect(target, message)


def need_status(page):
    """The status badge of the need on its page."""
    return page.locator("#need-main [data-status]").first


def program_status(page):
    """The status badge of the program on its page."""
    return page.locator("#program-main [data-status]").first


def act(page, action: str) -> None:
    """Click a transition button without comment (``data-action``)."""
    page.locator(f"button[data-action='{action}']").click()


def act_with_comment(page, action: str, text: str, prefix: str = "c") -> None:
    """Open a comment action (``<summary data-action>``), type ``text`` into ``#<prefix>-<action>``
    and press the submit button right after it."""
    summary = page.locator(f"summary[data-action='{action}']")
    if summary.locator("xpath=..").get_attribute("open") is None:
        summary.click()
    page.locator(f"#{prefix}-{action}").fill(text)
    page.locator(f"#{prefix}-{action} ~ button[type=submit]").click()


def field_error(page, selector: str):
    """The error message(s) rendered next to the field ``selector`` (same container, after it)."""
    return page.locator(selector).locator(
        "xpath=following-sibling::div[contains(concat(' ', @class, ' '), ' field-error ')]"
    )


def expect_field_error(page, selector: str, text: str | re.Pattern) -> None:
    """``selector`` is marked invalid and ``text`` is shown right next to it."""
    expect(page.locator(selector)).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(field_error(page, selector).first).to_contain_text(text)


def expect_no_field_error(page, selector: str) -> None:
    expect(page.locator(selector)).not_to_have_class(re.compile(r"\bis-invalid\b"))
    expect(field_error(page, selector)).to_have_count(0)


def dashboard_section(page, heading: str):
    """A dashboard section by its heading (exact text)."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def row_with_link(scope, title: str):
    """The table row (in ``scope``, a page or a locator) holding a link with exactly this text."""
    page = getattr(scope, "page", scope)  # ``has=`` takes a locator relative to the row
    return scope.locator("tr").filter(has=page.get_by_role("link", name=title, exact=True))


def turn_text(label: str) -> re.Pattern:
    """Matches exactly this "whose turn" label, followed by the " · <days>" suffix (so
    "Menunggu BKN" does not match "Menunggu BKN dan Pemda")."""
    return re.compile(re.escape(label) + r" ·")


# --- languages --------------------------------------------------------------------------------


class _NotInCatalogue(gettext.NullTranslations):
    """Fallback of the English catalogue: a msgid it does not hold (or holds untranslated) is
    a mistake in the test, in either language."""

    def gettext(self, message):
        raise KeyError(f"{message!r} is not translated in {TRANSLATIONS_DIR}/en")


@functools.cache
def _english():
    from babel.support import Translations

    translations = Translations.load(str(TRANSLATIONS_DIR), ["en"])
    if not isinstance(translations, gettext.GNUTranslations):
        raise RuntimeError(
            "no English catalogue (messages.mo): run "
            "`pybabel compile -d collab/translations -f` first"
        )
    translations.add_fallback(_NotInCatalogue())
    return translations


def tr(lang: str, msgid: str, **params) -> str:
    """The app's text for ``msgid`` in ``lang``: the msgid itself in ``id`` (the catalogue's
    source language), its English translation from messages.mo in ``en``; ``%(name)s``
    placeholders filled from ``params``. The msgid must be in the catalogue in both languages,
    so the Indonesian run cannot match text the English run would not find."""
    assert lang in LANGUAGES, lang
    english = _english().gettext(msgid)
    text = msgid if lang == "id" else english
    return text % params if params else text


def trn(lang: str, msgid: str, n: int, **params) -> str:
    """Like :func:`tr` for a plural entry (``ngettext(msgid, msgid, n)``: our Indonesian source
    strings have one form): ``1 participant`` / ``2 participants`` in ``en``; ``%(num)s`` is
    ``n`` unless given."""
    assert lang in LANGUAGES, lang
    params.setdefault("num", n)
    text = msgid if lang == "id" else _english().ngettext(msgid, msgid, n)
    assert lang == "id" or text != msgid, f"not in the English catalogue: {msgid!r}"
    return text % params


def tr_re(lang: str, msgid: str, **patterns: str) -> str:
    """A regular expression for ``tr(lang, msgid)`` with each ``%(name)s`` placeholder replaced
    by the regular expression ``patterns[name]`` (the rest matched literally)."""
    marks = {name: f"\x00{i}\x00" for i, name in enumerate(patterns)}
    regex = re.escape(tr(lang, msgid, **marks))
    for name, mark in marks.items():
        regex = regex.replace(re.escape(mark), f"(?:{patterns[name]})")
    return regex


@functools.cache
def _indonesian_only() -> list[re.Pattern]:
    """Every catalogue text whose English differs, as a pattern over a whole piece of text;
    placeholders match numbers only (the counts in the navigation; matching anything would
    take "Design a program" for "%(n)s program"), texts with under three letters of their own
    left out."""
    from babel.messages.mofile import read_mo

    with open(TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.mo", "rb") as fh:
        catalog = read_mo(fh)
    placeholder = re.compile(r"%\(\w+\)[sd]")
    out = []
    for msg in catalog:
        if not msg.id or not isinstance(msg.id, str) or msg.string == msg.id:
            continue
        if sum(ch.isalpha() for ch in placeholder.sub("", msg.id)) < 3:
            continue
        parts = placeholder.split(msg.id)
        out.append(re.compile(r"\d[\d.,]*".join(re.escape(part) for part in parts)))
    return out


# Visible text nodes and the accessible names/titles of visible elements under ``root``.
_VISIBLE_TEXTS_JS = r"""
(root) => {
  const out = [];
  const visible = (el) => el && el.checkVisibility({visibilityProperty: true});
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.replace(/\s+/g, " ").trim();
    if (text && visible(n.parentElement)) out.push(text);
  }
  for (const el of root.querySelectorAll("[aria-label], [title], [placeholder]")) {
    if (!visible(el)) continue;
    for (const a of ["aria-label", "title", "placeholder"]) {
      if (el.getAttribute(a)) out.push(el.getAttribute(a).replace(/\s+/g, " ").trim());
    }
  }
  return out;
}
"""


def indonesian_texts(locator) -> list[str]:
    """Pieces of visible text (and labels) in ``locator`` that are Indonesian catalogue texts
    with a different English translation: what an English page should not show. Texts are cut
    at " · " and ": " (the nav's "role · organisation", "Pemberitahuan: 2 belum dibaca")."""
    patterns = _indonesian_only()
    found = []
    for text in locator.evaluate(_VISIBLE_TEXTS_JS):
        for piece in re.split(r"\s*·\s*|:\s+", text):
            if piece and any(p.fullmatch(piece) for p in patterns):
                found.append(piece)
    return found
