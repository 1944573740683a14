"""Reads of programs through the viewer's visibility: BKN users see every program; a Pemda
user sees the programs that serve a need of their Pemda (another Pemda's program → 404)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from collab.errors import NotFound
from collab.extensions import db
from collab.models import (
    AuditEvent,
    BudgetLine,
    CurriculumModule,
    FollowUp,
    Need,
    Organization,
    Participant,
    ParticipantStatus,
    Program,
    ProgramCompetency,
    ProgramQuota,
    ProgramRevision,
    ProgramSession,
    ReactionResponse,
    SignOff,
    User,
    program_need,
    utcnow,
)
from collab.needs.queries import EXPORT_BATCH, Page, pemda_in_province, text_search


def serving_pemda(pemda_id: int) -> sa.Select:
    """``SELECT program_id`` of programs linked to a need of ``pemda_id``."""
    return (
        sa.select(program_need.c.program_id)
        .join(Need, Need.id == program_need.c.need_id)
        .where(Need.pemda_id == pemda_id)
    )


def serving_urusan(code: str) -> sa.Select:
    """``SELECT program_id`` of programs linked to a need of urusan ``code`` (e.g. ``1.02``)."""
    return (
        sa.select(program_need.c.program_id)
        .join(Need, Need.id == program_need.c.need_id)
        .where(Need.urusan_code == code)
    )


def visible_programs(user: User) -> sa.Select:
    """``SELECT program`` restricted to what ``user`` may see: a Pemda user sees a program once
    BKN has proposed it (a draft that was never proposed is BKN's own work in progress)."""
    stmt = sa.select(Program)
    if user.is_pemda:
        stmt = stmt.where(
            Program.id.in_(serving_pemda(user.pemda_id)), Program.current_revision >= 1
        )
    return stmt


CONTENT = (
    ("needs", Need, program_need.c.need_id, program_need.c.program_id, lambda n: n.id),
    (
        "competencies",
        ProgramCompetency,
        ProgramCompetency.id,
        ProgramCompetency.program_id,
        lambda c: (c.position, c.id),
    ),
    (
        "modules",
        CurriculumModule,
        CurriculumModule.id,
        CurriculumModule.program_id,
        lambda m: (m.position, m.id),
    ),
    ("quotas", ProgramQuota, ProgramQuota.id, ProgramQuota.program_id, lambda q: (q.org_id, q.id)),
    (
        "budget_lines",
        BudgetLine,
        BudgetLine.id,
        BudgetLine.program_id,
        lambda b: (b.position, b.id),
    ),
    (
        "sessions",
        ProgramSession,
        ProgramSession.id,
        ProgramSession.program_id,
        lambda s: (s.starts_at, s.id),
    ),
)
"""A program's content collections, loaded together by :func:`load_content`: (relationship
name, model, the child's id column, its program id column, the relationship's order as a sort
key — the ``order_by`` of :class:`collab.models.Program`'s relationship, then the id)."""


def children_of(program_id: int, parts, options=()) -> list[list]:
    """The rows of several child tables of one program in ONE statement: ``parts`` is a
    sequence of ``(model, the child's id column, its program id column)``; returns one list of
    ORM objects per part, in no particular order.

    The statement is a ``UNION ALL`` of the child ids of each part (each branch uses the child
    table's ``program_id`` index), every branch filling only its own id column, left joined to
    each child table by primary key: each row carries exactly one child, so the rows add up
    (no cross product of the collections), and each child's own eager loads (a quota's Pemda,
    a need's organisations) come along in the same statement. ``options``: loader options for
    the statement (e.g. to leave out eager loads the caller does not need)."""
    branches = []
    for i, (_model, id_col, program_col) in enumerate(parts):
        cols = [
            id_col.label(f"c{j}") if j == i else sa.cast(sa.null(), sa.Integer).label(f"c{j}")
            for j in range(len(parts))
        ]
        branches.append(sa.select(*cols).where(program_col == program_id))
    ids = sa.union_all(*branches).subquery()
    stmt = sa.select(*(model for model, _id, _pid in parts)).select_from(ids).options(*options)
    for j, (model, _id, _pid) in enumerate(parts):
        stmt = stmt.outerjoin(model, model.id == ids.c[f"c{j}"])
    found: list[list] = [[] for _ in parts]
    for row in db.session.execute(stmt).unique():
        for j, child in enumerate(row):
            if child is not None:
                found[j].append(child)
    return found


def load_content(program: Program) -> None:
    """Load ``program``'s needs, competencies, modules, quotas, budget lines and sessions in
    ONE statement (:func:`children_of`, instead of one per collection) and set them as its
    loaded collections, each in its relationship's order.

    Of the children's eager loads only the Pemda of each need and quota come along (a Pemda
    has no parent organisation to join): fewer joins keep PostgreSQL's planning time small."""
    found = children_of(
        program.id,
        [(model, id_col, pid) for _n, model, id_col, pid, _k in CONTENT],
        options=(
            lazyload(Need.org),
            joinedload(Need.pemda).lazyload(Organization.parent),
            joinedload(ProgramQuota.org).lazyload(Organization.parent),
        ),
    )
    for (name, _model, _id, _pid, key), children in zip(CONTENT, found, strict=True):
        set_committed_value(program, name, sorted(children, key=key))


def get_program(user: User, program_id: int) -> Program:
    """The program if ``user`` may see it, with its content loaded (:func:`load_content`);
    else :class:`NotFound`. Two statements."""
    stmt = visible_programs(user).where(Program.id == program_id)
    program = db.session.scalars(stmt).unique().one_or_none()
    if program is None:
        raise NotFound(_("Program tidak ditemukan."))
    load_content(program)
    return program


class Roster:
    """The participants of one program with their L1 answers and L3 follow-ups, read in ONE
    statement on first use and shared by the program page's panels (participants, attendance
    grid, evaluation), which used to read them four times.

    Orders: :meth:`visible` is :func:`collab.participants.services.visible_participants`'s
    (by Pemda, withdrawn last, then name and id); :meth:`enrolled` keeps it, which for enrolled
    participants alone is by Pemda, name and id (as
    :func:`collab.attendance.services.enrolled_participants`)."""

    def __init__(self, program: Program):
        self.program = program

    @cached_property
    def rows(self) -> list[tuple[Participant, ReactionResponse | None, FollowUp | None]]:
        """``(participant, L1 answers or None, follow-up or None)`` for every participant."""
        withdrawn_last = sa.case((Participant.status == ParticipantStatus.WITHDRAWN, 1), else_=0)
        return [
            (p, r, f)
            for p, r, f in db.session.execute(
                sa.select(Participant, ReactionResponse, FollowUp)
                .outerjoin(ReactionResponse, ReactionResponse.participant_id == Participant.id)
                .outerjoin(FollowUp, FollowUp.participant_id == Participant.id)
                .where(Participant.program_id == self.program.id)
                .order_by(Participant.pemda_id, withdrawn_last, Participant.name, Participant.id)
            ).unique()
        ]

    def visible(self, viewer: User) -> list[Participant]:
        """The participants ``viewer`` may see (a Pemda user: their own Pemda's)."""
        return [p for p, _r, _f in self.rows if _sees(viewer, p)]

    def enrolled(self, viewer: User | None = None) -> list[Participant]:
        """Enrolled participants (with a Pemda ``viewer``: their own Pemda's only)."""
        return [
            p
            for p, _r, _f in self.rows
            if p.status == ParticipantStatus.ENROLLED and (viewer is None or _sees(viewer, p))
        ]

    def reactions(self) -> dict[int, ReactionResponse]:
        """L1 answers of enrolled participants, by participant id."""
        return {
            p.id: r
            for p, r, _f in self.rows
            if r is not None and p.status == ParticipantStatus.ENROLLED
        }

    def followups(self) -> dict[int, FollowUp]:
        """L3 follow-ups, by participant id."""
        return {p.id: f for p, _r, f in self.rows if f is not None}

    def counts(self) -> dict[tuple[int, str], int]:
        """Participants per ``(Pemda id, status)``, every Pemda."""
        out: dict[tuple[int, str], int] = {}
        for p, _r, _f in self.rows:
            key = (p.pemda_id, str(p.status))
            out[key] = out.get(key, 0) + 1
        return out


def _sees(viewer: User, participant: Participant) -> bool:
    return not viewer.is_pemda or participant.pemda_id == viewer.pemda_id


@dataclass
class ProgramFilters:
    """List filters named after the fields (``?status=in_delivery&pemda=4&urusan=1.02``);
    ``pemda`` and ``urusan`` match a program serving at least one such need."""

    status: list[str] = field(default_factory=list)
    pemda: int | None = None
    province: str | None = None
    urusan: str | None = None
    fiscal_year: int | None = None
    designer: int | None = None
    overdue: bool = False
    q: str | None = None

    def apply(self, stmt: sa.Select) -> sa.Select:
        """Add the active filters to ``stmt``. ``pemda``/``province``: a partner Pemda, or
        one in the province (two-digit code); ``urusan``: serving a need of that urusan;
        ``overdue``: a proposal past its sign-off due time; ``q``: words in the title or the
        objectives."""
        if self.status:
            stmt = stmt.where(Program.status.in_(self.status))
        if self.pemda:
            stmt = stmt.where(Program.id.in_(serving_pemda(self.pemda)))
        if self.province:
            stmt = stmt.where(
                Program.id.in_(
                    sa.select(program_need.c.program_id)
                    .join(Need, Need.id == program_need.c.need_id)
                    .where(Need.pemda_id.in_(pemda_in_province(self.province)))
                )
            )
        if self.urusan:
            stmt = stmt.where(Program.id.in_(serving_urusan(self.urusan)))
        if self.fiscal_year:
            stmt = stmt.where(Program.fiscal_year == self.fiscal_year)
        if self.designer:
            stmt = stmt.where(Program.owner_id == self.designer)
        if self.overdue:
            stmt = stmt.where(Program.status == "proposed", Program.signoff_due_at < utcnow())
        if self.q:
            stmt = stmt.where(text_search(self.q, Program.title, Program.objectives))
        return stmt


def partner_names(program_ids: list[int]) -> dict[int, list[str]]:
    """Partner Pemda names per program, in one statement."""
    if not program_ids:
        return {}
    rows = db.session.execute(
        sa.select(program_need.c.program_id, Organization.name)
        .join(Need, Need.id == program_need.c.need_id)
        .join(Organization, Organization.id == Need.pemda_id)
        .where(program_need.c.program_id.in_(program_ids))
        .distinct()
        .order_by(Organization.name)
    ).all()
    out: dict[int, list[str]] = {}
    for pid, name in rows:
        out.setdefault(pid, []).append(name)
    return out


def list_pending_parties(programs: list[Program]) -> dict[int, dict[str, str]]:
    """For each *proposed* program of ``programs``, the required parties that have not decided
    on its current revision, as ``{party: display name}`` (``"bkn"`` → ``"BKN"``, a partner
    Pemda's id as text → its name), BKN first. Two statements for all of them, none when no
    program is proposed."""
    proposed = [p for p in programs if p.status == "proposed"]
    if not proposed:
        return {}
    ids = [p.id for p in proposed]
    partners: dict[int, dict[str, str]] = {}
    for pid, pemda_id, name in db.session.execute(
        sa.select(program_need.c.program_id, Need.pemda_id, Organization.name)
        .join(Need, Need.id == program_need.c.need_id)
        .join(Organization, Organization.id == Need.pemda_id)
        .where(program_need.c.program_id.in_(ids))
        .distinct()
        .order_by(program_need.c.program_id, Need.pemda_id)
    ):
        partners.setdefault(pid, {})[str(pemda_id)] = name
    current = {p.id: p.current_revision for p in proposed}
    decided: dict[int, set[str]] = {}
    for pid, rev, party in db.session.execute(
        sa.select(SignOff.program_id, SignOff.revision, SignOff.party).where(
            SignOff.program_id.in_(ids)
        )
    ):
        if rev == current[pid]:
            decided.setdefault(pid, set()).add(party)
    out: dict[int, dict[str, str]] = {}
    for p in proposed:
        parties = {"bkn": "BKN", **partners.get(p.id, {})}
        out[p.id] = {k: v for k, v in parties.items() if k not in decided.get(p.id, set())}
    return out


def total_jp(program_ids: list[int]) -> dict[int, int]:
    """Total JP per program (sum of its modules), in one statement."""
    if not program_ids:
        return {}
    rows = db.session.execute(
        sa.select(CurriculumModule.program_id, sa.func.sum(CurriculumModule.jp))
        .where(CurriculumModule.program_id.in_(program_ids))
        .group_by(CurriculumModule.program_id)
    ).all()
    return {pid: int(jp or 0) for pid, jp in rows}


def total_budget(program_ids: list[int]) -> dict[int, int]:
    """Total budget in whole rupiah per program (sum of its budget lines), in one statement;
    a program without budget lines is absent (its budget is unknown, not 0)."""
    if not program_ids:
        return {}
    rows = db.session.execute(
        sa.select(BudgetLine.program_id, sa.func.sum(BudgetLine.amount))
        .where(BudgetLine.program_id.in_(program_ids))
        .group_by(BudgetLine.program_id)
    ).all()
    return {pid: int(amount or 0) for pid, amount in rows}


def session_span(program_ids: list[int]) -> dict[int, tuple[datetime, datetime]]:
    """``{program_id: (first session's start, last session's end)}`` as aware UTC datetimes,
    for programs with at least one session; one statement."""
    if not program_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            ProgramSession.program_id,
            sa.func.min(ProgramSession.starts_at),
            sa.func.max(ProgramSession.ends_at),
        )
        .where(ProgramSession.program_id.in_(program_ids))
        .group_by(ProgramSession.program_id)
    ).all()
    return {pid: (start, end) for pid, start, end in rows}


