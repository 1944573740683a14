"""Scale-out (issue 9, item 6): two gunicorn instances of the app, one PostgreSQL, one Redis,
as behind a reverse proxy (fixtures in ``conftest.py``).

- a session made on one server is valid on the other, and a sign-out on one ends it on both;
- refused sign-ins on both servers count together against the per-account limit;
- two approvers approving the same revision at the same moment on different servers give
  exactly one ``approved``; the same approver approving twice at once gives one sign-off;
- a soak of mixed traffic across both (``SCALEOUT_SOAK_SECONDS``, default 120; a few
  threads) gives no 5xx and every comment written is in the database exactly once.
"""

from __future__ import annotations

import os
import random
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from scaleout_harness import Browser, Cluster

from collab.extensions import db
from collab.models import AuditEvent, Comment, Need, Program, SignOff, User
from collab.seed import DEMO_PASSWORD

pytestmark = pytest.mark.scaleout

DESIGNER = "perancang@bkn.sinergi.test"
BKN_APPROVER = "pejabat@bkn.sinergi.test"
PTK_OFFICER = "dinkes@pontianak.sinergi.test"
PTK_APPROVER = "bkpsdm@pontianak.sinergi.test"
KKR_OFFICER = "dinkes@kuburaya.sinergi.test"
KKR_APPROVER = "bkpsdm@kuburaya.sinergi.test"
RACE_ROUNDS = int(os.environ.get("SCALEOUT_RACE_ROUNDS", "4"))
SOAK_SECONDS = float(os.environ.get("SCALEOUT_SOAK_SECONDS", "120"))
SOAK_THREADS = int(os.environ.get("SCALEOUT_SOAK_THREADS", "6"))
ERROR_MARKERS = ("Traceback", "unhandled error", "[CRITICAL]", "WORKER TIMEOUT")

_ip_counter = iter(range(1, 250))


def browser() -> Browser:
    """A new browser with a client address of its own (so per-address limits stay apart)."""
    return Browser(ip=f"198.51.100.{next(_ip_counter)}")


def signed_in(server: str, email: str) -> Browser:
    """A browser signed in as ``email`` on ``server``."""
    b = browser()
    resp = b.login(server, email, DEMO_PASSWORD)
    assert resp.status == 302 and resp.location.endswith("/dashboard"), resp.text[:300]
    assert b.get(server, "/dashboard").status == 200
    return b


@pytest.fixture(autouse=True)
def server_logs_stay_clean(cluster: Cluster):
    """Fail a test after which a server logged an error (traceback, worker timeout)."""
    sizes = [len(s.log_text()) for s in cluster.servers]
    yield
    for server, size in zip(cluster.servers, sizes, strict=True):
        new = server.log_text()[size:]
        found = [m for m in ERROR_MARKERS if m in new]
        assert not found, f"server {server.name} logged {found}:\n{new[-4000:]}"
        assert server.process.poll() is None, f"server {server.name} died:\n{new[-4000:]}"


def user_id(cluster: Cluster, email: str) -> int:
    """The id of the account ``email``."""
    with cluster.app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


# --- sessions ---------------------------------------------------------------------------------


def test_a_session_made_on_one_server_is_valid_on_the_other(cluster):
    b = signed_in(cluster.a, PTK_OFFICER)
    page = b.get(cluster.b, "/dashboard")
    assert page.status == 200 and "/logout" in page.text
    count = b.get(cluster.b, "/notifications/count", htmx=True)
    assert count.status == 200
    # a form token issued by A is accepted by B (same SECRET_KEY, same session)
    need_id = soak_targets(cluster, PTK_OFFICER)[0][0]
    body = f"sesi lintas server {cluster.run_id}"
    resp = b.post(cluster.b, f"/needs/{need_id}/comments", {"body": body}, htmx=True)
    assert resp.status == 200, resp.text[:500]
    with cluster.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Comment.body == body)) == 1
    # signing out on B ends the session on A too, also for a copy of the old cookie
    old_tab = b.clone()
    assert b.post(cluster.b, "/logout").status == 302
    for tab in (b, old_tab):
        resp = tab.get(cluster.a, "/dashboard")
        assert resp.status == 302 and "/login" in resp.location


# --- rate limits ------------------------------------------------------------------------------


