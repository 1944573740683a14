"""Scale-out harness: two gunicorn instances of the app on loopback ports, sharing one
PostgreSQL database and one Redis, as behind a reverse proxy (README, *Running in production*).

- The database is ``<TEST_DATABASE_URL's database>_scaleout`` (or ``SCALEOUT_DATABASE_URL``'s),
  dropped and created for the run, migrated with ``flask db upgrade`` and seeded with
  ``flask seed-demo``; it is dropped again afterwards. Redis is ``SCALEOUT_REDIS_URL``
  (default ``redis://127.0.0.1:6379/15``) with a key prefix of this run only, deleted after.
- The servers run the production config (``SINERGI_CONFIG=production``, one ``SECRET_KEY``)
  with ``TRUSTED_PROXIES=1``. :class:`Browser` plays the proxy and the browser: it sends
  ``Host: sinergi.test``, ``X-Forwarded-Proto: https``, its own ``X-Forwarded-For`` and
  ``Referer``, and keeps its cookies itself (they are ``Secure``), whichever server it asks.
- Without PostgreSQL (``TEST_DATABASE_URL`` unset or SQLite, or not answering) or Redis the
  tests are skipped with the reason; with ``SINERGI_REQUIRE_SCALEOUT=1`` (CI's PostgreSQL run)
  they fail instead.
- The servers are stopped (SIGTERM to their process group, then SIGKILL) whatever happens.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
HOST = "sinergi.test"
"""The public host name the simulated proxy serves (``Host`` header of every request)."""
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
BOOT_SECONDS = 90
CLI_TIMEOUT = 240


def _required() -> bool:
    return os.environ.get("SINERGI_REQUIRE_SCALEOUT") == "1"


def _base_url() -> str | None:
    return os.environ.get("SCALEOUT_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")


def _redis_url() -> str:
    return os.environ.get("SCALEOUT_REDIS_URL") or DEFAULT_REDIS


def _maintenance_urls(url: sa.URL) -> list[sa.URL]:
    return [url.set(database="postgres"), url]


def unavailable() -> str | None:
    """Why the scale-out tests cannot run here, or None when they can."""
    base = _base_url()
    if not base or not base.startswith("postgresql"):
        return (
            "scale-out tests need PostgreSQL: set TEST_DATABASE_URL (or SCALEOUT_DATABASE_URL) "
            "to a postgresql+psycopg:// URL (CI runs them in its PostgreSQL run)"
        )
    url = sa.make_url(base)
    last = None
    for candidate in _maintenance_urls(url):
        engine = sa.create_engine(candidate, connect_args={"connect_timeout": 3})
        try:
            with engine.connect():
                break
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
            last = exc
        finally:
            engine.dispose()
    else:
        return f"PostgreSQL at {url.host}:{url.port} not reachable: {last}"
    try:
        import redis
    except ImportError:
        return "the redis package is not installed (pip install -e '.[dev]')"
    client = redis.Redis.from_url(_redis_url(), socket_timeout=3, socket_connect_timeout=3)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis at {_redis_url()} not reachable: {exc}"
    finally:
        client.close()
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- HTTP: a browser behind a simulated reverse proxy --------------------------------------


@dataclass
class Response:
    """What a server answered: status, headers, body text, the server and the time taken."""

    status: int
    headers: http.client.HTTPMessage
    text: str
    server: str
    elapsed: float

    @property
    def location(self) -> str | None:
        """The ``Location`` header of a redirect."""
        return self.headers.get("Location")


CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')


@dataclass
class Browser:
    """One person's browser: a cookie jar shared by every server it talks to (one site behind
    a proxy), its client address (``X-Forwarded-For``) and the CSRF token of its session."""

    ip: str
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str | None = None
    referer: str = "/"
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def clone(self) -> Browser:
        """A second tab with a copy of this browser's cookies (same session)."""
        with self._lock:
            return Browser(self.ip, dict(self.cookies), self.csrf, self.referer)

    def request(
        self,
        server: str,
        method: str,
        path: str,
        form: dict | None = None,
        *,
        htmx: bool = False,
        headers: dict | None = None,
        barrier: threading.Barrier | None = None,
        timeout: float = 90,
    ) -> Response:
        """Send one request to ``server`` (``127.0.0.1:port``), no redirects followed. With
        ``barrier``, connect first and send once every party reached the barrier."""
        body = urlencode(form).encode() if form is not None else None
        with self._lock:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            hdrs = {
                "Host": HOST,
                "X-Forwarded-For": self.ip,
                "X-Forwarded-Proto": "https",
                "Referer": f"https://{HOST}{self.referer}",
                "Accept-Language": "id",
                "User-Agent": "sinergi-scaleout-test",
            }
        if cookie:
            hdrs["Cookie"] = cookie
        if body is not None:
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            hdrs["HX-Request"] = "true"
            hdrs["HX-Current-URL"] = f"https://{HOST}{self.referer}"
            if method != "GET" and self.csrf:
                hdrs["X-CSRFToken"] = self.csrf
        hdrs.update(headers or {})
        host, port = server.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
        try:
            conn.connect()
            if barrier is not None:
                barrier.wait(timeout=timeout)
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=hdrs)
            raw = conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
            elapsed = time.perf_counter() - start
        finally:
            conn.close()
        self._store_cookies(raw.headers.get_all("Set-Cookie") or [])
        resp = Response(raw.status, raw.headers, text, server, elapsed)
        if method == "GET" and not htmx and raw.status == 200:
            self.referer = path
        token = CSRF_RE.search(text)
        if token:
            self.csrf = token.group(1)
        return resp

    def _store_cookies(self, headers: list[str]) -> None:
        with self._lock:
            for header in headers:
                jar = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    gone = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                    if gone:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value

    def get(self, server: str, path: str, **kw) -> Response:
        """GET ``path`` from ``server``."""
        return self.request(server, "GET", path, **kw)

    def post(self, server: str, path: str, form: dict | None = None, **kw) -> Response:
        """POST a form (with this session's CSRF token unless the form names one)."""
        form = dict(form or {})
        if self.csrf and "csrf_token" not in form:
            form["csrf_token"] = self.csrf
        return self.request(server, "POST", path, form, **kw)

    def login(self, server: str, email: str, password: str) -> Response:
        """Open the login page and sign in on ``server``; returns the POST's response."""
        page = self.get(server, "/login")
        assert page.status == 200 and self.csrf, page.text[:300]
        return self.post(server, "/login", {"email": email, "password": password})