def list_programs(user: User, filters: ProgramFilters, page: int, per_page: int) -> Page:
    """A page of visible programs, latest change first. Four SQL statements."""
    base = filters.apply(visible_programs(user))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
    stmt = (
        base.options(joinedload(Program.owner))
        .order_by(Program.status_changed_at.desc(), Program.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(list(db.session.scalars(stmt).unique()), page, per_page, total)


def iter_programs(
    user: User, filters: ProgramFilters, batch: int = EXPORT_BATCH
) -> Iterator[list[Program]]:
    """Every visible program matching ``filters``, in the list's order (latest change first),
    in batches of ``batch`` read with ``yield_per``."""
    stmt = (
        filters.apply(visible_programs(user))
        .order_by(Program.status_changed_at.desc(), Program.id.desc())
        .execution_options(yield_per=batch)
    )
    yield from db.session.scalars(stmt).partitions()


def list_designers() -> list[sa.Row]:
    """BKN designers, by name (the designer filter): rows with ``id`` and ``name`` only (no
    user objects with their organisations to build)."""
    return list(
        db.session.execute(
            sa.select(User.id, User.name)
            .where(User.role == "bkn_designer")
            .order_by(User.name, User.id)
        )
    )


def list_revisions(program: Program) -> list[ProgramRevision]:
    """Every frozen revision of a program, oldest first."""
    return list(
        db.session.scalars(
            sa.select(ProgramRevision)
            .where(ProgramRevision.program_id == program.id)
            .order_by(ProgramRevision.number)
        ).unique()
    )


def get_revision(program: Program, number: int) -> ProgramRevision:
    """Revision ``number`` of ``program``; :class:`NotFound` otherwise."""
    rev = db.session.scalar(
        sa.select(ProgramRevision).where(
            ProgramRevision.program_id == program.id, ProgramRevision.number == number
        )
    )
    if rev is None:
        raise NotFound(_("Revisi tidak ditemukan."))
    return rev


def list_sign_offs(program: Program) -> list[SignOff]:
    """All sign-offs of a program, newest revision first."""
    return list(
        db.session.scalars(
            sa.select(SignOff)
            .where(SignOff.program_id == program.id)
            .order_by(SignOff.revision.desc(), SignOff.id)
        ).unique()
    )


def sign_offs_and_revisions(program: Program) -> tuple[list[SignOff], list[ProgramRevision]]:
    """:func:`list_sign_offs` and :func:`list_revisions` (same orders) in ONE statement."""
    sign_offs, revisions = children_of(
        program.id,
        [
            (SignOff, SignOff.id, SignOff.program_id),
            (ProgramRevision, ProgramRevision.id, ProgramRevision.program_id),
        ],
    )
    return (
        sorted(sign_offs, key=lambda s: (-s.revision, s.id)),
        sorted(revisions, key=lambda r: r.number),
    )


def list_program_events(program: Program, viewer: User | None = None) -> list[AuditEvent]:
    """One timeline merging the program's events and those of the needs it serves. BKN
    viewers do not see a need's Pemda-internal history (before it was sent to BKN); a Pemda
    viewer sees only its own Pemda's needs; events another program caused are left out."""
    need_ids = [n.id for n in program.needs]
    cond = sa.and_(AuditEvent.entity_type == "program", AuditEvent.entity_id == program.id)
    if need_ids:
        cond = sa.or_(
            cond,
            sa.and_(AuditEvent.entity_type == "need", AuditEvent.entity_id.in_(need_ids)),
        )
    events = list(
        db.session.scalars(
            sa.select(AuditEvent).where(cond).order_by(AuditEvent.created_at, AuditEvent.id)
        ).unique()
    )
    own_pemda = {n.id for n in program.needs if viewer and n.pemda_id == viewer.pemda_id}
    sent: set[int] = set()
    out = []
    for ev in events:
        if ev.entity_type == "need":
            other_program = (ev.data or {}).get("program_id")
            if other_program is not None and other_program != program.id:
                continue  # accepted/released/fulfilled because of another program
            if viewer is not None and viewer.is_pemda:
                if ev.entity_id not in own_pemda:
                    continue  # another Pemda's need: its history is that Pemda's business
            elif ev.entity_id not in sent:
                if ev.to_state != "submitted":
                    continue  # BKN sees a need's history from the moment it was sent
                sent.add(ev.entity_id)
        out.append(ev)
    return out


def programs_of_need(user: User, need: Need) -> list[Program]:
    """The visible programs that serve ``need``."""
    stmt = visible_programs(user).where(
        Program.id.in_(
            sa.select(program_need.c.program_id).where(program_need.c.need_id == need.id)
        )
    )
    return list(db.session.scalars(stmt.order_by(Program.id)).unique())


def quota_for(program: Program, pemda_id: int) -> ProgramQuota | None:
    """The program's quota row for one partner Pemda."""
    return next((q for q in program.quotas if q.org_id == pemda_id), None)