def account_of_its_own(cluster: Cluster, name: str) -> str:
    """A new Pemda officer account (Kubu Raya) for this run; returns its e-mail."""
    from collab.admin.services import create_user
    from collab.models import Organization

    email = f"{name}-{cluster.run_id}@kuburaya.sinergi.test"
    with cluster.app.app_context():
        org = db.session.scalar(
            sa.select(Organization)
            .join(User, User.org_id == Organization.id)
            .where(User.email == KKR_OFFICER)
        )
        create_user(
            None, email=email, name=name.title(), role="pemda_officer", org=org,
            password=DEMO_PASSWORD, locale="id",
        )  # fmt: skip
        db.session.commit()
    return email


def test_refused_sign_ins_on_both_servers_count_together(cluster):
    import redis

    email = account_of_its_own(cluster, "batas")
    b = browser()
    servers = [cluster.a, cluster.b, cluster.a, cluster.b, cluster.a]
    for server in servers:
        resp = b.login(server, email, "bukan-kata-sandi-ini")
        assert resp.status == 422, (server, resp.status)
    # the sixth attempt is refused on either server, even with the right password
    for server in (cluster.b, cluster.a):
        resp = b.login(server, email, DEMO_PASSWORD)
        assert resp.status == 429, (server, resp.status)
        assert int(resp.headers["Retry-After"]) > 0
        assert "Terlalu banyak percobaan" in resp.text
    # the limit is the account's: another account from the same address signs in
    assert Browser(ip=b.ip).login(cluster.b, KKR_APPROVER, DEMO_PASSWORD).status == 302
    # the counts live in Redis under this run's prefix
    client = redis.Redis.from_url(cluster.redis_url)
    try:
        assert any(b"login-account:" + email.encode() in k for k in _keys(client, cluster))
    finally:
        client.close()
    with cluster.app.app_context():
        refused = db.session.scalars(
            sa.select(AuditEvent.data).where(
                AuditEvent.action == "login_failed",
                AuditEvent.entity_id == user_id(cluster, email),
            )
        ).all()
    assert len(refused) == 5
    assert {d["ip"] for d in refused} == {b.ip}  # the forwarded client address (ProxyFix)


def _keys(client, cluster):
    return list(client.scan_iter(match=f"*{cluster.key_prefix}*"))


# --- concurrent sign-offs ---------------------------------------------------------------------


def proposed_program(cluster: Cluster, n: int) -> tuple[int, int, int]:
    """A program proposed for Kota Pontianak only (one accepted need of it): (id, version,
    revision). Made through the services, like the designer would."""
    from collab.programs.services import create_program, transition_program
    from tests.test_programs import program_data

    with cluster.app.app_context():
        designer = db.session.scalar(sa.select(User).where(User.email == DESIGNER))
        ptk = db.session.scalar(sa.select(User).where(User.email == PTK_APPROVER)).pemda_id
        need = db.session.scalar(
            sa.select(Need)
            .where(Need.pemda_id == ptk, Need.status == "accepted")
            .order_by(Need.id)
            .limit(1)
        )
        program = create_program(
            designer,
            program_data([need.id], {ptk: 1}, title=f"Uji serentak {cluster.run_id} #{n}"),
        )
        db.session.commit()
        transition_program(designer, program, "propose", expected_version=program.version)
        db.session.commit()
        return program.id, program.version, program.current_revision


def approve_at_once(pairs, program_id, version, revision):
    """POST approve for every (browser, server) in ``pairs`` at the same moment."""
    barrier = threading.Barrier(len(pairs))

    def one(pair):
        b, server = pair
        return b.post(
            server,
            f"/programs/{program_id}/actions/approve",
            {"version": version, "revision": revision, "comment": ""},
            barrier=barrier,
        )

    with ThreadPoolExecutor(len(pairs)) as pool:
        return list(pool.map(one, pairs))


def program_outcome(cluster: Cluster, program_id: int):
    """(status, sorted (party, decision) sign-offs, audit rows reaching ``approved``, audit
    rows of ``approve``) of a program, read from the database."""
    with cluster.app.app_context():
        status = db.session.get(Program, program_id).status
        signoffs = db.session.execute(
            sa.select(SignOff.party, SignOff.decision).where(SignOff.program_id == program_id)
        ).all()
        approved_events = db.session.scalar(
            sa.select(sa.func.count()).where(
                AuditEvent.entity_type == "program",
                AuditEvent.entity_id == program_id,
                AuditEvent.to_state == "approved",
            )
        )
        approve_events = db.session.scalar(
            sa.select(sa.func.count()).where(
                AuditEvent.entity_type == "program",
                AuditEvent.entity_id == program_id,
                AuditEvent.action == "approve",
            )
        )
    return status, sorted(signoffs), approved_events, approve_events


