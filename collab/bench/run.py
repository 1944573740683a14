"""``make bench`` / ``make bench QUICK=1``: seed, serve, load, report — on SQLite, then PostgreSQL.

For each database: a new, empty database (SQLite: a file in a temporary folder; PostgreSQL:
``sinergi_bench`` on ``BENCH_PG_URL``, default ``postgresql+psycopg://postgres@127.0.0.1:5432``,
dropped and created), ``flask db upgrade``, the demo seed and the bulk dataset
(:mod:`collab.bench.dataset`) — ``seed_s`` is the time of the last two with ``ANALYZE``. Then
gunicorn with 2 sync workers and the production config (``BENCHMARK=1``), sign-in as the five
demo roles, and for each key page a run of :mod:`collab.bench.load` in its own process: 8
concurrent clients for a fixed time after a warm-up. The CSV export is one request whose
workers' resident memory is sampled every 10 ms.

Output: a table per database, the targets of issue 10 each marked met or not, and as the last
line one JSON object ``{"<database>": {"pages": {<page>: {"rps", "p50_ms", "p95_ms",
"queries", "ceiling_ratio", ...}}, "seed_s", "export_peak_mb", ...}, "scale", "quick",
"targets"}``. The JSON is also written to ``bench-results/<quick|full>.json``; a full run
compares its needs list and statement counts with the last quick run found there.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

from collab.bench.load import USER_AGENT, request

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-sinergi-2026"  # collab.seed.DEMO_PASSWORD
ROLES = {
    "pemda_officer": "dinkes@pontianak.sinergi.test",
    "pemda_approver": "bkpsdm@pontianak.sinergi.test",
    "bkn_designer": "perancang@bkn.sinergi.test",
    "bkn_approver": "pejabat@bkn.sinergi.test",
    "admin": "admin@sinergi.test",
}
LIST_AND_DETAIL = (
    "needs_list",
    "needs_filtered",
    "needs_search",
    "needs_page50",
    "need_detail_timeline",
    "programs_list",
    "program_detail",
    "board",
    "jp_ledger",
)
"""Pages held to ≥ 15% of the ceiling's requests/s."""
CSRF_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
TARGETS = {
    "queries": 12,
    "ceiling_share": 0.15,
    "p95_ms": 200,
    "needs_growth": 1.5,
    "export_mb": 150,
    "seed_s": 180,
}


def log(message: str) -> None:
    """Progress on stderr (stdout ends with the JSON line)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- databases ------------------------------------------------------------------------------


def prepare_database(kind: str, workdir: Path, pg_url: str) -> str:
    """A new, empty database of ``kind``; returns its URL."""
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.db'}"
    base = sa.make_url(pg_url)
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS sinergi_bench WITH (FORCE)"))
        conn.execute(sa.text("CREATE DATABASE sinergi_bench"))
    admin.dispose()
    return base.set(database="sinergi_bench").render_as_string(hide_password=False)


def flask_cli(env: dict, *args: str) -> None:
    """Run ``flask <args>``; its output is shown only when it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise RuntimeError(f"flask {' '.join(args)} failed ({done.returncode})")


