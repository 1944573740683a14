"""What waits on each role now: a constant number of SQL statements whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from collab.extensions import db
from collab.models import Need, Program, Role, SignOff, User, program_need, utcnow
from collab.needs.queries import LIST_ORDER, list_filing_orgs, overdue_clause, visible_needs
from collab.programs.queries import list_pending_parties, visible_programs
from collab.programs.services import program_turn, sign_off_party
from collab.workflow.programs import ACTIVE_STATES as ACTIVE_PROGRAM_STATES
from collab.workflow.programs import TURN as TURN_PROGRAM

WAITING_LIMIT = 20


@dataclass
class Dashboard:
    """``waiting``: needs whose next step is the viewer's (at most 20, most urgent first);
    ``waiting_total``: their count; ``status_counts``: visible needs per status;
    ``overdue``: visible submitted needs past the first-response SLA; ``overdue_needs``: the
    first :data:`WAITING_LIMIT` of them, longest overdue first."""

    waiting: list[Need] = field(default_factory=list)
    waiting_total: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    overdue_needs: list[Need] = field(default_factory=list)


def waiting_condition(user: User):
    """SQL condition for needs that wait on ``user`` (None when nothing can)."""
    if user.role == Role.PEMDA_OFFICER:
        org_ids = [o.id for o in list_filing_orgs(user)]
        return sa.and_(Need.org_id.in_(org_ids), Need.status.in_(("draft", "info_requested")))
    if user.role == Role.PEMDA_APPROVER:
        return sa.and_(
            Need.pemda_id == user.pemda_id, Need.status.in_(("verifying", "info_requested"))
        )
    if user.role == Role.BKN_DESIGNER:
        return sa.or_(
            Need.status == "submitted",
            sa.and_(Need.status == "in_review", Need.assigned_designer_id == user.id),
        )
    if user.role == Role.BKN_APPROVER:
        return overdue_clause()
    return None


def get_dashboard(user: User) -> Dashboard:
    """Build the viewer's dashboard: at most three statements, each read from an index.

    One grouped statement gives the counts per status, the overdue count and the waiting
    count together (for BKN from the covering ``ix_need_status_counts`` index alone); the
    waiting list walks the list-order index and stops after :data:`WAITING_LIMIT` rows; the
    overdue list walks ``ix_need_status_sla_due_at``."""
    out = Dashboard()
    cond = waiting_condition(user)
    late = sa.and_(Need.status == "submitted", Need.sla_due_at < utcnow())
    counted = [Need.status, sa.func.count(), sa.func.sum(sa.case((late, 1), else_=0))]
    if cond is not None:
        counted.append(sa.func.sum(sa.case((cond, 1), else_=0)))
    rows = db.session.execute(
        visible_needs(user).with_only_columns(*counted).group_by(Need.status)
    ).all()
    out.status_counts = {row[0]: row[1] for row in rows}
    out.overdue = sum(int(row[2] or 0) for row in rows)
    if cond is not None:
        out.waiting_total = sum(int(row[3] or 0) for row in rows)
        out.waiting = list(
            db.session.scalars(
                visible_needs(user)
                .where(cond)
                .options(joinedload(Need.org), joinedload(Need.pemda))
                .order_by(*LIST_ORDER)
                .limit(WAITING_LIMIT)
            ).unique()
        )
    if user.role == Role.BKN_APPROVER:
        out.overdue_needs = out.waiting  # an approver's queue is the overdue needs
    elif out.overdue and user.role != Role.ADMIN:
        out.overdue_needs = list(
            db.session.scalars(
                visible_needs(user)
                .where(overdue_clause())
                .options(joinedload(Need.org), joinedload(Need.pemda))
                .order_by(Need.sla_due_at, Need.id)
                .limit(WAITING_LIMIT)
            ).unique()
        )
    return out


@dataclass
class ProgramBoard:
    """Programs on a dashboard.

    ``to_sign``: proposals waiting for the viewer's sign-off, oldest first, with days waited.
    ``my_actions``: the designer's programs whose next step is theirs (revise after a change
    request, schedule after approval). ``mine_by_status``: the designer's own programs per
    state. ``needs_without_program``:
    received needs no active program serves yet (designers). ``joint``: open programs of the
    viewer's side with whose turn it is (``turns[program_id]``: "bkn", "pemda" or "both",
    also for ``to_sign`` and ``overdue_signoffs``). ``overdue_signoffs``: visible proposals past
    their sign-off due time (longest overdue first), ``overdue_signoffs_total`` their count.
    Each list holds the first :data:`WAITING_LIMIT`; the ``*_total`` fields count them all
    (``needs_without_program`` has no total: counting it means a ``NOT EXISTS`` for each of
    tens of thousands of received needs, so the panel names the most urgent first instead).
    """

    to_sign: list[Program] = field(default_factory=list)
    my_actions: list[Program] = field(default_factory=list)
    mine_by_status: dict[str, int] = field(default_factory=dict)
    needs_without_program: list[Need] = field(default_factory=list)
    joint: list[Program] = field(default_factory=list)
    turns: dict[int, str] = field(default_factory=dict)
    pending_names: dict[int, list[str]] = field(default_factory=dict)
    overdue_signoffs: list[Program] = field(default_factory=list)
    overdue_signoffs_total: int = 0
    to_sign_total: int = 0
    my_actions_total: int = 0
    joint_total: int = 0
    limit: int = 0
    """Rows each list holds at most (:data:`WAITING_LIMIT` when built)."""

    @property
    def waiting_count(self) -> int:
        """Programs waiting on the viewer (sign-offs, or the designer's next step): every one,
        not only the first :data:`WAITING_LIMIT` listed."""
        return self.to_sign_total + self.my_actions_total


OPEN_PROGRAM_STATES = (
    "proposed",
    "changes_requested",
    "approved",
    "scheduled",
    "in_delivery",
    "delivered",
)


def _first_with_total(stmt: sa.Select, *order) -> tuple[list[Program], int]:
    """The first :data:`WAITING_LIMIT` programs of ``stmt`` (``SELECT program …``) in ``order``
    and how many there are in all, in one statement: the total is an uncorrelated scalar
    subquery (computed once, ids only), so the list itself can walk an index and stop at the
    limit (a window count would read and sort every matching row first)."""
    total = (
        sa.select(sa.func.count())
        .select_from(stmt.with_only_columns(Program.id).subquery())
        .scalar_subquery()
    )
    rows = db.session.execute(stmt.add_columns(total).order_by(*order).limit(WAITING_LIMIT)).all()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


def get_program_board(user: User) -> ProgramBoard:
    """Build the viewer's program panels: a constant number of SQL statements."""
    board = ProgramBoard(limit=WAITING_LIMIT)
    visible = visible_programs(user)
    party = sign_off_party(user)
    if party is not None:
        decided = sa.exists().where(
            SignOff.program_id == Program.id,
            SignOff.revision == Program.current_revision,
            SignOff.party == party,
        )
        board.to_sign, board.to_sign_total = _first_with_total(
            visible.where(Program.status == "proposed", ~decided), Program.status_changed_at
        )
    if user.role == Role.BKN_DESIGNER:
        mine = sa.select(Program).where(
            Program.owner_id == user.id,
            Program.status.in_(("changes_requested", "approved")),
        )
        board.my_actions, board.my_actions_total = _first_with_total(
            mine, Program.status_changed_at
        )
        board.mine_by_status = dict(
            db.session.execute(
                sa.select(Program.status, sa.func.count())
                .where(Program.owner_id == user.id)
                .group_by(Program.status)
            ).all()
        )
        # correlated NOT EXISTS (program_need's need_id index), checked only for the few needs
        # read while walking the list-order index — not a set of every served need
        served = (
            sa.select(program_need.c.need_id)
            .join(Program, Program.id == program_need.c.program_id)
            .where(program_need.c.need_id == Need.id, Program.status.in_(ACTIVE_PROGRAM_STATES))
            .exists()
        )
        board.needs_without_program = list(
            db.session.scalars(
                sa.select(Need)
                .where(Need.status.in_(("submitted", "in_review")), ~served)
                .options(joinedload(Need.org), joinedload(Need.pemda))
                .order_by(*LIST_ORDER)
                .limit(WAITING_LIMIT)
            ).unique()
        )
    if user.role != Role.ADMIN:
        board.joint, board.joint_total = _first_with_total(
            visible.where(Program.status.in_(OPEN_PROGRAM_STATES)), Program.status_changed_at
        )
        board.overdue_signoffs, board.overdue_signoffs_total = _first_with_total(
            visible.where(Program.status == "proposed", Program.signoff_due_at < utcnow()),
            Program.signoff_due_at,
            Program.id,
        )
        seen = {p.id: p for p in board.joint + board.to_sign + board.overdue_signoffs}
        board.turns, board.pending_names = program_turns(list(seen.values()))
    return board


def program_turns(programs: list[Program]) -> tuple[dict[int, str], dict[int, list[str]]]:
    """Whose turn for each program, and for proposals the names of the parties that have not
    signed the current revision; two statements for all of them, not per program."""
    pending = list_pending_parties(programs)
    turns: dict[int, str | None] = {}
    names: dict[int, list[str]] = {}
    for p in programs:
        if p.id in pending:
            turns[p.id] = program_turn(p, list(pending[p.id]))
            names[p.id] = list(pending[p.id].values())
        else:
            turns[p.id] = TURN_PROGRAM.get(p.status)
    return {k: v for k, v in turns.items() if v}, names
