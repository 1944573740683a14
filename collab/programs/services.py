"""Writes on programs: create and edit a proposal, propose (freeze a revision), joint sign-off,
scheduling and delivery, sessions. Each function takes the acting user, checks permission and
state through :data:`collab.workflow.programs.PROGRAM_TRANSITIONS`, mutates, audits and
flushes; none commits. Needs follow their programs (accept / release / fulfil).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from collab import labels, reference
from collab.core.audit import record_event
from collab.core.i18n import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_rupiah,
    local_today,
    select_timezone,
    zone_abbr,
)
from collab.core.templating import dev_type
from collab.core.workdays import add_working_days
from collab.errors import (
    InvalidTransition,
    NotAllowed,
    NotFound,
    StaleObject,
    ValidationFailed,
)
from collab.extensions import db
from collab.models import (
    Attendance,
    BudgetLine,
    CurriculumModule,
    Need,
    Participant,
    ParticipantStatus,
    Program,
    ProgramCompetency,
    ProgramQuota,
    ProgramRevision,
    ProgramSession,
    Role,
    SignOff,
    User,
    program_need,
    utcnow,
)
from collab.needs.services import system_transition_need, transition_need
from collab.workflow import programs as wf
from collab.workflow.base import Party, Transition, available, find, guards_of

PROGRAM_ACTIONS = frozenset(t.action for t in wf.PROGRAM_TRANSITIONS)
"""Actions a user may request on a program (anything else is an unknown URL)."""

JP_MINUTES = 45
"""1 JP (jam pelajaran) = 45 minutes of learning (reference/README.md)."""

LINKABLE_NEED_STATES = ("submitted", "in_review", "accepted")
"""A program may serve needs BKN has received and not closed (accepted ones may be shared)."""


@dataclass
class CompetencyData:
    """A competency the program develops: ``kind``, ``code`` (listed kinds) or ``name``
    (technical), ``target_level`` 1–5."""

    kind: str
    name: str | None
    code: str | None
    target_level: int


@dataclass
class ModuleData:
    """A curriculum module: ``title`` and ``jp`` (whole JP of 45 minutes)."""

    title: str
    jp: int


@dataclass
class BudgetData:
    """A budget line: ``source`` (apbn/apbd/lainnya), ``amount`` in whole rupiah."""

    source: str
    amount: int
    description: str | None = None


@dataclass
class ProgramData:
    """Everything a designer enters for a program (units as on :class:`Program`)."""

    title: str
    objectives: str
    development_type_id: int
    method: str
    fiscal_year: int
    need_ids: list[int]
    planned_start: date | None = None
    planned_end: date | None = None
    venue: str | None = None
    timezone: str = "Asia/Pontianak"
    min_attendance_pct: int = 80
    pass_mark: int = 70
    competencies: list[CompetencyData] = field(default_factory=list)
    modules: list[ModuleData] = field(default_factory=list)
    quotas: dict[int, int] = field(default_factory=dict)
    budget: list[BudgetData] = field(default_factory=list)


@dataclass
class SessionData:
    """A session as entered: local start/end (naive, in the program's zone), place, topic, JP."""

    starts_local: datetime
    ends_local: datetime
    location: str
    topic: str
    jp: int


# --- who ------------------------------------------------------------------------------------


def parties_for(user: User, program: Program) -> set[Party]:
    """How ``user`` relates to ``program`` (owner designer, BKN approver, partner approver)."""
    out: set[Party] = set()
    if not user.active:
        return out
    if user.role == Role.BKN_DESIGNER and program.owner_id == user.id:
        out.add(Party.OWNER_DESIGNER)
    elif user.role == Role.BKN_APPROVER:
        out.add(Party.BKN_APPROVER)
    elif user.role == Role.PEMDA_APPROVER and user.pemda_id in program.partner_ids:
        out.add(Party.PARTNER_APPROVER)
    return out


def sign_off_party(user: User) -> str | None:
    """The sign-off party a user decides for: ``"bkn"`` or their Pemda's id as text."""
    if user.role == Role.BKN_APPROVER:
        return "bkn"
    if user.role == Role.PEMDA_APPROVER and user.pemda_id:
        return str(user.pemda_id)
    return None


def required_parties(program: Program) -> list[str]:
    """Parties whose approval of the current revision makes the program approved."""
    return ["bkn"] + [str(pid) for pid in program.partner_ids]


def sign_offs_for(program: Program, revision: int | None = None) -> dict[str, SignOff]:
    """Decisions on ``revision`` (default: the current one) by party."""
    revision = program.current_revision if revision is None else revision
    rows = db.session.scalars(
        sa.select(SignOff).where(SignOff.program_id == program.id, SignOff.revision == revision)
    ).unique()
    return {s.party: s for s in rows}


def pending_parties(program: Program) -> list[str]:
    """Required parties that have not decided on the current revision (only while proposed)."""
    if program.status != wf.PROPOSED:
        return []
    done = sign_offs_for(program)
    return [p for p in required_parties(program) if p not in done]


def program_turn(program: Program, pending: list[str] | None = None) -> str | None:
    """``"bkn"``, ``"pemda"``, ``"both"`` or None (closed): whose move it is."""
    turn = wf.TURN.get(program.status)
    if turn != "signoff":
        return turn
    pending = pending_parties(program) if pending is None else pending
    bkn = "bkn" in pending
    pemda = any(p != "bkn" for p in pending)
    return "both" if bkn and pemda else ("bkn" if bkn else "pemda")


def program_actions(user: User, program: Program) -> list[Transition]:
    """Transitions ``user`` may take now. A party that already decided on the current revision
    is not offered the sign-off actions again."""
    out = available(wf.PROGRAM_TRANSITIONS, program.status, parties_for(user, program))
    if program.status == wf.PROPOSED:
        party = sign_off_party(user)
        if party and party in sign_offs_for(program):
            out = [t for t in out if "sign_off" not in t.effects]
    return out


def can_edit_program(user: User, program: Program) -> bool:
    """True when ``user`` may edit the proposal's content now (owner, draft or changes asked)."""
    return program.status in wf.EDITABLE_STATES and Party.OWNER_DESIGNER in parties_for(
        user, program
    )


def check_can_edit_program(user: User, program: Program) -> None:
    """Raise unless ``user`` may edit ``program`` now: :class:`NotAllowed` for anyone but the
    owner designer, :class:`InvalidTransition` (409, naming the status) outside draft and
    changes requested."""
    if Party.OWNER_DESIGNER not in parties_for(user, program):
        raise NotAllowed(_("Program hanya dapat diubah oleh perancangnya."))
    if program.status not in wf.EDITABLE_STATES:
        raise InvalidTransition(
            _(
                "Program tidak dapat diubah karena berstatus %(status)s.",
                status=labels.PROGRAM_STATUS[program.status],
            )
        )


def can_edit_sessions(user: User, program: Program) -> bool:
    """True when ``user`` may add or remove sessions now."""
    return program.status in wf.SESSION_EDITABLE_STATES and Party.OWNER_DESIGNER in parties_for(
        user, program
    )


# --- content ----------------------------------------------------------------------------------


def can_design_for(user: User, need: Need) -> bool:
    """True when ``user`` may design a program serving ``need`` (a BKN designer, a need BKN
    has received and not closed)."""
    return user.role == Role.BKN_DESIGNER and need.status in LINKABLE_NEED_STATES


def linkable_needs(user: User, current: Program | None = None) -> list[Need]:
    """Needs a designer may link: received by BKN and not closed, plus those already linked."""
    stmt = sa.select(Need).where(Need.status.in_(LINKABLE_NEED_STATES))
    if current is not None and current.id:
        linked = sa.select(program_need.c.need_id).where(program_need.c.program_id == current.id)
        stmt = sa.select(Need).where(
            sa.or_(Need.status.in_(LINKABLE_NEED_STATES), Need.id.in_(linked))
        )
    stmt = stmt.order_by(Need.pemda_id, Need.id)
    return list(db.session.scalars(stmt).unique())


def partner_asn(needs: list[Need]) -> dict[int, int]:
    """ASN affected per partner Pemda: the sum over its linked needs (the quota ceiling)."""
    out: dict[int, int] = {}
    for need in needs:
        out[need.pemda_id] = out.get(need.pemda_id, 0) + need.asn_affected
    return out


def default_venue_zone() -> str:
    """The venue zone a new program starts with: the viewer's zone when it is one of
    Indonesia's (``reference.TIMEZONES``), else WIB (``Asia/Jakarta``)."""
    zone = select_timezone()
    return zone if zone in reference.TIMEZONES else "Asia/Jakarta"


def suggest_from_needs(needs: list[Need]) -> ProgramData:
    """A starting point for a program serving ``needs``: their competency gaps as target
    competencies (highest target level), a quota per partner Pemda equal to its ASN count,
    the needs' fiscal year (else next year in the viewer's zone) and, when every partner
    Pemda lies in one zone, that zone as the venue's (else the viewer's). The designer edits
    it before saving."""
    comps: dict[tuple[str, str], CompetencyData] = {}
    for need in needs:
        for gap in need.gaps:
            key = (str(gap.kind), gap.code or gap.name)
            best = comps.get(key)
            if best is None or gap.target_level > best.target_level:
                comps[key] = CompetencyData(str(gap.kind), gap.name, gap.code, gap.target_level)
    years = sorted({n.fiscal_year for n in needs})
    zones = {n.pemda.timezone for n in needs}
    return ProgramData(
        title="",
        objectives="",
        development_type_id=3,
        method="luring",
        fiscal_year=years[-1] if years else local_today().year + 1,
        timezone=zones.pop() if len(zones) == 1 else default_venue_zone(),
        need_ids=[n.id for n in needs],
        competencies=list(comps.values()),
        quotas=partner_asn(needs),
    )


def _validate(actor: User, data: ProgramData, program: Program | None) -> list[Need]:
    """Rules a form cannot express alone; returns the needs to link. Raises
    :class:`ValidationFailed` with field errors."""
    errors: dict[str, list[str]] = {}
    allowed = {n.id: n for n in linkable_needs(actor, program)}
    needs = [allowed[i] for i in data.need_ids if i in allowed]
    if len(needs) != len(set(data.need_ids)):
        errors.setdefault("need_ids", []).append(_("Pilihan tidak valid."))
    if not data.need_ids:
        errors.setdefault("need_ids", []).append(_("Pilih sekurang-kurangnya satu usulan."))
    if str(data.development_type_id) not in reference.development_types():
        errors.setdefault("development_type_id", []).append(_("Pilihan tidak valid."))
    if data.timezone not in reference.TIMEZONES:
        errors.setdefault("timezone", []).append(_("Pilihan tidak valid."))
    if data.planned_start and data.planned_end and data.planned_end < data.planned_start:
        errors.setdefault("planned_end", []).append(
            _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        )
    partners = {n.pemda_id for n in needs}
    asn = partner_asn(needs)
    for org_id, quota in data.quotas.items():
        if org_id in asn and quota > asn[org_id]:
            errors.setdefault("quotas", []).append(
                _(
                    "Kuota %(quota)s melebihi jumlah ASN pada usulan Pemda tersebut (%(asn)s).",
                    quota=quota,
                    asn=asn[org_id],
                )
            )
        if org_id not in partners:
            errors.setdefault("quotas", []).append(
                _("Kuota hanya untuk Pemda mitra (pemilik usulan yang ditautkan).")
            )
        if quota < 0:
            errors.setdefault("quotas", []).append(_("Kuota tidak boleh negatif."))
    for i, comp in enumerate(data.competencies):
        if comp.kind == "teknis":
            if not comp.name:
                errors.setdefault(f"competencies-{i}-name", []).append(
                    _("Nama kompetensi teknis wajib diisi.")
                )
        else:
            known = reference.competencies().get(comp.code or "")
            if known is None or known[0] != comp.kind:
                errors.setdefault(f"competencies-{i}-code", []).append(
                    _("Pilih kompetensi dari daftar sesuai jenisnya.")
                )
    for i, line in enumerate(data.budget):
        if line.amount < 0:
            errors.setdefault(f"budget-{i}-amount", []).append(_("Anggaran tidak boleh negatif."))
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)
    return needs


