"""A large synthetic but realistic dataset for the benchmark, bulk-inserted on top of the demo.

At ``scale=1.0`` (the default of ``make bench``): 38 provinces' worth of Pemda (228 Pemda,
2,052 OPD), 100,000 needs, 20,000 programs, 200,000 participants and 1,000,000 audit events;
``make bench QUICK=1`` uses ``scale=0.1`` (the Pemda tree stays full size, the rest is a tenth).
The demo seed (``flask seed-demo``) must have run first: its accounts are the ones the
benchmark signs in with, and its Pemda get their share of the synthetic rows, so the demo
officer of Kota Pontianak sees a list as long as any other Pemda's.

Rows go in with SQLAlchemy Core ``executemany`` in batches (no ORM objects, no per-row
events); explicit ids, so the PostgreSQL sequences are moved past them at the end. The data
obey every constraint of the schema and the state machines' invariants (a designer on every
reviewed need, sign-offs on approved programs, JP only for passed participants of delivered or
evaluated programs), so every page renders them as it would real data.

One need, :data:`LONG_TIMELINE_EVENTS` events long, is the "long timeline" page of the
benchmark; :func:`seed_bulk` returns its id with the other fixtures the load driver needs.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from collab.extensions import db
from collab.jp.years import jp_year_of, rebuild_year_totals
from collab.models import (
    AuditEvent,
    BudgetLine,
    Comment,
    CompetencyGap,
    CurriculumModule,
    Need,
    Notification,
    Organization,
    Participant,
    Program,
    ProgramCompetency,
    ProgramQuota,
    ProgramRevision,
    ProgramSession,
    SignOff,
    User,
    program_need,
)
from collab.models.need import urgency_rank
from collab.models.user import new_session_token
from collab.reference import provinces

FULL = {
    "pemda_per_province": 6,
    "opd_per_pemda": 9,
    "needs": 100_000,
    "programs": 20_000,
    "participants": 200_000,
    "audit_events": 1_000_000,
    "comments": 30_000,
    "notifications": 20_000,
}
"""Row counts at ``scale=1.0``; the Pemda tree is not scaled."""

LONG_TIMELINE_EVENTS = 500
"""Events on the benchmark's long-timeline need."""

LONG_TIMELINE_COMMENTS = 5
"""Comments on the long-timeline need."""

BATCH = 5_000
"""Rows per ``executemany``."""

OPD_NAMES = (
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Sosial",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Perumahan Rakyat dan Kawasan Permukiman",
    "Satuan Polisi Pamong Praja",
    "Badan Penanggulangan Bencana Daerah",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Komunikasi dan Informatika",
)
URUSAN = ("1.01", "1.02", "1.03", "1.04", "1.05", "1.06", "2.12", "2.16")
TOPICS = (
    ("Rekam medis elektronik", "petugas puskesmas belum dapat mengoperasikan RME"),
    ("Asesmen pembelajaran", "guru belum menguasai asesmen diagnostik Kurikulum Merdeka"),
    ("Layanan adminduk daring", "operator belum mampu melayani permohonan KTP-el daring"),
    ("Pengawasan bangunan gedung", "pengawas belum menguasai SIMBG"),
    ("Penanganan kebakaran", "petugas damkar belum tersertifikasi penanganan B3"),
    ("Tata kelola data sektoral", "pengelola data belum menerapkan Satu Data Indonesia"),
    ("Kesiapsiagaan bencana", "petugas belum menguasai kaji cepat pascabencana"),
    ("Pelayanan sosial dasar", "pendamping belum menguasai DTKS"),
)
NEED_STATES = (
    ("draft", 5),
    ("verifying", 5),
    ("submitted", 25),
    ("in_review", 15),
    ("info_requested", 5),
    ("accepted", 25),
    ("declined", 5),
    ("withdrawn", 3),
    ("fulfilled", 12),
)
PROGRAM_STATES = (
    ("draft", 10),
    ("proposed", 10),
    ("changes_requested", 5),
    ("approved", 10),
    ("rejected", 3),
    ("scheduled", 15),
    ("in_delivery", 7),
    ("delivered", 15),
    ("evaluated", 22),
    ("cancelled", 3),
)
WITH_PARTICIPANTS = {"scheduled", "in_delivery", "delivered", "evaluated"}
SIGNED = WITH_PARTICIPANTS | {"approved"}
URGENCIES = ("critical", "high", "medium", "low")
SLA_DAYS = {"critical": 2, "high": 5, "medium": 10, "low": 20}