def test_two_approvers_at_the_same_moment_on_two_servers_approve_once(cluster):
    bkn = signed_in(cluster.a, BKN_APPROVER)
    ptk = signed_in(cluster.b, PTK_APPROVER)
    with cluster.app.app_context():
        ptk_party = str(
            db.session.scalar(sa.select(User).where(User.email == PTK_APPROVER)).pemda_id
        )
    for n in range(RACE_ROUNDS):
        pid, version, revision = proposed_program(cluster, n)
        pairs = (
            [(bkn, cluster.a), (ptk, cluster.b)]
            if n % 2 == 0
            else [(bkn, cluster.b), (ptk, cluster.a)]
        )
        responses = approve_at_once(pairs, pid, version, revision)
        # both decisions are taken (one after the other, on the locked program row)
        assert [r.status for r in responses] == [302, 302], [
            (r.status, r.text[:300]) for r in responses
        ]
        status, signoffs, approved_events, approve_events = program_outcome(cluster, pid)
        assert status == "approved", (n, signoffs)
        assert signoffs == sorted([("bkn", "approve"), (ptk_party, "approve")])
        assert approved_events == 1 and approve_events == 2
        for b, server in pairs:
            page = b.get(server, f"/programs/{pid}")
            assert page.status == 200


def test_one_approver_approving_twice_at_once_on_two_servers_signs_once(cluster):
    bkn = signed_in(cluster.a, BKN_APPROVER)
    ptk = signed_in(cluster.b, PTK_APPROVER)
    for n in range(RACE_ROUNDS):
        pid, version, revision = proposed_program(cluster, 100 + n)
        tabs = [(bkn, cluster.a), (bkn.clone(), cluster.b)]
        responses = approve_at_once(tabs, pid, version, revision)
        statuses = sorted(r.status for r in responses)
        # the first decision wins; the second is told the party already decided (409)
        assert statuses == [302, 409], [(r.status, r.text[:300]) for r in responses]
        loser = next(r for r in responses if r.status == 409)
        assert "sudah memberi keputusan" in loser.text
        status, signoffs, approved_events, approve_events = program_outcome(cluster, pid)
        assert status == "proposed" and signoffs == [("bkn", "approve")]
        assert approve_events == 1 and approved_events == 0
        # the partner's approval then completes it, once
        resp = ptk.post(
            cluster.b if n % 2 else cluster.a,
            f"/programs/{pid}/actions/approve",
            {"version": version, "revision": revision, "comment": ""},
        )
        assert resp.status == 302
        status, signoffs, approved_events, _ = program_outcome(cluster, pid)
        assert status == "approved" and len(signoffs) == 2 and approved_events == 1


# --- soak -------------------------------------------------------------------------------------


SOAK_USERS = (DESIGNER, BKN_APPROVER, PTK_OFFICER, PTK_APPROVER, KKR_OFFICER, KKR_APPROVER)
OPEN_NEED_STATES = ("submitted", "in_review", "info_requested", "accepted")
OPEN_PROGRAM_STATES = ("proposed", "changes_requested", "approved", "scheduled", "in_delivery")


def soak_targets(cluster: Cluster, email: str) -> tuple[list[int], list[int]]:
    """Open needs and programs ``email`` can see (through the app's visibility queries)."""
    from collab.needs.queries import visible_needs
    from collab.programs.queries import visible_programs

    with cluster.app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        needs = [
            n.id
            for n in db.session.scalars(visible_needs(user)).unique()
            if n.status in OPEN_NEED_STATES
        ]
        programs = [
            p.id
            for p in db.session.scalars(visible_programs(user)).unique()
            if p.status in OPEN_PROGRAM_STATES
        ]
    assert needs and programs, email
    return sorted(needs)[:4], sorted(programs)[:4]