def _apply(program: Program, data: ProgramData) -> None:
    for name in (
        "title",
        "objectives",
        "development_type_id",
        "method",
        "fiscal_year",
        "planned_start",
        "planned_end",
        "venue",
        "timezone",
        "min_attendance_pct",
        "pass_mark",
    ):
        setattr(program, name, getattr(data, name))
    if program.id is not None:
        # replace the rows: delete the old ones first (quota rows are unique per Pemda)
        program.competencies, program.modules, program.quotas, program.budget_lines = [], [], [], []
        db.session.flush()
    program.competencies = [
        ProgramCompetency(
            position=i,
            kind=c.kind,
            code=None if c.kind == "teknis" else c.code,
            name=c.name if c.kind == "teknis" else reference.competencies()[c.code][1],
            target_level=c.target_level,
        )
        for i, c in enumerate(data.competencies)
    ]
    program.modules = [
        CurriculumModule(position=i, title=m.title, jp=m.jp) for i, m in enumerate(data.modules)
    ]
    program.quotas = [ProgramQuota(org_id=k, quota=v) for k, v in sorted(data.quotas.items())]
    program.budget_lines = [
        BudgetLine(position=i, source=b.source, amount=b.amount, description=b.description)
        for i, b in enumerate(data.budget)
    ]


