"""The numbers of ``/reports`` (*Laporan*): needs, programs, cycle times, JP and indicators,
always through the viewer's visibility (:func:`collab.needs.queries.visible_needs`,
:func:`collab.programs.queries.visible_programs`).

Definitions (each function says which rows it counts):

- A need is **filed** once its Pemda sent it to BKN (``submitted_at`` set): drafts and needs
  still under the Pemda's own verification are left out everywhere, so a Pemda user and BKN
  reading the same Pemda see the same numbers.
- The **fiscal-year filter** applies to ``Need.fiscal_year`` for needs and indicators, to
  ``Program.fiscal_year`` for programs, and to the calendar year in which a program ended (in
  its zone) for JP; Indonesia's fiscal year is the calendar year (UU 17/2003 Pasal 4).
- The **Pemda filter** keeps the needs of that Pemda, the programs serving one of its needs and
  the participants it nominated.
- A Pemda user sees only their own Pemda's needs and participants and the programs they
  partner in (proposed at least once); BKN users and admins see every filed need and every
  program. Another Pemda's numbers never enter a Pemda user's figures, even on a shared
  program.

Every figure is one SQL statement (aggregated with GROUP BY where possible); cycle times read
the state-changing audit events in one statement per entity type and are summed in Python,
because working days need the holiday calendar. The page takes the same number of statements
whatever the data size.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from collab.core.workdays import working_days_between
from collab.extensions import db
from collab.jp.queries import COUNTED_STATES, program_end_year
from collab.models import (
    AuditEvent,
    IndicatorMeasurement,
    Need,
    Organization,
    Participant,
    ParticipantStatus,
    Program,
    User,
)
from collab.needs.queries import visible_needs
from collab.programs.queries import serving_pemda, visible_programs

URGENCIES = ("critical", "high", "medium", "low")
"""Urgencies, most urgent first (the series of the needs chart)."""

NEED_WITH_PROGRAM = ("accepted", "fulfilled")
"""Need states that mean a program serves it: BKN accepts a need by linking it to a program
(DESIGN.md §3, ``accept``); it is fulfilled when such a program is evaluated."""

DELIVERED = ("delivered", "evaluated")
"""Program states counted as delivered (an evaluated program was delivered first)."""

NEED_CYCLE_STATES = ("draft", "verifying", "submitted", "in_review", "info_requested", "accepted")
"""Need states a need can leave again, in workflow order (the rows of the cycle-time table)."""

PEMDA_INTERNAL_STATES = ("draft", "verifying")
"""Need states before the Pemda sent the need to BKN: shown to Pemda users only (BKN does not
see this part of a need's history either, :func:`collab.needs.queries.list_need_events`)."""

PROGRAM_CYCLE_STATES = (
    "draft",
    "proposed",
    "changes_requested",
    "approved",
    "scheduled",
    "in_delivery",
    "delivered",
)
"""Program states a program can leave again, in workflow order."""


@dataclass
class InsightFilters:
    """``?fiscal_year=2026&pemda=4``; None means all."""

    fiscal_year: int | None = None
    pemda: int | None = None


# --- scopes -------------------------------------------------------------------------------------


def filed_needs(user: User, filters: InsightFilters) -> sa.Select:
    """``SELECT need``: the filed needs ``user`` may see, filtered."""
    stmt = visible_needs(user).where(Need.submitted_at.is_not(None))
    if filters.fiscal_year:
        stmt = stmt.where(Need.fiscal_year == filters.fiscal_year)
    if filters.pemda:
        stmt = stmt.where(Need.pemda_id == filters.pemda)
    return stmt


def scoped_programs(user: User, filters: InsightFilters) -> sa.Select:
    """``SELECT program``: the programs ``user`` may see, filtered."""
    stmt = visible_programs(user)
    if filters.fiscal_year:
        stmt = stmt.where(Program.fiscal_year == filters.fiscal_year)
    if filters.pemda:
        stmt = stmt.where(Program.id.in_(serving_pemda(filters.pemda)))
    return stmt


def filter_years(user: User) -> list[int]:
    """Fiscal years of the filed needs and programs ``user`` may see, latest first (the
    year filter's choices). One statement."""
    years = sa.union(
        filed_needs(user, InsightFilters()).with_only_columns(Need.fiscal_year),
        visible_programs(user).with_only_columns(Program.fiscal_year),
    ).subquery()
    column = years.c[0]
    return [int(y) for y in db.session.scalars(sa.select(column).order_by(column.desc()))]


# --- needs by urusan and urgency ----------------------------------------------------------------


@dataclass
class UrusanRow:
    """Filed needs of one urusan (code like ``1.02``), per urgency and in total."""

    code: str
    by_urgency: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_urgency.values())