class Soak:
    """Counts, latencies and the comments written, shared by the soak's threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.per_server: Counter = Counter()
        self.latencies: list[float] = []
        self.written: list[str] = []
        self.unexpected: list[str] = []
        self.errors: list[str] = []

    def record(self, label, resp, expected=200):
        """Count one response; anything but ``expected`` is listed as unexpected."""
        with self.lock:
            self.statuses[resp.status] += 1
            self.per_server[resp.server] += 1
            self.latencies.append(resp.elapsed)
            if resp.status != expected:
                self.unexpected.append(f"{label} on {resp.server}: {resp.status} {resp.text[:200]}")


def soak_worker(cluster: Cluster, soak: Soak, index: int, email: str, deadline: float):
    """One person until ``deadline``: sign in, then pages, htmx fragments and comments on
    what they can see (about one request in six a write), alternating between the servers."""
    rng = random.Random(index)
    servers = [cluster.a, cluster.b]
    needs, programs = soak_targets(cluster, email)
    b = signed_in(servers[index % 2], email)
    n = 0
    while time.monotonic() < deadline:
        n += 1
        server = servers[(n + index) % 2]
        need, program = rng.choice(needs), rng.choice(programs)
        kind = rng.choices(
            ["page", "fragment", "comment_need", "comment_program"], weights=[5, 4, 1, 1]
        )[0]
        try:
            if kind == "page":
                path = rng.choice(
                    ["/dashboard", "/needs/", "/programs/", f"/needs/{need}",
                     f"/programs/{program}", "/notifications"]
                )  # fmt: skip
                soak.record(f"GET {path}", b.get(server, path))
            elif kind == "fragment":
                path = rng.choice(
                    ["/notifications/count", f"/needs/{need}/comments?part=list",
                     f"/programs/{program}/comments?part=list", f"/needs/{need}/timeline"]
                )  # fmt: skip
                soak.record(f"GET {path} (htmx)", b.get(server, path, htmx=True))
            else:
                entity, eid = ("needs", need) if kind == "comment_need" else ("programs", program)
                body = f"soak-{cluster.run_id}-{index}-{n} beban campuran"
                resp = b.post(server, f"/{entity}/{eid}/comments", {"body": body}, htmx=True)
                soak.record(f"POST /{entity}/{eid}/comments", resp)
                if resp.status == 200:
                    with soak.lock:
                        soak.written.append(body)
        except Exception as exc:  # noqa: BLE001 - a refused or dropped connection is a failure
            with soak.lock:
                soak.errors.append(f"{kind} on {server}: {exc!r}")
        time.sleep(rng.uniform(0, 0.05))


def test_soak_of_mixed_traffic_across_both_servers(cluster, capsys):
    soak = Soak()
    threads = min(SOAK_THREADS, len(SOAK_USERS) * 2)
    started = time.monotonic()
    deadline = started + SOAK_SECONDS
    with ThreadPoolExecutor(threads) as pool:
        futures = [
            pool.submit(soak_worker, cluster, soak, i, SOAK_USERS[i % len(SOAK_USERS)], deadline)
            for i in range(threads)
        ]
        for f in futures:
            f.result()
    duration = time.monotonic() - started
    with cluster.app.app_context():
        stored = Counter(
            db.session.scalars(
                sa.select(Comment.body).where(Comment.body.like(f"soak-{cluster.run_id}-%"))
            )
        )
    lat = sorted(soak.latencies)
    p50 = statistics.median(lat) * 1000
    p95 = lat[int(len(lat) * 0.95) - 1] * 1000
    total = sum(soak.statuses.values())
    fives = sum(c for s, c in soak.statuses.items() if s >= 500)
    summary = (
        f"SCALEOUT soak: {duration:.0f}s, {threads} threads, 2 servers x 2 workers, "
        f"{total} requests ({total / duration:.1f}/s; "
        + ", ".join(f"{n} on {s}" for s, n in sorted(soak.per_server.items()))
        + f"), statuses {dict(sorted(soak.statuses.items()))}, 5xx {fives}, "
        f"errors {len(soak.errors)}, writes {len(soak.written)} sent / "
        f"{sum(stored.values())} stored, p50 {p50:.0f} ms, p95 {p95:.0f} ms"
    )
    with capsys.disabled():
        print("\n" + summary)
    assert not soak.errors, soak.errors[:10]
    assert fives == 0 and not soak.unexpected, soak.unexpected[:10]
    assert soak.written, "the soak wrote nothing"
    assert stored == Counter(soak.written), "every comment written is stored exactly once"