def lock_needs(need_ids: list[int]) -> list[Need]:
    """Load needs with their rows locked for the rest of the transaction (``FOR UPDATE`` on
    PostgreSQL, the database write lock on SQLite), so that linking and releasing a need from
    two programs at once are decided one after the other on fresh data."""
    if not need_ids:
        return []
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            sa.update(Need).where(Need.id.in_(need_ids)).values(id=Need.id),
            execution_options={"synchronize_session": False},
        )
    return list(
        db.session.scalars(
            sa.select(Need)
            .where(Need.id.in_(need_ids))
            .order_by(Need.id)
            .with_for_update(of=Need)
            .execution_options(populate_existing=True)
        ).unique()
    )


def _link_needs(actor: User, program: Program, needs: list[Need], now: datetime) -> None:
    """Link ``needs``; newly linked ones become ``accepted``, dropped ones are released. Every
    need touched is locked and its version bumped, so a concurrent release cannot miss it."""
    before = {n.id for n in program.needs}
    after = [n.id for n in needs]
    dropped_ids = [n.id for n in program.needs if n.id not in set(after)]
    locked = {n.id: n for n in lock_needs(sorted(set(after) | set(dropped_ids)))}
    program.needs = [locked[i] for i in after]
    db.session.flush()
    for need in program.needs:
        if need.id in before:
            continue
        if need.status in ("submitted", "in_review"):
            transition_need(
                actor,
                need,
                "accept",
                expected_version=None,
                now=now,
                via_program=True,
                data={"program_id": program.id},
            )
        elif need.status == "accepted":
            need.updated_at = now  # bumps the version: a concurrent release must re-read
        else:
            raise ValidationFailed(
                _("Periksa kembali isian yang ditandai."),
                {"need_ids": [_("Usulan #%(id)s sudah tidak dapat dilayani.", id=need.id)]},
            )
        record_event(actor, "program", program.id, "link", data={"need_id": need.id})
    for need_id in dropped_ids:
        record_event(actor, "program", program.id, "unlink", data={"need_id": need_id})
        _release_if_orphaned(locked[need_id], actor, now, program)