def seed(env: dict, scale: float, workdir: Path) -> tuple[dict, float]:
    """Migrate, seed the demo and the bulk dataset; ``(fixtures, seed seconds)``."""
    flask_cli(env, "db", "upgrade")
    start = time.perf_counter()
    flask_cli(env, "seed-demo")
    out = workdir / "fixtures.json"
    subprocess.run(
        [sys.executable, "-m", "collab.bench.dataset", "--scale", str(scale), "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.read_text()), time.perf_counter() - start


# --- the server -----------------------------------------------------------------------------


class Server:
    """gunicorn with 2 sync workers on a loopback port, stopped with its process group."""

    def __init__(self, env: dict, workdir: Path):
        self.port = free_port()
        self.log = open(workdir / "gunicorn.log", "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                status, *_ = request("127.0.0.1", self.port, "GET", "/healthz", {}, None)
                if status == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz in 90 s")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- sessions -------------------------------------------------------------------------------


class Session:
    """A signed-in user's cookie and CSRF token."""

    def __init__(self, port: int, email: str):
        self.port, self.cookies, self.csrf = port, {}, ""
        self.get("/login")
        status = self.post("/login", {"email": email, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"sign-in as {email} answered {status}")
        self.get("/dashboard")

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _send(self, method: str, path: str, body: bytes | None, extra: dict) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie, "User-Agent": USER_AGENT, **extra}
        status, hdrs, data, _secs = request("127.0.0.1", self.port, method, path, headers, body)
        for header in hdrs.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        token = CSRF_RE.search(data.decode("utf-8", "replace"))
        if token:
            self.csrf = token.group(1)
        return status, data

    def get(self, path: str) -> int:
        return self._send("GET", path, None, {})[0]

    def post(self, path: str, form: dict) -> int:
        body = urlencode({"csrf_token": self.csrf, **form}).encode()
        return self._send(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )[0]


# --- the pages ------------------------------------------------------------------------------


def pages(fixtures: dict) -> list[dict]:
    """The key pages of issue 10: name, role, method, paths (and form for the POST)."""
    year = datetime.now(UTC).year - 1
    out = [{"name": "ceiling", "role": "bkn_designer", "paths": ["/_bench/ceiling"]}]
    out += [{"name": f"dashboard_{role}", "role": role, "paths": ["/dashboard"]} for role in ROLES]
    out += [
        {"name": "needs_list", "role": "bkn_designer", "paths": ["/needs/"]},
        {
            "name": "needs_filtered",
            "role": "bkn_designer",
            "paths": [f"/needs/?status=submitted&urgency=high&fiscal_year={year}"],
        },
        {"name": "needs_search", "role": "bkn_designer", "paths": ["/needs/?q=puskesmas"]},
        {"name": "needs_page50", "role": "bkn_designer", "paths": ["/needs/?page=50"]},
        {
            "name": "need_detail_timeline",
            "role": "bkn_designer",
            "paths": [f"/needs/{fixtures['long_need_id']}"],
        },
        {"name": "programs_list", "role": "bkn_designer", "paths": ["/programs/"]},
        {
            "name": "program_detail",
            "role": "bkn_designer",
            "paths": [f"/programs/{fixtures['program_id']}"],
        },
        {"name": "board", "role": "bkn_designer", "paths": ["/board"]},
        {"name": "jp_ledger", "role": "bkn_designer", "paths": ["/jp/"]},
        {
            "name": "transition_post",
            "role": "bkn_designer",
            "method": "POST",
            "htmx": True,
            "paths": [f"/needs/{i}/actions/take" for i in fixtures["take_need_ids"]],
            "form": {"version": "1", "comment": ""},
        },
    ]
    return out


def drive(page: dict, session: Session, seconds: float, concurrency: int) -> dict:
    """One page's load run in a separate process (:mod:`collab.bench.load`)."""
    form = dict(page.get("form") or {})
    if page.get("method") == "POST":
        form["csrf_token"] = session.csrf
    spec = {
        "host": "127.0.0.1",
        "port": session.port,
        "cookie": session.cookie,
        "method": page.get("method", "GET"),
        "paths": page["paths"],
        "form": form,
        "htmx": page.get("htmx", False),
        "concurrency": concurrency,
        "seconds": seconds,
        "warmup": min(2.0, seconds / 3),
    }
    out = subprocess.run(
        [sys.executable, "-m", "collab.bench.load", "-"],
        input=json.dumps(spec),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_export(server: Server, session: Session) -> dict:
    """One CSV export of the designer's whole needs list: seconds, rows, the serving worker's
    peak resident memory (sampled every 10 ms) and the workers' memory before it."""
    pids = server.worker_pids()
    before = max((rss_mb(p) for p in pids), default=0.0)
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], *(rss_mb(p) for p in pids))
            time.sleep(0.01)

    t = threading.Thread(target=sample)
    t.start()
    try:
        start = time.perf_counter()
        status, _h, data, _s = request(
            "127.0.0.1",
            server.port,
            "GET",
            "/needs/export.csv",
            {"Cookie": session.cookie, "User-Agent": USER_AGENT},
            None,
        )
        seconds = time.perf_counter() - start
    finally:
        done.set()
        t.join()
    return {
        "status": status,
        "export_s": round(seconds, 2),
        "export_rows": max(0, data.count(b"\n") - 1),
        "export_mb": round(len(data) / 2**20, 1),
        "export_peak_mb": round(peak[0], 1),
        "export_baseline_mb": round(before, 1),
    }


def bench_database(kind: str, args, scale: float) -> dict:
    """Seed, serve and measure one database; returns its part of the JSON."""
    workdir = Path(tempfile.mkdtemp(prefix=f"sinergi-bench-{kind}-"))
    try:
        url = prepare_database(kind, workdir, args.pg_url)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SINERGI_CONFIG": "production",
            "SECRET_KEY": "bench-" + os.urandom(8).hex(),
            "BENCHMARK": "1",
            "UPLOAD_FOLDER": str(workdir / "uploads"),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("REDIS_URL", None)
        log(f"{kind}: seeding at scale {scale}")
        fixtures, seed_s = seed(env, scale, workdir)
        log(f"{kind}: seeded in {seed_s:.1f} s: {fixtures['counts']}")
        server = Server(env, workdir)
        try:
            sessions = {role: Session(server.port, email) for role, email in ROLES.items()}
            results: dict[str, dict] = {}
            for page in pages(fixtures):
                res = drive(page, sessions[page["role"]], args.seconds, args.concurrency)
                results[page["name"]] = res
                log(
                    f"{kind}: {page['name']}: {res['rps']} req/s, p95 {res['p95_ms']} ms, "
                    f"{res['queries']} statements, {res['statuses']}"
                )
            ceiling = results["ceiling"]["rps"] or 1
            for res in results.values():
                res["ceiling_ratio"] = round(res["rps"] / ceiling, 3)
            export = measure_export(server, sessions["bkn_designer"])
            log(f"{kind}: export {export}")
        finally:
            server.stop()
        return {
            "pages": results,
            "seed_s": round(seed_s, 1),
            **export,
            "counts": fixtures["counts"],
        }
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def check_targets(result: dict, quick: bool, previous_quick: dict | None) -> dict[str, list]:
    """Each target of issue 10 → ``[met, detail]`` per database."""
    out: dict[str, list] = {}
    for db_name, r in result.items():
        pages_ = r["pages"]
        over = {
            k: v["queries_max"]
            for k, v in pages_.items()
            if (v["queries_max"] or 0) > TARGETS["queries"]
        }
        out[f"{db_name}: ≤ {TARGETS['queries']} statements per page"] = [not over, over]
        slow_share = {
            k: pages_[k]["ceiling_ratio"]
            for k in LIST_AND_DETAIL
            if pages_[k]["ceiling_ratio"] < TARGETS["ceiling_share"]
        }
        out[f"{db_name}: list/detail ≥ 15% of ceiling req/s"] = [not slow_share, slow_share]
        slow = {k: v["p95_ms"] for k, v in pages_.items() if v["p95_ms"] > TARGETS["p95_ms"]}
        out[f"{db_name}: p95 ≤ {TARGETS['p95_ms']} ms"] = [not slow, slow]
        out[f"{db_name}: CSV export peak < {TARGETS['export_mb']} MB"] = [
            r["export_peak_mb"] < TARGETS["export_mb"],
            r["export_peak_mb"],
        ]
        errors = {
            k: v["statuses"]
            for k, v in pages_.items()
            if any(not 200 <= int(s) < 300 for s in v["statuses"])
        }
        out[f"{db_name}: every response 2xx"] = [not errors, errors]
        if not quick:
            out[f"{db_name}: seed < {TARGETS['seed_s']} s"] = [
                r["seed_s"] < TARGETS["seed_s"],
                r["seed_s"],
            ]
            prev = (previous_quick or {}).get(db_name)
            if prev:
                q = prev["pages"]["needs_list"]["p50_ms"]
                f = pages_["needs_list"]["p50_ms"]
                out[f"{db_name}: needs list p50 ≤ 1.5× quick"] = [
                    f <= TARGETS["needs_growth"] * q,
                    f"{f} ms vs {q} ms",
                ]
                changed = {
                    k: (prev["pages"][k]["queries"], v["queries"])
                    for k, v in pages_.items()
                    if k in prev["pages"] and prev["pages"][k]["queries"] != v["queries"]
                }
                out[f"{db_name}: same statements at quick and full size"] = [not changed, changed]
    return out


def table(db_name: str, r: dict) -> str:
    lines = [
        f"\n{db_name}: seed {r['seed_s']} s; export {r['export_rows']} rows in "
        f"{r['export_s']} s, peak {r['export_peak_mb']} MB (before {r['export_baseline_mb']})",
        f"{'page':28} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>4} {'ceiling':>8}",
    ]
    for name, v in r["pages"].items():
        lines.append(
            f"{name:28} {v['rps']:>7} {v['p50_ms']:>8} {v['p95_ms']:>8} "
            f"{v['queries'] if v['queries'] is not None else '-':>4} "
            f"{v['ceiling_ratio']:>8.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, short runs")
    parser.add_argument("--scale", type=float, help="dataset scale (default 1, quick 0.1)")
    parser.add_argument("--seconds", type=float, help="measured seconds per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--results", default=str(ROOT / "bench-results"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    scale = args.scale or (0.1 if args.quick else 1.0)
    args.seconds = args.seconds or (3.0 if args.quick else 10.0)
    result = {}
    for kind in args.databases.split(","):
        result[kind] = bench_database(kind.strip(), args, scale)
    results_dir = Path(args.results)
    results_dir.mkdir(exist_ok=True)
    previous = None
    if not args.quick and (results_dir / "quick.json").exists():
        previous = json.loads((results_dir / "quick.json").read_text())
    targets = check_targets(result, args.quick, previous)
    for db_name, r in result.items():
        print(table(db_name, r))
    print("\ntargets:")
    for name, (met, detail) in targets.items():
        print(f"  {'met    ' if met else 'MISSED '} {name}" + ("" if met else f": {detail}"))
    final = {
        **result,
        "scale": scale,
        "quick": args.quick,
        "seconds": args.seconds,
        "concurrency": args.concurrency,
        "targets": {k: v[0] for k, v in targets.items()},
    }
    (results_dir / ("quick.json" if args.quick else "full.json")).write_text(json.dumps(final))
    print(json.dumps(final))
    return 0


if __name__ == "__main__":
    sys.exit(main())