def needs_by_urusan(user: User, filters: InsightFilters) -> list[UrusanRow]:
    """Filed needs counted per urusan and urgency (every urgency present as a key, 0 when
    none), urusan by code. One statement."""
    stmt = (
        filed_needs(user, filters)
        .with_only_columns(Need.urusan_code, Need.urgency, sa.func.count(Need.id))
        .group_by(Need.urusan_code, Need.urgency)
    )
    rows: dict[str, dict[str, int]] = {}
    for code, urgency, n in db.session.execute(stmt):
        rows.setdefault(code, dict.fromkeys(URGENCIES, 0))[str(urgency)] = int(n)
    return [UrusanRow(code, rows[code]) for code in sorted(rows)]


# --- funnel -------------------------------------------------------------------------------------


@dataclass
class Funnel:
    """Need → program → delivered → evaluated.

    - ``filed``: filed needs (sent to BKN);
    - ``with_program``: of those, needs a program serves now (state accepted or fulfilled —
      a need whose every program was cancelled or rejected goes back to review and leaves
      this count);
    - ``delivered``: programs delivered (state delivered or evaluated);
    - ``evaluated``: programs evaluated (closed after L1, L2 and L4).

    The first two count needs, the last two programs: one program may serve several needs.
    """

    filed: int
    with_program: int
    delivered: int
    evaluated: int

    @property
    def program_rate(self) -> float | None:
        """``with_program ÷ filed`` (0–1); None without filed needs."""
        return self.with_program / self.filed if self.filed else None

    @property
    def evaluated_rate(self) -> float | None:
        """``evaluated ÷ delivered`` (0–1); None without delivered programs."""
        return self.evaluated / self.delivered if self.delivered else None


def funnel(user: User, filters: InsightFilters) -> Funnel:
    """The four counts of :class:`Funnel` in one statement."""
    needs = filed_needs(user, filters).with_only_columns(Need.id, Need.status).subquery()
    programs = scoped_programs(user, filters).with_only_columns(Program.id, Program.status)
    programs = programs.subquery()

    def count(sub, cond=None):
        stmt = sa.select(sa.func.count()).select_from(sub)
        return (stmt.where(cond) if cond is not None else stmt).scalar_subquery()

    row = db.session.execute(
        sa.select(
            count(needs),
            count(needs, needs.c.status.in_(NEED_WITH_PROGRAM)),
            count(programs, programs.c.status.in_(DELIVERED)),
            count(programs, programs.c.status == "evaluated"),
        )
    ).one()
    return Funnel(*(int(v or 0) for v in row))


# --- cycle time ---------------------------------------------------------------------------------


@dataclass
class CycleRow:
    """Working days spent in one state: the median over completed stays and their number."""

    state: str
    stays: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.stays)

    @property
    def median(self) -> float | None:
        """Median working days (may end in .5); None without a completed stay."""
        return statistics.median(self.stays) if self.stays else None