def _release_if_orphaned(need: Need, actor: User | None, now: datetime, program: Program):
    """Send an accepted need back to review when no active program serves it any more (the
    need row is locked first, so a program linking it at the same moment is counted)."""
    need = lock_needs([need.id])[0]
    if need.status != "accepted":
        return
    other_active = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(program_need.join(Program, Program.id == program_need.c.program_id))
        .where(
            program_need.c.need_id == need.id,
            Program.id != program.id,
            Program.status.in_(wf.ACTIVE_STATES),
        )
    )
    still_linked = program.status in wf.ACTIVE_STATES and need in program.needs
    if not other_active and not still_linked:
        system_transition_need(
            need, "release", actor=actor, now=now, data={"program_id": program.id}
        )


def create_program(actor: User, data: ProgramData, *, now: datetime | None = None) -> Program:
    """A BKN designer creates a draft program serving ``data.need_ids``; linked needs become
    ``accepted``. Raises :class:`NotAllowed` for other roles, :class:`ValidationFailed`."""
    if actor.role != Role.BKN_DESIGNER:
        raise NotAllowed(_("Hanya perancang program BKN yang dapat membuat program."))
    now = now or utcnow()
    needs = _validate(actor, data, None)
    program = Program(owner_id=actor.id, owner_org_id=actor.org_id, status=wf.DRAFT)
    program.owner = actor
    _apply(program, data)
    db.session.add(program)
    db.session.flush()
    record_event(actor, "program", program.id, "create", to_state=wf.DRAFT)
    _link_needs(actor, program, needs, now)
    return program


@dataclass
class ProgramUpdate:
    """What :func:`update_program` did: the program, how many sessions kept their local
    wall-clock times across a change of the venue zone (0 when the zone stayed), and the
    zone before the edit (IANA name)."""

    program: Program
    rezoned_sessions: int = 0
    old_zone: str | None = None


def update_program(
    actor: User,
    program: Program,
    data: ProgramData,
    *,
    expected_version: int | None,
    now: datetime | None = None,
) -> ProgramUpdate:
    """Save edits to a draft (or a proposal sent back for changes). A corrected venue zone
    keeps the sessions' local wall-clock times (:func:`rezone_sessions`, same transaction).
    Returns a :class:`ProgramUpdate`. Raises :class:`NotAllowed`, :class:`StaleObject`
    (edited meanwhile), :class:`ValidationFailed`."""
    check_can_edit_program(actor, program)
    _check_version(program, expected_version)
    needs = _validate(actor, data, program)
    old_zone = program.timezone
    _apply(program, data)
    _link_needs(actor, program, needs, now or utcnow())
    program.updated_at = utcnow()  # forces the row UPDATE that bumps version
    db.session.flush()
    record_event(
        actor, "program", program.id, "edit", from_state=program.status, to_state=program.status
    )
    rezoned = rezone_sessions(actor, program, old_zone, program.timezone)
    return ProgramUpdate(program, rezoned, old_zone)


