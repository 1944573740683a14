"""Reads of needs, always through the viewer's visibility (DESIGN.md §1).

Pemda users see their own Pemda's subtree; BKN users and admins see every need the Pemda
has sent to BKN. Another
Pemda's need is reported as not found, never as forbidden, so its existence does not leak.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from collab.errors import NotFound
from collab.extensions import db
from collab.models import AuditEvent, Need, Organization, OrgKind, User, utcnow


def visible_needs(user: User) -> sa.Select:
    """``SELECT need`` restricted to what ``user`` may see.

    A Pemda user sees every need of their own Pemda. BKN users (and admins) see a need once
    its Pemda has sent it to BKN (``submitted_at`` set); drafts and needs under the Pemda's own
    verification stay internal to the Pemda.
    """
    stmt = sa.select(Need)
    if user.is_pemda:
        return stmt.where(Need.pemda_id == user.pemda_id)
    return stmt.where(Need.submitted_at.is_not(None))


def get_need(user: User, need_id: int, *, with_gaps: bool = True) -> Need:
    """The need ``need_id`` if ``user`` may see it; raises :class:`NotFound` otherwise."""
    stmt = visible_needs(user).where(Need.id == need_id)
    if with_gaps:
        stmt = stmt.options(selectinload(Need.gaps))
    need = db.session.scalars(stmt).unique().one_or_none()
    if need is None:
        raise NotFound(_("Usulan tidak ditemukan."))
    return need


def text_search(q: str, *columns) -> sa.ColumnElement[bool]:
    """SQL condition: ``q`` occurs in any of ``columns``, case-insensitively, with ``%`` and
    ``_`` taken literally — lower() on both sides and escaped wildcards, so SQLite and
    PostgreSQL give the same results (acceptance case A12)."""
    needle = q.lower()
    return sa.or_(*(sa.func.lower(c).contains(needle, autoescape=True) for c in columns))


def pemda_in_province(code: str) -> sa.Select:
    """Ids of the Pemda whose Kemendagri region code starts with the province ``code``
    (``61`` → ``61``, ``61.71``, ``61.12`` …)."""
    return sa.select(Organization.id).where(
        Organization.kind == "pemda",
        sa.or_(Organization.region_code == code, Organization.region_code.like(code + ".%")),
    )


@dataclass
class NeedFilters:
    """List filters, named after the fields (``?status=submitted&urgency=high``)."""

    status: list[str] = field(default_factory=list)
    urgency: list[str] = field(default_factory=list)
    urusan: str | None = None
    pemda: int | None = None
    province: str | None = None
    fiscal_year: int | None = None
    designer: int | None = None
    overdue: bool = False
    q: str | None = None
    mine: bool = False

    def apply(self, stmt: sa.Select, user: User) -> sa.Select:
        """Add the active filters to ``stmt``. ``province``: the two-digit Kemendagri code
        (``61`` Kalimantan Barat); ``designer``: the assigned BKN designer's user id;
        ``overdue``: past BKN's first-response SLA; ``q``: words in the title or the problem
        statement."""
        if self.status:
            stmt = stmt.where(Need.status.in_(self.status))
        if self.urgency:
            stmt = stmt.where(Need.urgency.in_(self.urgency))
        if self.urusan:
            stmt = stmt.where(Need.urusan_code == self.urusan)
        if self.pemda:
            stmt = stmt.where(Need.pemda_id == self.pemda)
        if self.province:
            stmt = stmt.where(Need.pemda_id.in_(pemda_in_province(self.province)))
        if self.fiscal_year:
            stmt = stmt.where(Need.fiscal_year == self.fiscal_year)
        if self.designer:
            stmt = stmt.where(Need.assigned_designer_id == self.designer)
        if self.overdue:
            stmt = stmt.where(overdue_clause())
        if self.q:
            stmt = stmt.where(text_search(self.q, Need.title, Need.problem_statement))
        if self.mine:
            stmt = stmt.where(Need.assigned_designer_id == user.id)
        return stmt


@dataclass
class Page:
    """One page of a list: ``items``, ``page`` (1-based), ``per_page``, ``total``."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))


URGENCY_ORDER = sa.case(
    {"critical": 0, "high": 1, "medium": 2, "low": 3}, value=Need.urgency, else_=4
)


def list_needs(user: User, filters: NeedFilters, page: int, per_page: int) -> Page:
    """A page of visible needs, most urgent and oldest first. Two SQL statements."""
    base = filters.apply(visible_needs(user), user)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
    stmt = (
        base.options(joinedload(Need.org), joinedload(Need.pemda))
        .order_by(URGENCY_ORDER, Need.status_changed_at, Need.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(list(db.session.scalars(stmt).unique()), page, per_page, total)


EXPORT_BATCH = 500
"""Rows read per statement when a whole list is exported."""


def iter_needs(user: User, filters: NeedFilters, batch: int = EXPORT_BATCH) -> Iterator[list[Need]]:
    """Every visible need matching ``filters``, in the list's order, in batches of ``batch``
    (one result read with ``yield_per``: memory holds one batch, not the whole list)."""
    stmt = (
        filters.apply(visible_needs(user), user)
        .order_by(URGENCY_ORDER, Need.status_changed_at, Need.id)
        .execution_options(yield_per=batch)
    )
    yield from db.session.scalars(stmt).partitions()


def list_need_events(need: Need, viewer: User | None = None) -> list[AuditEvent]:
    """The need's audit timeline, oldest first, with actors loaded. BKN users see it from the
    moment the Pemda sent the need to BKN: the Pemda's own drafting and verification
    (including BKPSDM's return notes) stay internal to the Pemda."""
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.entity_type == "need", AuditEvent.entity_id == need.id)
        .order_by(AuditEvent.id)
    )
    events = list(db.session.scalars(stmt).unique())
    if viewer is not None and not viewer.is_pemda:
        first = next((i for i, e in enumerate(events) if e.to_state == "submitted"), None)
        events = events[first:] if first is not None else []
    return events


def list_pemda_choices(user: User) -> list[Organization]:
    """Pemda a user may filter by: all for BKN, their own for a Pemda user."""
    stmt = sa.select(Organization).where(Organization.kind == OrgKind.PEMDA)
    if user.is_pemda:
        stmt = stmt.where(Organization.id == user.pemda_id)
    return list(db.session.scalars(stmt.order_by(Organization.name)).unique())


def list_filing_orgs(user: User, include: Organization | None = None) -> list[Organization]:
    """Organisations a user may file a need for: an officer's own OPD subtree, the approver's
    whole Pemda (active ones); empty for everyone else. ``include`` (a need's current
    organisation) is kept even when since deactivated, so editing never moves a need."""
    if not user.is_pemda:
        return []
    stmt = (
        sa.select(Organization)
        .where(Organization.pemda_id == user.pemda_id, Organization.active.is_(True))
        .order_by(Organization.kind.desc(), Organization.name)
    )
    orgs = list(db.session.scalars(stmt).unique())
    if user.role != "pemda_approver":
        orgs = [o for o in orgs if o.is_within(user.org)]
    if include is not None and include.id not in {o.id for o in orgs}:
        orgs.insert(0, include)
    return orgs


def overdue_clause():
    """SQL condition: a submitted need whose first-response SLA has passed."""
    return sa.and_(Need.status == "submitted", Need.sla_due_at < utcnow())