def stays(
    events: list[tuple[int, datetime, str | None, str, str]],
) -> list[tuple[str, int]]:
    """``(state, working days)`` for every completed stay in ``events``: rows of
    ``(entity id, created_at UTC, from_state, to_state, IANA zone)`` ordered by entity, then
    time. A stay starts with the event that moved the entity into a state and ends with the
    next event that moved it into another one; events that keep the state (an edit, a
    sign-off that is not the last) do not end it, and the current state's stay is still open
    and not counted. Working days: :func:`collab.core.workdays.working_days_between` in the
    entity's zone (0 when it left on the day it came)."""
    out: list[tuple[str, int]] = []
    current: tuple[int, str, datetime] | None = None
    for entity_id, at, _from_state, to_state, zone in events:
        if current is not None and current[0] != entity_id:
            current = None
        if current is not None and current[1] == to_state:
            continue
        if current is not None:
            out.append((current[1], working_days_between(current[2], at, zone)))
        current = (entity_id, to_state, at)
    return out


def _cycle(rows, states: tuple[str, ...], hidden: tuple[str, ...] = ()) -> list[CycleRow]:
    by_state = {s: CycleRow(s) for s in states if s not in hidden}
    for state, days in stays(list(rows)):
        if state in by_state:
            by_state[state].stays.append(days)
    return list(by_state.values())


def need_cycle_times(user: User, filters: InsightFilters) -> list[CycleRow]:
    """Median working days filed needs spent in each state they can leave (workflow order),
    from their audit events, in the Pemda's zone. BKN users and admins get no rows for the
    Pemda-internal states (draft, verification). One statement."""
    ids = filed_needs(user, filters).with_only_columns(Need.id)
    rows = db.session.execute(
        sa.select(
            AuditEvent.entity_id,
            AuditEvent.created_at,
            AuditEvent.from_state,
            AuditEvent.to_state,
            Organization.timezone,
        )
        .join(Need, Need.id == AuditEvent.entity_id)
        .join(Organization, Organization.id == Need.pemda_id)
        .where(
            AuditEvent.entity_type == "need",
            AuditEvent.to_state.is_not(None),
            AuditEvent.entity_id.in_(ids),
        )
        .order_by(AuditEvent.entity_id, AuditEvent.created_at, AuditEvent.id)
    )
    hidden = () if user.is_pemda else PEMDA_INTERNAL_STATES
    return _cycle(rows, NEED_CYCLE_STATES, hidden)


def program_cycle_times(user: User, filters: InsightFilters) -> list[CycleRow]:
    """Median working days visible programs spent in each state they can leave (workflow
    order), from their audit events, in the program's zone. One statement."""
    ids = scoped_programs(user, filters).with_only_columns(Program.id)
    rows = db.session.execute(
        sa.select(
            AuditEvent.entity_id,
            AuditEvent.created_at,
            AuditEvent.from_state,
            AuditEvent.to_state,
            Program.timezone,
        )
        .join(Program, Program.id == AuditEvent.entity_id)
        .where(
            AuditEvent.entity_type == "program",
            AuditEvent.to_state.is_not(None),
            AuditEvent.entity_id.in_(ids),
        )
        .order_by(AuditEvent.entity_id, AuditEvent.created_at, AuditEvent.id)
    )
    return _cycle(rows, PROGRAM_CYCLE_STATES)


# --- JP and ASN trained -------------------------------------------------------------------------


@dataclass
class JpRow:
    """One Pemda in one year: JP earned by its ASN who passed, and how many ASN (distinct
    NIP) passed at least one program."""

    pemda_id: int
    pemda: str
    year: int
    jp: int
    asn: int