def rezone_sessions(actor: User, program: Program, old_zone: str, new_zone: str) -> int:
    """After the venue zone of ``program`` was corrected from ``old_zone`` to ``new_zone``
    (IANA names): keep each session's local wall-clock start and end (typed as 08.00 WIB, it
    stays 08.00, now WIT), i.e. re-read them in the new zone and store the new UTC instants;
    one audit row ``rezone_sessions`` lists the change. Returns the number of sessions moved
    (0, and no audit row, when the zone is unchanged or there are no sessions). Flushes;
    never commits. Raises nothing."""
    if old_zone == new_zone or not program.sessions:
        return 0
    old, new = ZoneInfo(old_zone), ZoneInfo(new_zone)

    def moved(at: datetime) -> datetime:
        return at.astimezone(old).replace(tzinfo=new).astimezone(UTC)

    for s in program.sessions:
        s.starts_at, s.ends_at = moved(s.starts_at), moved(s.ends_at)
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "rezone_sessions",
        data={
            "from": old_zone,
            "to": new_zone,
            "session_ids": [s.id for s in program.sessions],
        },
    )
    return len(program.sessions)


def _check_version(program: Program, expected_version: int | None) -> None:
    if expected_version is None or expected_version != program.version:
        raise StaleObject(
            _(
                "Program ini telah diubah sejak Anda membukanya (status sekarang: %(status)s). "
                "Muat ulang halaman untuk melihat data terbaru.",
                status=labels.PROGRAM_STATUS[program.status],
            )
        )


# --- snapshots and diffs ---------------------------------------------------------------------


def snapshot(program: Program) -> dict:
    """The proposal content as plain JSON (what a revision freezes): codes, whole rupiah,
    whole JP and ISO dates, never display text, so a revision reads the same in any language
    (see :func:`describe`)."""
    orgs = {q.org_id: q.org.name for q in program.quotas}
    return {
        "title": program.title,
        "objectives": program.objectives,
        "fiscal_year": program.fiscal_year,
        "development_type": program.development_type_id,
        "method": str(program.method),
        "needs": [f"#{n.id} {n.title}" for n in program.needs],
        "competencies": [
            {"name": c.name, "kind": str(c.kind), "target_level": c.target_level}
            for c in program.competencies
        ],
        "modules": [{"title": m.title, "jp": m.jp} for m in program.modules],
        "total_jp": program.total_jp,
        "quotas": [
            {"org": orgs.get(q.org_id, str(q.org_id)), "quota": q.quota} for q in program.quotas
        ],
        "planned_start": program.planned_start.isoformat() if program.planned_start else None,
        "planned_end": program.planned_end.isoformat() if program.planned_end else None,
        "venue": program.venue,
        "timezone": program.timezone,
        "budget": [
            {"source": str(b.source), "amount": b.amount, "description": b.description}
            for b in program.budget_lines
        ],
        "total_budget": program.total_budget,
        "min_attendance_pct": program.min_attendance_pct,
        "pass_mark": program.pass_mark,
    }


def describe(field_name: str, value):
    """A snapshot value as display text in the viewer's language: a string, or a list of
    strings for list fields; ``—`` for empty."""
    if value is None or value == [] or value == "":
        return "—"
    if field_name == "method":
        return str(labels.METHOD.get(value, value))
    if field_name == "development_type":
        return dev_type(value) if isinstance(value, int) else str(value)
    if field_name in ("planned_start", "planned_end"):
        return format_date(date.fromisoformat(value)) if isinstance(value, str) else value
    if field_name == "timezone":
        return f"{zone_abbr(value)} ({value})"
    if field_name == "total_budget":
        return format_rupiah(value)
    if field_name == "min_attendance_pct":
        return format_percent(value)
    if field_name == "competencies":
        return [
            _(
                "%(name)s · %(kind)s · level %(level)s",
                name=c["name"],
                kind=labels.COMPETENCY_KIND.get(c["kind"], c["kind"]),
                level=c["target_level"],
            )
            if isinstance(c, dict)
            else str(c)
            for c in value
        ]
    if field_name == "modules":
        return [f"{m['title']} — {m['jp']} JP" if isinstance(m, dict) else str(m) for m in value]
    if field_name == "quotas":
        return [
            f"{q['org']}: {format_number(q['quota'])}" if isinstance(q, dict) else str(q)
            for q in value
        ]
    if field_name == "budget":
        return [
            f"{labels.FUNDING_SOURCE.get(b['source'], b['source'])}: {format_rupiah(b['amount'])}"
            + (f" ({b['description']})" if b.get("description") else "")
            if isinstance(b, dict)
            else str(b)
            for b in value
        ]
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


