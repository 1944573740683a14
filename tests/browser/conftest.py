"""Real-browser tests: Playwright (sync API) driving Debian Chromium against the app served by
``flask run`` in a child process, on a fresh SQLite database migrated and seeded with the demo
data (one server for the whole session).

These fixtures do not use pytest-playwright's (``page``, ``browser``, ...): every test works
with several people at once, each in their own browser context (``actors``).

- Chromium (``/usr/bin/chromium``, or ``$SINERGI_CHROMIUM``) or Playwright missing: the tests
  are skipped; with ``SINERGI_REQUIRE_BROWSER=1`` they fail instead.
- Every test fails on a console error, an uncaught JavaScript error, a failed request (except
  an image/style/script load the browser cancels because the page navigates away), an HTTP
  status ≥ 400 the test did not declare with ``watch.expect(status, path_regex)`` (5xx never),
  or an htmx swap of a whole page (``<html``) into a fragment.
- A failing test leaves a screenshot and the HTML of each of its pages (and the server log's
  tail) under ``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sinergi_browser import (
    ARTIFACTS_DIR,
    CHROMIUM_ARGS,
    DEFAULT_CHROMIUM,
    TIMEOUT_MS,
    Actor,
    Watch,
    start_server,
    stop_server,
)

_WATCH = pytest.StashKey["Watch"]()
_ACTORS = pytest.StashKey["list"]()
_SERVER = pytest.StashKey["object"]()


def chromium_path() -> str:
    return os.environ.get("SINERGI_CHROMIUM") or DEFAULT_CHROMIUM


def _missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return f"Chromium not found at {path}: browser tests skipped"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright (the playwright Python package) not installed: browser tests skipped"
    return None


def _browser_required() -> bool:
    return os.environ.get("SINERGI_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config, items):
    """When the browser is required but missing, the expected failures (app defects) must
    fail like every other browser test instead of counting as xfailed."""
    if not (_browser_required() and _missing_browser()):
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.own_markers = [m for m in item.own_markers if m.name != "xfail"]


def pytest_runtest_setup(item):
    reason = _missing_browser()
    if reason is None:
        return
    if _browser_required():
        missing = reason.split(":")[0]
        pytest.fail(f"{missing}, and SINERGI_REQUIRE_BROWSER=1 requires the browser tests to run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _server_starting(tmp_path_factory):
    """Start preparing the server (migrate, seed, serve) in the background, so that it
    overlaps with the browser's launch."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(start_server, tmp_path_factory.mktemp("sinergi-browser"))
        yield future
        with contextlib.suppress(Exception):
            stop_server(future.result())


@pytest.fixture(scope="session")
def live_server(_server_starting, request):
    """The app in a child process on a fresh, migrated and seeded SQLite database."""
    server = _server_starting.result(timeout=180)
    request.config.stash[_SERVER] = server
    return server


@pytest.fixture(scope="session")
def pw_browser(_server_starting):
    """Debian Chromium, launched once for the session (while the server gets ready)."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, timeout=30_000
        )
        yield browser
        browser.close()


@pytest.fixture
def watch(request):
    """This test's record of page problems; ``watch.expect(422, r"/needs/new")`` allows one."""
    w = Watch()
    request.node.stash[_WATCH] = w
    return w


@pytest.fixture(scope="session")
def signed_in_states():
    """Cookies of each demo user after their first login through the form, so later tests
    start signed in without typing the password again (about a second and a half each).
    ``Actor.logout`` forgets the user's entry: logging out ends all their sessions."""
    return {}


@pytest.fixture
def actors(request, pw_browser, live_server, watch, signed_in_states):
    """``actors(label)`` opens a new browser context (a separate person) watched by ``watch``;
    ``actors(label, email)`` is signed in as that demo user (through the login form the first
    time in the session, with that login's cookies afterwards while they still work)."""
    opened: list[Actor] = []
    request.node.stash[_ACTORS] = opened

    def forget(email: str) -> None:
        signed_in_states.pop(email, None)

    def open_actor(label: str, email: str | None = None) -> Actor:
        state = signed_in_states.get(email) if email else None
        actor = Actor(
            pw_browser, live_server.url, watch, label, storage_state=state, on_logout=forget
        )
        opened.append(actor)
        if email and state is not None and actor.still_signed_in():
            actor.email = email
        elif email:
            actor.login(email)
            signed_in_states[email] = actor.context.storage_state()
        return actor

    yield open_actor
    for actor in opened:
        actor.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test when any of its pages had a problem (even if its assertions passed)."""
    watch: Watch | None = item.stash.get(_WATCH, None)
    try:
        result = yield
    except BaseException as exc:
        if watch is not None and watch.problems:
            exc.add_note("Problems seen in the browser:\n" + "\n".join(watch.problems))
        raise
    if watch is not None:
        for actor in item.stash.get(_ACTORS, []):
            with contextlib.suppress(Exception):
                actor.page.evaluate("0")  # let pending page events arrive
        if watch.problems:
            raise AssertionError(
                "Problems seen in the browser:\n" + "\n".join(f"- {p}" for p in watch.problems)
            )
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, save a screenshot and the HTML of every open page under test-artifacts/."""
    report = yield
    if report.failed and report.when in ("setup", "call"):
        _save_artifacts(item)
    elif report.passed and report.when == "call":
        shutil.rmtree(_artifacts_dir(item), ignore_errors=True)  # stale ones from a past run
    return report


def _artifacts_dir(item):
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("tests/browser/")[-1]).strip("_")
    return ARTIFACTS_DIR / name


def _save_artifacts(item) -> None:
    target = _artifacts_dir(item)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    for i, actor in enumerate(item.stash.get(_ACTORS, [])):
        stem = f"{i}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', actor.label)}"
        with contextlib.suppress(Exception):
            actor.page.screenshot(path=str(target / f"{stem}.png"), full_page=True, timeout=5000)
        with contextlib.suppress(Exception):
            html = f"<!-- {actor.page.url} -->\n" + actor.page.content()
            (target / f"{stem}.html").write_text(html, encoding="utf-8")
    watch = item.stash.get(_WATCH, None)
    if watch is not None and watch.problems:
        (target / "problems.txt").write_text("\n".join(watch.problems) + "\n", encoding="utf-8")
    server = item.config.stash.get(_SERVER, None)
    if server is not None:
        (target / "server-log-tail.txt").write_text(server.log_tail(200), encoding="utf-8")
