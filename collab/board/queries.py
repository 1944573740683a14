"""The joint status board (``/board``): the programs a user may see, as cards in one column
per program state, each card with what both sides need at a glance.

A constant number of SQL statements whatever the data size: one for the cards (at most
:data:`CARD_LIMIT` per column, with each column's total: see :func:`get_board`),
then one each for partner names, JP totals and session dates, and two for the pending
sign-offs when a proposal is on the board.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import load_only, raiseload

from collab.extensions import db
from collab.models import Program, User, utcnow
from collab.programs import queries as programs
from collab.programs.services import program_turn
from collab.workflow import programs as wf

COLUMNS = (
    wf.DRAFT,
    wf.PROPOSED,
    wf.CHANGES_REQUESTED,
    wf.APPROVED,
    wf.SCHEDULED,
    wf.IN_DELIVERY,
    wf.DELIVERED,
    wf.EVALUATED,
    wf.REJECTED,
    wf.CANCELLED,
)
"""Board columns, in the order a program moves through them (closed states last)."""

CLOSED = (wf.EVALUATED, wf.REJECTED, wf.CANCELLED)
"""Columns showing the latest change first; open columns show the longest waiting first."""

CARD_LIMIT = 10
"""Most cards per column; the rest are behind a link to the filtered program list.