SNAPSHOT_LABELS = {
    "title": _l("Judul"),
    "objectives": _l("Tujuan"),
    "fiscal_year": _l("Tahun anggaran"),
    "development_type": _l("Jenis pengembangan"),
    "method": _l("Metode"),
    "needs": _l("Usulan yang dilayani"),
    "competencies": _l("Kompetensi"),
    "modules": _l("Kurikulum"),
    "total_jp": _l("Total JP"),
    "quotas": _l("Kuota peserta"),
    "planned_start": _l("Rencana mulai"),
    "planned_end": _l("Rencana selesai"),
    "venue": _l("Tempat"),
    "timezone": _l("Zona waktu"),
    "budget": _l("Anggaran"),
    "total_budget": _l("Total anggaran"),
    "min_attendance_pct": _l("Kehadiran minimal"),  # the value shows its own "%"
    "pass_mark": _l("Nilai kelulusan"),
}
"""Field labels of a snapshot, in display order."""


def diff_snapshots(old: dict | None, new: dict) -> list[tuple[str, object, object]]:
    """``[(field, old value, new value)]`` for every field that changed (all of them when
    ``old`` is None), in :data:`SNAPSHOT_LABELS` order."""
    old = old or {}
    return [(k, old.get(k), new.get(k)) for k in SNAPSHOT_LABELS if old.get(k) != new.get(k)]


# --- guards -----------------------------------------------------------------------------------


def _guard_proposal_complete(program: Program) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not program.needs:
        errors["need_ids"] = [_("Program belum melayani usulan kebutuhan apa pun.")]
    if program.total_jp <= 0:
        errors["modules"] = [_("Kurikulum belum memiliki modul dengan JP (total JP 0).")]
    if not program.planned_start or not program.planned_end:
        errors["planned_start"] = [_("Rencana tanggal mulai dan selesai wajib diisi.")]
    elif program.planned_end < program.planned_start:
        errors["planned_end"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    if not (program.venue or "").strip():
        errors["venue"] = [_("Tempat atau tautan daring wajib diisi.")]
    if not program.competencies:
        errors["competencies"] = [_("Isi sekurang-kurangnya satu kompetensi sasaran.")]
    if any(b.amount < 0 for b in program.budget_lines):
        errors["budget"] = [_("Anggaran tidak boleh negatif.")]
    asn = partner_asn(program.needs)
    quotas = {q.org_id: q for q in program.quotas}
    for pemda_id, total in asn.items():
        q = quotas.get(pemda_id)
        if q is None or q.quota <= 0:
            name = next(n.pemda.name for n in program.needs if n.pemda_id == pemda_id)
            errors.setdefault("quotas", []).append(
                _("Kuota untuk %(pemda)s belum diisi.", pemda=name)
            )
        elif q.quota > total:
            errors.setdefault("quotas", []).append(
                _(
                    "Kuota %(pemda)s (%(quota)s) melebihi jumlah ASN pada usulannya (%(asn)s).",
                    pemda=q.org.name,
                    quota=q.quota,
                    asn=total,
                )
            )
    return errors


def _guard_has_session(program: Program) -> dict[str, list[str]]:
    if not program.sessions:
        return {"sessions": [_("Tambahkan sekurang-kurangnya satu sesi sebelum menjadwalkan.")]}
    return {}


def _guard_sessions_over(program: Program) -> dict[str, list[str]]:
    now = utcnow()
    pending = [s for s in program.sessions if s.ends_at > now]
    if pending:
        return {
            "sessions": [
                _(
                    "Masih ada sesi yang belum selesai (terakhir berakhir %(when)s).",
                    when=format_datetime(max(s.ends_at for s in pending), program.timezone),
                )
            ]
        }
    return {}


def _enrolled_ids(program: Program) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Participant.id).where(
                Participant.program_id == program.id,
                Participant.status == ParticipantStatus.ENROLLED,
            )
        )
    )


def _guard_has_enrolled_participants(program: Program) -> dict[str, list[str]]:
    if not _enrolled_ids(program):
        return {
            "participants": [_("Belum ada peserta terdaftar; tetapkan sekurang-kurangnya satu.")]
        }
    return {}


def _guard_attendance_complete(program: Program) -> dict[str, list[str]]:
    """Every enrolled participant has an attendance value for every session (two statements);
    one reason per incomplete session, e.g. "Presensi sesi 2 (5 Januari 2027) belum lengkap:
    3 peserta"."""
    enrolled = _enrolled_ids(program)
    if not enrolled:
        return {"participants": [_("Belum ada peserta terdaftar.")]}
    recorded = dict(
        db.session.execute(
            sa.select(Attendance.session_id, sa.func.count(Attendance.id))
            .join(Participant, Participant.id == Attendance.participant_id)
            .join(ProgramSession, ProgramSession.id == Attendance.session_id)
            .where(
                ProgramSession.program_id == program.id,
                Participant.program_id == program.id,
                Participant.status == ParticipantStatus.ENROLLED,
            )
            .group_by(Attendance.session_id)
        ).all()
    )
    reasons = []
    for number, s in enumerate(program.sessions, start=1):
        missing = len(enrolled) - recorded.get(s.id, 0)
        if missing > 0:
            reasons.append(
                ngettext(
                    "Presensi sesi %(n)s (%(date)s) belum lengkap: %(count)s peserta",
                    "Presensi sesi %(n)s (%(date)s) belum lengkap: %(count)s peserta",
                    missing,
                    n=number,
                    date=format_date(s.starts_at, program.timezone),
                    count=format_number(missing),
                )
            )
    return {"attendance": reasons} if reasons else {}


