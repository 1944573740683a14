"""The joint status board (``/board``): the programs a user may see, as cards in one column
per program state, each card with what both sides need at a glance.

A constant number of SQL statements whatever the data size: one for the cards (at most
:data:`CARD_LIMIT` per column, chosen with a window function, with each column's total),
then one each for partner names, JP totals and session dates, and two for the pending
sign-offs when a proposal is on the board.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from collab.extensions import db
from collab.models import Program, User
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

CARD_LIMIT = 50
"""Most cards per column; the rest are behind a link to the filtered program list."""


@dataclass
class Card:
    """One program on the board. ``partners``: partner Pemda names; ``jp``: total JP;
    ``start``/``end``: the first and last session day in the program's zone when sessions
    exist (``from_sessions``), else the planned dates (local calendar dates); ``turn``:
    ``"bkn"``, ``"pemda"``, ``"both"`` or None once closed; ``pending``: names of the parties
    that have not signed a proposal's current revision."""

    program: Program
    partners: list[str]
    jp: int
    start: date | None
    end: date | None
    from_sessions: bool
    turn: str | None
    pending: list[str] = field(default_factory=list)


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


def get_board(user: User, filters: programs.ProgramFilters, limit: int = CARD_LIMIT) -> Board:
    """The board of the programs ``user`` may see (:func:`visible_programs`) matching
    ``filters`` (its ``status`` is ignored: every state has its column)."""
    filters = programs.ProgramFilters(
        pemda=filters.pemda,
        urusan=filters.urusan,
        fiscal_year=filters.fiscal_year,
        designer=filters.designer,
        q=filters.q,
    )
    closed_key = sa.case((Program.status.in_(CLOSED), Program.status_changed_at), else_=None)
    ranked = (
        filters.apply(programs.visible_programs(user))
        .add_columns(
            sa.func.row_number()
            .over(
                partition_by=Program.status,
                order_by=(closed_key.desc(), Program.status_changed_at, Program.id),
            )
            .label("rank"),
            sa.func.count().over(partition_by=Program.status).label("in_status"),
        )
        .subquery()
    )
    card = aliased(Program, ranked)
    rows = db.session.execute(
        sa.select(card, ranked.c.in_status)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.status, ranked.c.rank)
    ).all()
    shown = [row[0] for row in rows]
    totals = {str(row[0].status): int(row[1]) for row in rows}
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
            )
        )
    columns = [
        Column(status, by_status.get(status, []), totals.get(status, 0))
        for status in board_columns(user)
    ]
    return Board(columns, sum(totals.values()))
