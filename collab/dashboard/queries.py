"""What waits on each role now: a constant number of SQL statements whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from collab.extensions import db
from collab.models import Need, Role, User, utcnow
from collab.needs.queries import URGENCY_ORDER, list_filing_orgs, overdue_clause, visible_needs

WAITING_LIMIT = 20


@dataclass
class Dashboard:
    """``waiting``: needs whose next step is the viewer's (at most 20, most urgent first);
    ``waiting_total``: their count; ``status_counts``: visible needs per status;
    ``overdue``: visible submitted needs past the first-response SLA."""

    waiting: list[Need] = field(default_factory=list)
    waiting_total: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0


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
    """Build the viewer's dashboard."""
    out = Dashboard()
    visible = visible_needs(user).subquery()
    rows = db.session.execute(
        sa.select(
            visible.c.status,
            sa.func.count(),
            sa.func.sum(
                sa.case(
                    (
                        sa.and_(
                            visible.c.status == "submitted",
                            visible.c.sla_due_at < utcnow(),
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
        ).group_by(visible.c.status)
    ).all()
    out.status_counts = {status: count for status, count, _ in rows}
    cond = waiting_condition(user)
    if cond is not None:
        base = visible_needs(user).where(cond)
        out.waiting_total = db.session.scalar(
            sa.select(sa.func.count()).select_from(base.subquery())
        )
        out.waiting = list(
            db.session.scalars(
                base.options(joinedload(Need.org), joinedload(Need.pemda))
                .order_by(URGENCY_ORDER, Need.status_changed_at)
                .limit(WAITING_LIMIT)
            ).unique()
        )
    out.overdue = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            visible_needs(user).where(overdue_clause()).subquery()
        )
    )
    return out