def _guard_evaluation_recorded(program: Program) -> dict[str, list[str]]:
    """L1, L2 and L4 recorded (see :func:`collab.evaluation.services.evaluation_reasons`)."""
    from collab.evaluation.services import evaluation_reasons

    return evaluation_reasons(program)


GUARDS: dict[str, Callable[[Program], dict[str, list[str]]]] = {
    "proposal_complete": _guard_proposal_complete,
    "has_session": _guard_has_session,
    "sessions_over": _guard_sessions_over,
    "has_enrolled_participants": _guard_has_enrolled_participants,
    "attendance_complete": _guard_attendance_complete,
    "evaluation_recorded": _guard_evaluation_recorded,
}
"""Guard name → check returning field errors (empty when the transition may happen)."""


def check_guards(t: Transition, program: Program) -> None:
    """Raise :class:`ValidationFailed` listing every reason the guards of ``t`` refuse."""
    errors: dict[str, list[str]] = {}
    for name in guards_of(t):
        for key, messages in GUARDS[name](program).items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationFailed(
            str(labels.GUARD_HEADING.get(t.action, labels.GUARD_DEFAULT)), errors
        )


# --- transitions ------------------------------------------------------------------------------


def lock_program(program_id: int) -> Program | None:
    """Load a program with its row locked for the rest of the transaction (``SELECT … FOR
    UPDATE`` on PostgreSQL; the database write lock on SQLite), so concurrent sign-offs
    are decided one after the other."""
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks: a no-op write takes the database's write lock now, so the
        # read below sees what a concurrent writer committed before us.
        db.session.execute(sa.text("UPDATE program SET id = id WHERE id = :id"), {"id": program_id})
    return db.session.scalar(
        sa.select(Program)
        .where(Program.id == program_id)
        .with_for_update(of=Program)
        .execution_options(populate_existing=True)
    )


def transition_program(
    actor: User,
    program: Program,
    action: str,
    *,
    expected_version: int | None = None,
    expected_revision: int | None = None,
    comment: str | None = None,
    now: datetime | None = None,
) -> Transition:
    """Take ``action`` on ``program`` (DESIGN.md §3) and write the audit rows.

    Sign-off actions (approve, request_changes, reject) name the revision the approver read
    (``expected_revision``); a decision for a revision that is no longer current is refused
    with :class:`StaleObject` (409). Other actions carry the program ``version``. Raises
    :class:`NotAllowed` (403), :class:`InvalidTransition` (409), :class:`ValidationFailed`
    (422: missing comment, or a guard refusing, with the reasons).
    """
    now = now or utcnow()
    program = lock_program(program.id) or program
    t = find(
        wf.PROGRAM_TRANSITIONS,
        action,
        program.status,
        parties_for(actor, program),
        state_label=lambda s: labels.PROGRAM_STATUS[s],
        done_message=str(labels.PROGRAM_ACTION_DONE.get(action, "")) or None,
        translate=_,
    )
    signing = "sign_off" in t.effects
    if signing:
        if expected_revision is None or expected_revision != program.current_revision:
            raise StaleObject(
                _(
                    "Revisi %(n)s sudah tidak berlaku; revisi yang berlaku sekarang %(current)s.",
                    n=expected_revision if expected_revision is not None else "?",
                    current=program.current_revision,
                )
            )
    else:
        _check_version(program, expected_version)
    comment = (comment or "").strip() or None
    if t.comment and not comment:
        raise ValidationFailed(
            _("Isian wajib diisi."),
            {"comment": [_("%(label)s wajib diisi.", label=labels.COMMENT_LABEL[t.comment])]},
        )
    check_guards(t, program)
    source = program.status
    data: dict = {}
    if signing:
        party = sign_off_party(actor)
        if party in sign_offs_for(program):
            raise InvalidTransition(
                _(
                    "Pihak Anda sudah memberi keputusan untuk revisi %(n)s.",
                    n=program.current_revision,
                )
            )
        db.session.add(
            SignOff(
                program_id=program.id,
                revision=program.current_revision,
                party=party,
                org_id=actor.org_id,
                user_id=actor.id,
                decision=t.action,
                comment=comment,
                created_at=now,
            )
        )
        db.session.flush()
        data = {"revision": program.current_revision, "party": party}
    target = t.target
    if "complete_sign_off" in t.effects:
        decided = sign_offs_for(program)
        if all(
            p in decided and decided[p].decision == "approve" for p in required_parties(program)
        ):
            target = wf.APPROVED
    if "freeze_revision" in t.effects:
        program.current_revision += 1
        db.session.add(
            ProgramRevision(
                program_id=program.id,
                number=program.current_revision,
                snapshot=snapshot(program),
                proposed_by_id=actor.id,
                proposed_at=now,
            )
        )
        data = {"revision": program.current_revision}
        # the sign-off clock (collab.sla): due N working days after proposing, program's zone
        program.signoff_due_at = add_working_days(
            now, current_app.config["SIGNOFF_WORKING_DAYS"], program.timezone
        )
    if target != source:
        program.status = target
        program.status_changed_at = now
    if program.status != wf.PROPOSED:
        program.signoff_due_at = None  # approved, sent back, rejected or cancelled: no clock
    program.updated_at = now  # bumps the version even when the state stays (a sign-off)
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        t.action,
        from_state=source,
        to_state=program.status,
        comment=comment,
        data=data or None,
    )
    if comment:
        from collab.comments.services import add_transition_comment

        add_transition_comment(actor, program, t.action, comment)
    if "release_needs" in t.effects:
        for need in list(program.needs):
            _release_if_orphaned(need, actor, now, program)
    if "compute_completion" in t.effects:
        from collab.attendance.services import compute_completion

        compute_completion(program)
    if "fulfil_needs" in t.effects:
        for need in program.needs:
            if need.status == "accepted":
                system_transition_need(
                    need, "fulfil", actor=actor, now=now, data={"program_id": program.id}
                )
    return t