# --- the two servers ------------------------------------------------------------------------


@dataclass
class Server:
    """One gunicorn instance: its address, process and log file."""

    name: str
    address: str
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        """Everything the server wrote so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Cluster:
    """The running setup: two servers, the in-process app on the same database (setup and
    assertions only), the Redis URL and this run's rate-limit key prefix."""

    servers: list[Server]
    app: object
    database_url: str
    redis_url: str
    key_prefix: str
    run_id: str

    @property
    def a(self) -> str:
        """Address of server A."""
        return self.servers[0].address

    @property
    def b(self) -> str:
        """Address of server B."""
        return self.servers[1].address


def _run_cli(args: list[str], env: dict, log: Path) -> None:
    with open(log, "ab") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=CLI_TIMEOUT,
            check=False,
        )
    if proc.returncode != 0:
        pytest.fail(f"flask {' '.join(args)} failed:\n{log.read_text(errors='replace')[-3000:]}")


def _start_server(name: str, env: dict, logdir: Path) -> Server:
    port = _free_port()
    log = logdir / f"gunicorn-{name}.log"
    out = open(log, "wb")  # noqa: SIM115 - closed after the process ends
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "90",
            "--graceful-timeout",
            "5",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with its workers
    )
    out.close()
    return Server(name, f"127.0.0.1:{port}", proc, log)


def _wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + BOOT_SECONDS
    host, port = server.address.split(":")
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"server {server.name} exited:\n{server.log_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection(host, int(port), timeout=5)
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(
        f"server {server.name} not healthy in {BOOT_SECONDS}s:\n{server.log_text()[-3000:]}"
    )


def stop_server(server: Server) -> None:
    """Stop a server and its workers: SIGTERM to its process group, SIGKILL after 15 s."""
    proc = server.process
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:  # workers left behind by a master that died first
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc.poll() is None:
        proc.wait(timeout=10)


def _admin_engine(base: sa.URL) -> sa.Engine:
    for candidate in _maintenance_urls(base):
        engine = sa.create_engine(candidate, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect():
                return engine
        except Exception:  # noqa: BLE001
            engine.dispose()
    raise RuntimeError("no maintenance database to connect to")


def _drop_database(engine: sa.Engine, name: str) -> None:
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Database, Redis prefix, two healthy servers; everything removed afterwards."""
    reason = unavailable()
    if reason:
        if _required():
            pytest.fail(f"SINERGI_REQUIRE_SCALEOUT=1 but {reason}")
        pytest.skip(reason)
    import redis

    from collab import create_app
    from collab.extensions import db

    base = sa.make_url(_base_url())
    name = f"{base.database}_scaleout"
    assert re.fullmatch(r"[A-Za-z0-9_]+", name), name
    db_url = base.set(database=name).render_as_string(hide_password=False)
    run_id = secrets.token_hex(4)
    prefix = f"sinergi-scaleout-{run_id}"
    redis_url = _redis_url()
    tmp = tmp_path_factory.mktemp("scaleout")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SINERGI_", "FLASK_", "TEST_DATABASE", "SCALEOUT_"))
    }
    env.update(
        SINERGI_CONFIG="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        RATELIMIT_KEY_PREFIX=prefix,
        TRUSTED_PROXIES="1",
        UPLOAD_FOLDER=str(tmp / "uploads"),
        BASE_URL=f"https://{HOST}",
        PYTHONUNBUFFERED="1",
    )
    admin = _admin_engine(base)
    servers: list[Server] = []
    app = None
    try:
        _drop_database(admin, name)
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        _run_cli(["db", "upgrade"], env, tmp / "cli.log")
        _run_cli(["seed-demo"], env, tmp / "cli.log")
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": db_url, "SECRET_KEY": env["SECRET_KEY"]},
            config_name="testing",
        )
        servers = [_start_server(n, env, tmp) for n in ("A", "B")]
        for server in servers:
            _wait_healthy(server)
        yield Cluster(servers, app, db_url, redis_url, prefix, run_id)
    finally:
        for server in servers:
            stop_server(server)
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        try:
            _drop_database(admin, name)
        finally:
            admin.dispose()
        client = redis.Redis.from_url(redis_url)
        try:
            keys = list(client.scan_iter(match=f"*{prefix}*"))
            if keys:
                client.delete(*keys)
        finally:
            client.close()