Ten, not fifty: the board is for seeing at a glance whose turn it is and what is late, and
each column already puts the programs that matter first (the longest waiting in an open
column, the latest closed in a closed one) under its total; fifty cards a column made a page
of ~500 cards nobody reads to the end (and each card costs its formatting and SLA clock on
every view). The column's "N program lagi · lihat semua di daftar program" link opens the
program list with the same filters and that state, paginated, searchable and exportable."""

CARD_COLUMNS = (
    Program.title,
    Program.status,
    Program.status_changed_at,
    Program.timezone,
    Program.planned_start,
    Program.planned_end,
    Program.signoff_due_at,
    Program.current_revision,
    Program.owner_id,
)
"""The program columns a card reads (its id is always loaded)."""


@dataclass
class Card:
    """One program on the board. ``partners``: partner Pemda names; ``jp``: total JP;
    ``start``/``end``: the first and last session day in the program's zone when sessions
    exist (``from_sessions``), else the planned dates (local calendar dates); ``turn``:
    ``"bkn"``, ``"pemda"``, ``"both"`` or None once closed; ``pending``: names of the parties
    that have not signed a proposal's current revision; ``owner``: the owner designer's name;
    ``days``: calendar days since the last status change, both dates read in the viewer's zone
    (as :func:`collab.core.templating.days_since`, ≥ 0).

    Only the columns listed in :data:`CARD_COLUMNS` of ``program`` are loaded: reading any
    other attribute raises instead of costing one statement per card."""

    program: Program
    partners: list[str]
    jp: int
    start: date | None
    end: date | None
    from_sessions: bool
    turn: str | None
    pending: list[str] = field(default_factory=list)
    owner: str = ""
    days: int = 0


@dataclass
class Column:
    """One program state: its first cards and how many programs are in it in all."""

    status: str
    cards: list[Card]
    total: int

    @property
    def hidden(self) -> int:
        """Programs in this state not shown as cards (over :data:`CARD_LIMIT`)."""
        return self.total - len(self.cards)


@dataclass
class Board:
    """The board's columns (every state the viewer can meet, even when empty) and the number
    of programs on it."""

    columns: list[Column]
    total: int


def board_columns(user: User) -> tuple[str, ...]:
    """States shown to ``user``: a Pemda user never sees a draft, so has no draft column."""
    return tuple(s for s in COLUMNS if not (user.is_pemda and s == wf.DRAFT))


def _card_order(p: Program) -> tuple:
    """Sort key of a card: by column, then the longest waiting first in an open column and
    the latest change first in a closed one (ties by id the same way: the program list's
    order, so a closed column's "lihat semua" link continues where the column stops)."""
    changed = p.status_changed_at.timestamp()
    if p.status in CLOSED:
        return (COLUMNS.index(p.status), -changed, -p.id)
    return (COLUMNS.index(p.status), changed, p.id)


def _heads_by_index(base: sa.Select, statuses, limit: int) -> sa.Subquery:
    """``(id, in_status)`` of each column's first ``limit`` programs of ``base``: one
    ``LIMIT``ed select per column walking the ``(status, status_changed_at, id)`` index in the
    column's order, with the column's count, joined with ``UNION ALL``."""
    branches = []
    for status in statuses:
        in_column = base.where(Program.status == status)
        if status in CLOSED:
            order = (Program.status_changed_at.desc(), Program.id.desc())
        else:
            order = (Program.status_changed_at, Program.id)
        total = (
            in_column.with_only_columns(sa.func.count(), maintain_column_froms=True)
            .order_by(None)
            .scalar_subquery()
        )
        branches.append(
            in_column.with_only_columns(Program.id, total.label("in_status"))
            .order_by(*order)
            .limit(limit)
            .subquery()
            .select()
        )
    return sa.union_all(*branches).subquery()


def _heads_by_window(base: sa.Select, limit: int) -> sa.Subquery:
    """The same as :func:`_heads_by_index` from one pass over the matching programs (ranked
    per column with a window function over three narrow columns): for a set already narrowed
    by a subquery (a Pemda's or an urusan's programs), which the per-column selects would
    evaluate again for every column and count."""
    closed_first = sa.case((Program.status.in_(CLOSED), Program.status_changed_at), else_=None)
    closed_id = sa.case((Program.status.in_(CLOSED), Program.id), else_=None)
    found = base.with_only_columns(
        Program.id,
        sa.func.row_number()
        .over(
            partition_by=Program.status,
            order_by=(
                closed_first.desc(),
                closed_id.desc(),
                Program.status_changed_at,
                Program.id,
            ),
        )
        .label("rank"),
        sa.func.count().over(partition_by=Program.status).label("in_status"),
    ).subquery()
    return sa.select(found.c.id, found.c.in_status).where(found.c.rank <= limit).subquery()


def get_board(user: User, filters: programs.ProgramFilters, limit: int = CARD_LIMIT) -> Board:
    """The board of the programs ``user`` may see (:func:`visible_programs`) matching
    ``filters`` (its ``status`` is ignored: every state has its column), at most ``limit``
    cards per column, with each column's total.

    The cards come from one statement whatever the number of columns or programs: for every
    program (a BKN viewer, no Pemda/urusan/designer filter) one ``LIMIT``ed select per column
    walking the ``(status, status_changed_at, id)`` index (:func:`_heads_by_index`: the work
    grows with the cards shown, not with the programs stored); for a set narrowed by a Pemda,
    an urusan or a designer, one window pass over it (:func:`_heads_by_window`)."""
    filters = programs.ProgramFilters(
        pemda=filters.pemda,
        urusan=filters.urusan,
        fiscal_year=filters.fiscal_year,
        designer=filters.designer,
        q=filters.q,
    )
    base = filters.apply(programs.visible_programs(user))
    # measured on both databases at full size: the per-column index walk wins for every
    # program and for the year and text filters; one window pass wins once a Pemda, an
    # urusan or a designer narrows the set (PostgreSQL would evaluate those subqueries again
    # for each column and count; a designer's programs are scattered over the index)
    if user.is_pemda or filters.pemda or filters.urusan or filters.designer:
        ranked = _heads_by_window(base, limit)
    else:
        ranked = _heads_by_index(base, board_columns(user), limit)
    rows = db.session.execute(
        sa.select(Program, User.name, ranked.c.in_status)
        .join(ranked, ranked.c.id == Program.id)
        .join(User, User.id == Program.owner_id)
        .options(load_only(*CARD_COLUMNS, raiseload=True), raiseload(Program.owner))
    ).all()
    shown = sorted((row[0] for row in rows), key=_card_order)
    owners = {row[0].id: row[1] for row in rows}
    totals = {str(row[0].status): int(row[2]) for row in rows}
    viewer_zone = ZoneInfo(user.zone)
    today = utcnow().astimezone(viewer_zone).date()
    ids = [p.id for p in shown]
    partners = programs.partner_names(ids)
    jp = programs.total_jp(ids)
    spans = programs.session_span(ids)
    pending = programs.list_pending_parties(shown)
    by_status: dict[str, list[Card]] = {}
    for p in shown:
        span = spans.get(p.id)
        if span:
            zone = ZoneInfo(p.timezone)
            start, end = (t.astimezone(zone).date() for t in span)
        else:
            start, end = p.planned_start, p.planned_end
        waiting = pending.get(p.id)
        by_status.setdefault(str(p.status), []).append(
            Card(
                program=p,
                partners=partners.get(p.id, []),
                jp=jp.get(p.id, 0),
                start=start,
                end=end,
                from_sessions=span is not None,
                turn=program_turn(p, list(waiting or {})),
                pending=list(waiting.values()) if waiting else [],
                owner=owners[p.id],
                days=max(0, (today - p.status_changed_at.astimezone(viewer_zone).date()).days),
            )
        )
    columns = [
        Column(status, by_status.get(status, []), totals.get(status, 0))
        for status in board_columns(user)
    ]
    return Board(columns, sum(totals.values()))