# --- sessions ---------------------------------------------------------------------------------


def _last_day(starts: datetime, ends: datetime) -> date:
    """The last local day a session from ``starts`` to ``ends`` (aware, in the venue's zone)
    takes place on: a session ending at exactly midnight (24.00, posted as 00.00 of the next
    day) ends on the day before."""
    if ends > starts and ends.time() == time(0):
        return ends.date() - timedelta(days=1)
    return ends.date()


def add_session(actor: User, program: Program, data: SessionData) -> ProgramSession:
    """Add a session; local times are read in the program's zone and stored in UTC. When the
    program has planned dates, the session must take place within them (a session ending at
    00.00 after the last planned day ends on that day). Raises :class:`NotAllowed` unless the
    owner may edit sessions now, :class:`ValidationFailed` (field errors)."""
    if not can_edit_sessions(actor, program):
        raise NotAllowed(_("Sesi hanya dapat diubah oleh perancang program sebelum pelaksanaan."))
    zone = ZoneInfo(program.timezone)
    starts = data.starts_local.replace(tzinfo=zone)
    ends = data.ends_local.replace(tzinfo=zone)
    errors: dict[str, list[str]] = {}
    if ends <= starts:
        errors["ends_at"] = [_("Waktu selesai harus setelah waktu mulai.")]
    if data.jp <= 0:
        errors["jp"] = [_("JP harus lebih dari 0.")]
    elif ends > starts and data.jp * JP_MINUTES > (ends - starts).total_seconds() / 60:
        errors["jp"] = [
            _(
                "JP melebihi lama sesi: paling banyak %(n)s JP (1 JP = %(m)s menit).",
                n=int((ends - starts).total_seconds() // 60 // JP_MINUTES),
                m=JP_MINUTES,
            )
        ]
    first, last = program.planned_start, program.planned_end
    if first and last and not (first <= starts.date() and _last_day(starts, ends) <= last):
        errors["starts_at"] = [
            _(
                "Sesi harus berada dalam rencana pelaksanaan (%(start)s – %(end)s).",
                start=format_date(first),
                end=format_date(last),
            )
        ]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)
    session = ProgramSession(
        program_id=program.id,
        starts_at=starts,
        ends_at=ends,
        location=data.location,
        topic=data.topic,
        jp=data.jp,
    )
    program.sessions.append(session)
    program.updated_at = utcnow()
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "add_session",
        data={"session_id": session.id, "topic": data.topic, "jp": data.jp},
    )
    return session


def remove_session(actor: User, program: Program, session_id: int) -> None:
    """Remove one of the program's sessions (owner, before delivery)."""
    if not can_edit_sessions(actor, program):
        raise NotAllowed(_("Sesi hanya dapat diubah oleh perancang program sebelum pelaksanaan."))
    session = next((s for s in program.sessions if s.id == session_id), None)
    if session is None:
        raise NotFound(_("Sesi tidak ditemukan."))
    program.sessions.remove(session)
    program.updated_at = utcnow()
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "remove_session",
        data={"session_id": session_id, "topic": session.topic},
    )