def jp_by_pemda(user: User, filters: InsightFilters) -> list[JpRow]:
    """JP (sum of ``jp_earned``) and ASN trained (distinct NIP) of enrolled participants who
    passed a delivered or evaluated program, per nominating Pemda and the calendar year in
    which the program ended (its last session's end, in the program's zone — the year of
    :mod:`collab.jp.queries`). A Pemda user gets only their own Pemda's participants. Ordered
    by Pemda name, then year. One statement."""
    ends, year = program_end_year()
    stmt = (
        sa.select(
            Participant.pemda_id,
            Organization.name,
            year.label("year"),
            sa.func.coalesce(sa.func.sum(Participant.jp_earned), 0),
            sa.func.count(sa.distinct(Participant.nip)),
        )
        .join(Program, Program.id == Participant.program_id)
        .join(ends, ends.c.program_id == Program.id)
        .join(Organization, Organization.id == Participant.pemda_id)
        .where(
            Participant.status == ParticipantStatus.ENROLLED,
            Participant.passed.is_(True),
            Program.status.in_(COUNTED_STATES),
        )
        .group_by(Participant.pemda_id, Organization.name, year)
        .order_by(Organization.name, year)
    )
    if user.is_pemda:
        stmt = stmt.where(Participant.pemda_id == user.pemda_id)
    if filters.pemda:
        stmt = stmt.where(Participant.pemda_id == filters.pemda)
    if filters.fiscal_year:
        stmt = stmt.where(year == filters.fiscal_year)
    return [
        JpRow(int(pid), name, int(y), int(jp or 0), int(asn))
        for pid, name, y, jp, asn in db.session.execute(stmt)
    ]


# --- indicators (L4) ----------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    """A filed need's service indicator: baseline and target as filed, and the latest value
    the Pemda measured after a program (L4), all in the indicator's own unit."""

    need_id: int
    title: str
    pemda: str
    indicator: str
    unit: str | None
    baseline: Decimal | None
    target: Decimal | None
    achieved: Decimal

    @property
    def progress(self) -> float | None:
        """How far the indicator moved from baseline to target: ``(achieved − baseline) ÷
        (target − baseline)`` — 1 (100 %) at the target, above 1 beyond it, negative when it
        moved away (also for indicators meant to go down, such as a waiting time); None
        without baseline or target, or when they are equal."""
        if self.baseline is None or self.target is None or self.target == self.baseline:
            return None
        return float((self.achieved - self.baseline) / (self.target - self.baseline))


def indicators(user: User, filters: InsightFilters) -> list[IndicatorRow]:
    """Every filed need with at least one L4 measurement, with its latest one (by
    ``measured_on``, then the latest recorded), by Pemda name and title. One statement."""
    ranked = sa.select(
        IndicatorMeasurement.need_id.label("need_id"),
        IndicatorMeasurement.value.label("value"),
        sa.func.row_number()
        .over(
            partition_by=IndicatorMeasurement.need_id,
            order_by=(IndicatorMeasurement.measured_on.desc(), IndicatorMeasurement.id.desc()),
        )
        .label("rank"),
    ).subquery()
    ids = filed_needs(user, filters).with_only_columns(Need.id)
    stmt = (
        sa.select(
            Need.id,
            Need.title,
            Organization.name,
            Need.indicator_name,
            Need.indicator_unit,
            Need.indicator_baseline,
            Need.indicator_target,
            ranked.c.value,
        )
        .join(ranked, sa.and_(ranked.c.need_id == Need.id, ranked.c.rank == 1))
        .join(Organization, Organization.id == Need.pemda_id)
        .where(Need.id.in_(ids))
        .order_by(Organization.name, Need.title, Need.id)
    )
    return [IndicatorRow(*row) for row in db.session.execute(stmt)]


# --- the page -----------------------------------------------------------------------------------


@dataclass
class Insights:
    """Everything ``/reports`` shows for one viewer and filter."""

    filters: InsightFilters
    needs_by_urusan: list[UrusanRow]
    funnel: Funnel
    need_cycle: list[CycleRow]
    program_cycle: list[CycleRow]
    jp: list[JpRow]
    indicators: list[IndicatorRow]


def insights(user: User, filters: InsightFilters) -> Insights:
    """All figures of the page: six statements, whatever the data size."""
    return Insights(
        filters=filters,
        needs_by_urusan=needs_by_urusan(user, filters),
        funnel=funnel(user, filters),
        need_cycle=need_cycle_times(user, filters),
        program_cycle=program_cycle_times(user, filters),
        jp=jp_by_pemda(user, filters),
        indicators=indicators(user, filters),
    )