@dataclass
class Fixtures:
    """What the load driver needs from the dataset: ids of representative rows and counts."""

    long_need_id: int = 0
    """A Kota Pontianak need sent to BKN with :data:`LONG_TIMELINE_EVENTS` audit events."""
    program_id: int = 0
    """An evaluated Kota Pontianak program with participants, sessions and sign-offs."""
    take_need_ids: list[int] = field(default_factory=list)
    """Submitted needs (version 1) the BKN designer can *take*, one per benchmark POST."""
    counts: dict[str, int] = field(default_factory=dict)
    """Rows inserted per table."""


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...], n: int) -> list[str]:
    names = [name for name, _ in table]
    weights = [w for _, w in table]
    return rng.choices(names, weights, k=n)


class _Writer:
    """Batched Core inserts with explicit ids, counting rows per table."""

    def __init__(self, conn: sa.Connection):
        self.conn = conn
        self.counts: dict[str, int] = {}
        self.pending: dict[str, list[dict]] = {}
        self.tables: dict[str, sa.Table] = {}

    def next_id(self, table: sa.Table) -> int:
        return (self.conn.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1

    def add(self, table: sa.Table, row: dict) -> None:
        rows = self.pending.setdefault(table.name, [])
        self.tables[table.name] = table
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Insert every pending row, parents before children (foreign keys hold on
        PostgreSQL at each statement)."""
        for table in db.metadata.sorted_tables:
            rows = self.pending.get(table.name)
            if rows:
                if self.conn.dialect.name == "postgresql":
                    self._copy(table, rows)
                else:
                    self.conn.execute(table.insert(), rows)
                self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
                rows.clear()

    def _copy(self, table: sa.Table, rows: list[dict]) -> None:
        """PostgreSQL: ``COPY … FROM STDIN`` (several times faster than multi-row INSERT).
        Values are written as the column types store them: timestamps naive UTC, JSON as
        text."""
        columns = list(rows[0])
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = self.conn.connection.dbapi_connection.cursor()
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_pg_value(row[c]) for c in columns])


def _pg_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def _nip(rng: random.Random, serial: int) -> str:
    """An 18-digit NIP of the standard shape: birth date, appointment month, sex, serial."""
    born = date(1970, 1, 1) + timedelta(days=rng.randrange(365 * 30))
    appointed = f"{born.year + rng.randint(22, 30)}{rng.randint(1, 12):02d}"
    return f"{born:%Y%m%d}{appointed}{rng.randint(1, 2)}{serial % 1000:03d}"


def seed_bulk(scale: float = 1.0, seed: int = 20261130) -> Fixtures:
    """Insert the benchmark dataset at ``scale`` (1.0 = :data:`FULL`) in one transaction on
    ``db.session``'s connection and commit. Needs the demo seed; raises ``RuntimeError``
    without it. Returns :class:`Fixtures`. Times are aware UTC, spread over the three fiscal
    years before ``now``."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        # the rows are consistent by construction: skip per-row foreign-key triggers (needs a
        # superuser, as the benchmark's own database has) and the wait for each WAL flush
        conn.execute(sa.text("SET LOCAL synchronous_commit = off"))
        if conn.scalar(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")):
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
    w = _Writer(conn)
    tree = ("pemda_per_province", "opd_per_pemda")
    n = {k: v if k in tree else max(1, int(v * scale)) for k, v in FULL.items()}
    org_t, user_t = Organization.__table__, User.__table__
    demo_user = conn.execute(
        sa.select(user_t.c.id, user_t.c.password_hash).where(
            user_t.c.email == "dinkes@pontianak.sinergi.test"
        )
    ).first()
    if demo_user is None:
        raise RuntimeError("seed the demo first (flask seed-demo): the benchmark signs in as it")
    password_hash = demo_user.password_hash
    bkn_unit = conn.scalar(sa.select(org_t.c.id).where(org_t.c.kind == "bkn").order_by("id"))
    demo_designer = conn.scalar(
        sa.select(user_t.c.id).where(user_t.c.email == "perancang@bkn.sinergi.test")
    )
    demo_bkn_approver = conn.scalar(
        sa.select(user_t.c.id).where(user_t.c.email == "pejabat@bkn.sinergi.test")
    )

    # --- organisations: 38 provinces × (1 provincial + 5 kab/kota) Pemda, each with OPD -----
    org_id = w.next_id(org_t)
    pemda: list[tuple[int, list[int], str]] = []  # (pemda id, its OPD ids, zone)
    for prov in provinces():
        prov_code, prov_name, prov_zone = prov["code"], prov["name"], prov["timezone"]
        for k in range(n["pemda_per_province"]):
            pid, org_id = org_id, org_id + 1
            code = prov_code if k == 0 else f"{prov_code}.{70 + k:02d}"
            name = f"Provinsi {prov_name}" if k == 0 else f"Kabupaten Contoh {k} ({prov_name})"
            w.add(org_t, _org(pid, name, "pemda", None, pid, code, prov_zone, now))
            opd = []
            for j in range(n["opd_per_pemda"]):
                oid, org_id = org_id, org_id + 1
                opd_name = OPD_NAMES[j % len(OPD_NAMES)]
                w.add(org_t, _org(oid, opd_name, "opd", pid, pid, code, prov_zone, now))
                opd.append(oid)
            pemda.append((pid, opd, prov_zone))
    w.flush()
    first_new = pemda[0][0]
    # the demo Pemda take their share of needs, programs and participants
    for row in conn.execute(
        sa.select(org_t.c.id, org_t.c.timezone).where(
            org_t.c.kind == "pemda", org_t.c.id < pemda[0][0]
        )
    ):
        opd = list(
            conn.scalars(
                sa.select(org_t.c.id).where(org_t.c.pemda_id == row.id, org_t.c.kind == "opd")
            )
        ) or [row.id]
        pemda.append((row.id, opd, row.timezone))

    # --- users: an officer and a BKPSDM approver per new Pemda, 40 BKN designers ---------------
    user_id = w.next_id(user_t)
    officers: dict[int, int] = {}
    approvers: dict[int, int] = {}
    for pid, opd, _zone in pemda:
        if pid >= first_new:
            for role, org in (("pemda_officer", opd[0]), ("pemda_approver", pid)):
                w.add(
                    user_t,
                    _user(
                        user_id, f"{role}.{pid}@bench.sinergi.test", org, role, password_hash, now
                    ),
                )
                (officers if role == "pemda_officer" else approvers)[pid] = user_id
                user_id += 1
    designers = [demo_designer]
    for _ in range(40):
        w.add(
            user_t,
            _user(
                user_id,
                f"perancang.{user_id}@bench.sinergi.test",
                bkn_unit,
                "bkn_designer",
                password_hash,
                now,
            ),
        )
        designers.append(user_id)
        user_id += 1
    w.flush()
    for pid, _opd, _zone in pemda:
        if pid not in officers:
            officers[pid] = (
                conn.scalar(
                    sa.select(user_t.c.id)
                    .join(org_t, org_t.c.id == user_t.c.org_id)
                    .where(org_t.c.pemda_id == pid, user_t.c.role == "pemda_officer")
                    .order_by(user_t.c.id)
                )
                or demo_user.id
            )

    # --- needs and their competency gaps ----------------------------------------------------
    need_t, gap_t = Need.__table__, CompetencyGap.__table__
    need_id = w.next_id(need_t)
    gap_id = w.next_id(gap_t)
    states = _weighted(rng, NEED_STATES, n["needs"])
    fixtures = Fixtures()
    needs: list[tuple[int, int, str, datetime | None]] = []  # id, pemda, state, submitted
    accepted: list[tuple[int, int]] = []  # (need id, pemda) for programs to serve
    first_year = now.year - 2
    for i, state in enumerate(states):
        pid, opd, _zone = pemda[i % len(pemda)]
        created = now - timedelta(days=rng.randrange(3, 900), minutes=rng.randrange(1440))
        urgency = rng.choice(URGENCIES)
        submitted = None
        if state not in ("draft", "verifying") and not (state == "withdrawn" and i % 2):
            submitted = created + timedelta(days=rng.randrange(0, 3), hours=2)
        changed = (submitted or created) + timedelta(days=rng.randrange(0, 20))
        changed = min(changed, now - timedelta(minutes=5))
        designer = (
            rng.choice(designers)
            if state in ("in_review", "info_requested", "accepted", "fulfilled")
            else None
        )
        title, problem = TOPICS[i % len(TOPICS)]
        row = {
            "id": need_id,
            "org_id": rng.choice(opd),
            "pemda_id": pid,
            "created_by_id": officers[pid],
            "form_nonce": None,
            "title": f"{title} #{need_id}",
            "urusan_code": URUSAN[i % len(URUSAN)],
            "spm_service_no": None,
            "affected_service": "Pelayanan dasar",
            "problem_statement": f"Sebanyak {rng.randint(5, 90)} {problem}; "
            f"layanan terganggu sejak {created:%B %Y}.",
            "indicator_name": "Cakupan pelayanan sesuai standar",
            "indicator_unit": "%",
            "indicator_baseline": rng.randint(30, 70),
            "indicator_target": rng.randint(75, 100),
            "target_jabatan": "Pelaksana",
            "asn_affected": rng.randint(3, 120),
            "urgency": urgency,
            "urgency_rank": urgency_rank(urgency),  # COPY bypasses the column default
            "urgency_justification": "Layanan dasar SPM tidak terpenuhi.",
            "needed_by": (created + timedelta(days=120)).date(),
            "fiscal_year": first_year + (i % 3),
            "status": state,
            "status_changed_at": changed,
            "assigned_designer_id": designer,
            "submitted_at": submitted,
            "sla_due_at": submitted + timedelta(days=SLA_DAYS[urgency] * 7 // 5)
            if submitted
            else None,
            "first_response_at": None if state == "submitted" or not submitted else changed,
            "created_at": created,
            "updated_at": changed,
            "version": 1,
        }
        w.add(need_t, row)
        w.add(
            gap_t,
            {
                "id": gap_id,
                "need_id": need_id,
                "position": 0,
                "kind": "teknis",
                "code": None,
                "name": title,
                "current_level": rng.randint(1, 2),
                "target_level": rng.randint(3, 5),
            },
        )
        gap_id += 1
        needs.append((need_id, pid, state, submitted))
        if state in ("accepted", "fulfilled"):
            accepted.append((need_id, pid))
        if state == "submitted":
            fixtures.take_need_ids.append(need_id)
        need_id += 1
    w.flush()

    # --- programs with modules, sessions, quotas, budget, competencies, revisions, sign-offs -
    prog_t = Program.__table__
    prog_id = w.next_id(prog_t)
    ids = {
        t.name: w.next_id(t)
        for t in (
            CurriculumModule.__table__,
            ProgramSession.__table__,
            ProgramQuota.__table__,
            BudgetLine.__table__,
            ProgramCompetency.__table__,
            ProgramRevision.__table__,
            SignOff.__table__,
            Participant.__table__,
        )
    }

    def take(name: str) -> int:
        ids[name] += 1
        return ids[name] - 1

    snapshot = {"title": "", "objectives": "", "modules": [], "sessions": []}
    pstates = _weighted(rng, PROGRAM_STATES, n["programs"])
    per_program = max(1, n["participants"] // max(1, sum(s in WITH_PARTICIPANTS for s in pstates)))
    programs: list[tuple[int, str, list[int]]] = []
    nip_serial = 0
    demo_pontianak = conn.scalar(
        sa.select(org_t.c.id).where(org_t.c.kind == "pemda", org_t.c.name.like("%Pontianak%"))
    )
    for i, state in enumerate(pstates):
        served = (
            [accepted[(i * 2 + k) % len(accepted)] for k in range(1 + i % 3)] if accepted else []
        )
        served = list(dict(served).items())
        partners = sorted({p for _n, p in served})
        if i == 0 and demo_pontianak:
            state = "evaluated"
            own = [
                (nid, p) for nid, p, st, _s in needs if p == demo_pontianak and st == "fulfilled"
            ]
            served = own[:1] or served
            partners = [demo_pontianak]
        owner = rng.choice(designers)
        start = (now - timedelta(days=rng.randrange(-120, 800))).date()
        end = start + timedelta(days=rng.randrange(2, 10))
        zone = "Asia/Pontianak"
        changed = min(now - timedelta(minutes=5), datetime.combine(end, datetime.min.time(), UTC))
        revision = 0 if state == "draft" else 1
        w.add(
            prog_t,
            {
                "id": prog_id,
                "title": f"Pelatihan {TOPICS[i % len(TOPICS)][0]} angkatan {i + 1}",
                "objectives": "Peserta mampu menerapkan kompetensi pada layanan unit kerjanya.",
                "development_type_id": 1 + i % 25,
                "method": ("luring", "daring", "bauran")[i % 3],
                "planned_start": start,
                "planned_end": end,
                "venue": "BPSDM Provinsi",
                "timezone": zone,
                "min_attendance_pct": 80,
                "pass_mark": 70,
                "fiscal_year": start.year,
                "status": state,
                "status_changed_at": changed,
                "current_revision": revision,
                "signoff_due_at": changed + timedelta(days=7) if state == "proposed" else None,
                "owner_id": owner,
                "owner_org_id": bkn_unit,
                "created_at": changed - timedelta(days=30),
                "updated_at": changed,
                "version": 1,
            },
        )
        for nid, _p in served:
            w.add(program_need, {"program_id": prog_id, "need_id": nid})
        jp_total = 0
        last_end = None
        for k in range(3):
            jp = 8 + 2 * k
            jp_total += jp
            w.add(
                CurriculumModule.__table__,
                {
                    "id": take("curriculum_module"),
                    "program_id": prog_id,
                    "position": k,
                    "title": f"Modul {k + 1}",
                    "jp": jp,
                },
            )
            starts = datetime.combine(start + timedelta(days=k), datetime.min.time(), UTC)
            last_end = starts + timedelta(hours=8)
            w.add(
                ProgramSession.__table__,
                {
                    "id": take("program_session"),
                    "program_id": prog_id,
                    "starts_at": starts + timedelta(hours=1),
                    "ends_at": last_end,
                    "location": "Aula BPSDM",
                    "topic": f"Modul {k + 1}",
                    "jp": jp,
                },
            )
        for p in partners:
            w.add(
                ProgramQuota.__table__,
                {
                    "id": take("program_quota"),
                    "program_id": prog_id,
                    "org_id": p,
                    "quota": 40,
                },
            )
        w.add(
            BudgetLine.__table__,
            {
                "id": take("budget_line"),
                "program_id": prog_id,
                "position": 0,
                "source": "apbn",
                "description": "Honorarium narasumber",
                "amount": rng.randrange(10, 200) * 500_000,
            },
        )
        w.add(
            ProgramCompetency.__table__,
            {
                "id": take("program_competency"),
                "program_id": prog_id,
                "position": 0,
                "kind": "teknis",
                "code": None,
                "name": TOPICS[i % len(TOPICS)][0],
                "target_level": 3,
            },
        )
        if revision:
            w.add(
                ProgramRevision.__table__,
                {
                    "id": take("program_revision"),
                    "program_id": prog_id,
                    "number": 1,
                    "snapshot": snapshot,
                    "proposed_by_id": owner,
                    "proposed_at": changed - timedelta(days=20),
                },
            )
        if state in SIGNED:
            # BKN, then each partner Pemda, approved revision 1
            parties = [("bkn", bkn_unit, demo_bkn_approver, 15)] + [
                (str(p), p, approvers.get(p, officers[p]), 14) for p in partners
            ]
            for party, org, user, days_before in parties:
                w.add(
                    SignOff.__table__,
                    {
                        "id": take("sign_off"),
                        "program_id": prog_id,
                        "revision": 1,
                        "party": party,
                        "org_id": org,
                        "user_id": user,
                        "decision": "approve",
                        "comment": None,
                        "created_at": changed - timedelta(days=days_before),
                    },
                )
        if state in WITH_PARTICIPANTS and partners:
            done = state in ("delivered", "evaluated")
            # the JP ledger's year, as compute_completion sets it when a program completes
            jp_year = jp_year_of(last_end, zone) if done else None
            for k in range(per_program):
                p = partners[k % len(partners)]
                nip_serial += 1
                post = rng.randint(50, 100) if done else None
                passed = (post or 0) >= 70 if done else None
                w.add(
                    Participant.__table__,
                    {
                        "id": take("participant"),
                        "program_id": prog_id,
                        "pemda_id": p,
                        "nip": _nip(rng, nip_serial)[:15] + f"{nip_serial % 1000:03d}",
                        "kind": "pns",
                        "name": f"ASN Peserta {nip_serial}",
                        "jabatan": "Pelaksana",
                        "unit": "Puskesmas",
                        "golongan": "III/a",
                        "status": "enrolled",
                        "nominated_by_id": officers[p],
                        "nominated_at": changed - timedelta(days=10),
                        "enrolled_by_id": owner,
                        "enrolled_at": changed - timedelta(days=8),
                        "pre_score": rng.randint(30, 70) if done else None,
                        "post_score": post,
                        "passed": passed,
                        "jp_earned": jp_total if passed else (0 if done else None),
                        "jp_year": jp_year,
                        "certificate_no": None,
                        "version": 1,
                    },
                )
        if i == 0:
            fixtures.program_id = prog_id
        programs.append((prog_id, state, partners))
        prog_id += 1
    w.flush()

    # --- audit events: each need's and program's history, then the long timeline -----------
    audit_t = AuditEvent.__table__
    audit_id = w.next_id(audit_t)
    budget = n["audit_events"] - LONG_TIMELINE_EVENTS
    per_need = max(1, int(budget * 0.6) // max(1, len(needs)))
    per_program = max(1, (budget - per_need * len(needs)) // max(1, len(programs)))
    for nid, pid, _state, submitted in needs:
        at = (submitted or now - timedelta(days=30)) - timedelta(days=2)
        for k in range(per_need):
            action = ("create", "edit", "submit", "verify", "take", "comment")[min(k, 5)]
            w.add(
                audit_t,
                {
                    "id": audit_id,
                    "created_at": at + timedelta(hours=k),
                    "actor_id": officers[pid],
                    "entity_type": "need",
                    "entity_id": nid,
                    "action": action,
                    "from_state": None,
                    "to_state": "submitted" if action == "verify" else None,
                    "comment": None,
                    "data": None,
                },
            )
            audit_id += 1
    extra = budget - per_need * len(needs) - per_program * len(programs)  # exact total
    for index, (pid_, _state, _partners) in enumerate(programs):
        events = per_program + extra // len(programs) + (index < extra % len(programs))
        for k in range(events):
            w.add(
                audit_t,
                {
                    "id": audit_id,
                    "created_at": now - timedelta(days=60, hours=-k),
                    "actor_id": demo_designer,
                    "entity_type": "program",
                    "entity_id": pid_,
                    "action": ("create", "edit", "propose", "sign_off", "schedule")[min(k, 4)],
                    "from_state": None,
                    "to_state": None,
                    "comment": None,
                    "data": None,
                },
            )
            audit_id += 1
    long_need = next(
        (nid for nid, pid, st, sub in needs if pid == demo_pontianak and st == "in_review"),
        next(nid for nid, _p, st, _s in needs if st == "in_review"),
    )
    fixtures.long_need_id = long_need
    start = now - timedelta(days=200)
    for k in range(LONG_TIMELINE_EVENTS):
        asking = k % 2 == 0
        w.add(
            audit_t,
            {
                "id": audit_id,
                "created_at": start + timedelta(hours=6 * k),
                "actor_id": demo_designer if asking else demo_user.id,
                "entity_type": "need",
                "entity_id": long_need,
                "action": "request_info" if asking else "respond",
                "from_state": "in_review" if asking else "info_requested",
                "to_state": "info_requested" if asking else "in_review",
                "comment": f"Pertanyaan/jawaban ke-{k + 1}: rincian jumlah ASN per puskesmas.",
                "data": None,
            },
        )
        audit_id += 1
    w.flush()

    # --- comments and notifications ----------------------------------------------------------
    comment_t = Comment.__table__
    comment_id = w.next_id(comment_t)
    shared = [x for x in needs if x[3] is not None]
    long_row = next(x for x in needs if x[0] == long_need)
    for k in range(n["comments"]):
        # the long-timeline need carries a discussion at every scale (its page shows comments)
        row = long_row if k < LONG_TIMELINE_COMMENTS else shared[(k * 7) % len(shared)]
        nid, pid, _st, sub = row
        w.add(
            comment_t,
            {
                "id": comment_id,
                "entity_type": "need",
                "entity_id": nid,
                "author_id": officers[pid] if k % 2 else demo_designer,
                "side": str(pid) if k % 2 else "bkn",
                "visibility": "shared",
                "body": "Mohon konfirmasi jadwal dan jumlah peserta.",
                "created_at": sub,
                "edited_at": None,
                "deleted_at": None,
                "version": 1,
                "transition": None,
            },
        )
        comment_id += 1
    note_t = Notification.__table__
    note_id = w.next_id(note_t)
    recipients = [demo_user.id, demo_designer, demo_bkn_approver]
    for k in range(n["notifications"]):
        nid, pid, _st, _sub = shared[(k * 13) % len(shared)]
        w.add(
            note_t,
            {
                "id": note_id,
                "recipient_id": recipients[k % 3] if k % 10 < 3 else officers[pid],
                "kind": "transition",
                "event": "need.verify",
                "entity_type": "need",
                "entity_id": nid,
                "actor_id": officers[pid],
                "params": {
                    "title": f"Usulan #{nid}",
                    "actor": "BKPSDM",
                    "action": "verify",
                    "from": "verifying",
                    "to": "submitted",
                    "comment": None,
                },
                "dedupe_key": None,
                "created_at": now - timedelta(minutes=k),
                "read_at": now if k % 4 else None,
            },
        )
        note_id += 1
    w.flush()
    _move_sequences(conn)
    rebuild_year_totals()  # the JP ledger's ASN per year, as completions keep it
    db.session.commit()
    fixtures.counts = dict(w.counts)
    return fixtures


def _org(oid, name, kind, parent, pemda_id, code, zone, now) -> dict:
    return {
        "id": oid,
        "name": name,
        "kind": kind,
        "parent_id": parent,
        "pemda_id": pemda_id,
        "region_code": code,
        "region_name": name,
        "timezone": zone,
        "active": True,
        "created_at": now,
    }


def _user(uid, email, org, role, password_hash, now) -> dict:
    return {
        "id": uid,
        "email": email,
        "name": email.split("@")[0].replace(".", " ").title(),
        "nip": None,
        "org_id": org,
        "role": role,
        "active": True,
        "locale": "id",
        "timezone": None,
        "password_hash": password_hash,
        "preferences": {},
        "session_token": new_session_token(),  # never guessable, as for any account
        "created_at": now,
    }


def _move_sequences(conn: sa.Connection) -> None:
    """On PostgreSQL, move each table's id sequence past the explicit ids inserted."""
    if conn.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key:
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 1))"
                )
            )


def analyze() -> None:
    """Refresh the planner's statistics after the bulk load (``ANALYZE``), as a database that
    grew through use would have them."""
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(sa.text("VACUUM ANALYZE"))
    else:
        conn.execute(sa.text("ANALYZE"))
        db.session.commit()


def main(argv: list[str] | None = None) -> None:
    """``python -m collab.bench.dataset --scale 0.1 --out fixtures.json``: seed the database of
    ``DATABASE_URL`` (migrated and demo-seeded) and write :class:`Fixtures` as JSON."""
    import argparse
    import time

    from collab import create_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    app = create_app()
    with app.app_context():
        start = time.perf_counter()
        fixtures = seed_bulk(args.scale)
        analyze()
        seconds = time.perf_counter() - start
    data = {
        "long_need_id": fixtures.long_need_id,
        "program_id": fixtures.program_id,
        "take_need_ids": fixtures.take_need_ids,
        "counts": fixtures.counts,
        "bulk_s": round(seconds, 1),
    }
    with open(args.out, "w") as fh:
        json.dump(data, fh)


if __name__ == "__main__":
    main()
