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
from sqlalchemy.orm import joinedload

from collab.errors import NotFound
from collab.extensions import db
from collab.models import AuditEvent, Need, Organization, OrgKind, User, utcnow
from collab.models.need import urgency_rank


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
    """The need ``need_id`` if ``user`` may see it, with its competency gaps joined into the
    same statement (a need has a handful); raises :class:`NotFound` otherwise."""
    stmt = visible_needs(user).where(Need.id == need_id)
    if with_gaps:
        stmt = stmt.options(joinedload(Need.gaps))
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
            # the stored rank, so the list-order index also serves this filter
            stmt = stmt.where(
                Need.urgency_rank.in_(sorted({urgency_rank(u) for u in self.urgency}))
            )
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
    """One page of a list: ``items``, ``page`` (1-based), ``per_page``, ``total``.

    ``capped``: ``total`` is only a lower bound — there are more than ``total`` rows (a
    free-text search is counted up to :data:`SEARCH_COUNT_LIMIT` only)."""

    items: list
    page: int
    per_page: int
    total: int
    capped: bool = False

    @property
    def pages(self) -> int:
        """Number of pages (at least 1). When ``capped``, the pages known so far: those the
        count reached, and one after this page while this page is full."""
        counted = max(1, -(-self.total // self.per_page))
        if not self.capped or not self.items:
            return counted
        return max(counted, self.page + (1 if len(self.items) >= self.per_page else 0))


URGENCY_ORDER = Need.urgency_rank
"""Most urgent first (critical … low): the stored rank, see :class:`collab.models.Need`."""

LIST_ORDER = (Need.urgency_rank, Need.status_changed_at, Need.id)
"""The needs lists' order — most urgent, then longest waiting — exactly the columns of the
``ix_need_urgency_order`` / ``ix_need_status_urgency_order`` indexes, so a page is read by
walking the index and stops after ``offset + limit`` rows."""


SEARCH_COUNT_LIMIT = 1000
"""A free-text search counts its matches up to this many ("more than 1,000"): a substring
search cannot use an ordinary index, so an exact count would read every visible need."""


def list_needs(user: User, filters: NeedFilters, page: int, per_page: int) -> Page:
    """A page of visible needs, most urgent and oldest first. Two SQL statements.

    Without a free-text search: an exact count, and the page walks the list-order index and
    stops after ``offset + limit`` rows. With one (``filters.q``), the first statement reads
    the ids of at most :data:`SEARCH_COUNT_LIMIT` + 1 matches: when there are more, the total
    is given as "more than" (``capped``) and the page walks the index as above (matches are
    frequent); otherwise the page is read by those ids and sorted (matches are few)."""
    base = filters.apply(visible_needs(user), user)
    order = LIST_ORDER
    capped = False
    if filters.q:
        ids = list(
            db.session.scalars(base.with_only_columns(Need.id).limit(SEARCH_COUNT_LIMIT + 1))
        )
        capped = len(ids) > SEARCH_COUNT_LIMIT
        total = min(len(ids), SEARCH_COUNT_LIMIT)
        if not capped:
            base = sa.select(Need).where(Need.id.in_(ids))
            order = (Need.urgency_rank + 0, Need.status_changed_at, Need.id)  # sort, no walk
    else:
        total = db.session.scalar(
            sa.select(sa.func.count()).select_from(base.with_only_columns(Need.id).subquery())
        )
    stmt = (
        base.options(joinedload(Need.org), joinedload(Need.pemda))
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(list(db.session.scalars(stmt).unique()), page, per_page, total, capped)


EXPORT_BATCH = 500
"""Rows read per statement when a whole list is exported."""


def iter_needs(user: User, filters: NeedFilters, batch: int = EXPORT_BATCH) -> Iterator[list[Need]]:
    """Every visible need matching ``filters``, in the list's order, in batches of ``batch``
    (one result read with ``yield_per``: memory holds one batch, not the whole list)."""
    stmt = (
        filters.apply(visible_needs(user), user)
        .order_by(*LIST_ORDER)
        .execution_options(yield_per=batch)
    )
    yield from db.session.scalars(stmt).partitions()


TIMELINE_LIMIT = 50
"""Timeline events a need's page shows at first (the latest); the rest on request."""


@dataclass
class Timeline:
    """A need's audit timeline as shown: ``events`` oldest first (the latest ``limit`` of
    them, or all), ``total`` the number of events the viewer may see."""

    events: list[AuditEvent]
    total: int

    @property
    def hidden(self) -> int:
        """Earlier events not shown (0 when the whole timeline is)."""
        return self.total - len(self.events)


def need_timeline(need: Need, viewer: User | None = None, limit: int | None = None) -> Timeline:
    """The need's audit timeline with actors loaded: the latest ``limit`` events (None: all),
    oldest first, and the total — one SQL statement (a window count), read backwards along
    ``ix_audit_event_entity``. BKN users see it from the moment the Pemda sent the need to
    BKN: the Pemda's own drafting and verification (including BKPSDM's return notes) stay
    internal to the Pemda."""
    cond = [AuditEvent.entity_type == "need", AuditEvent.entity_id == need.id]
    if viewer is not None and not viewer.is_pemda:
        sent = (
            sa.select(sa.func.min(AuditEvent.id))
            .where(*cond, AuditEvent.to_state == "submitted")
            .scalar_subquery()
        )
        cond.append(AuditEvent.id >= sent)  # never sent: NULL, so no event
    stmt = (
        sa.select(AuditEvent, sa.func.count().over())
        .where(*cond)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    rows = db.session.execute(stmt).all()
    return Timeline([row[0] for row in reversed(rows)], rows[0][1] if rows else 0)


def list_need_events(need: Need, viewer: User | None = None) -> list[AuditEvent]:
    """The need's whole audit timeline, oldest first (see :func:`need_timeline`)."""
    return need_timeline(need, viewer).events


def last_question(need: Need) -> str | None:
    """The designer's question of the need's latest ``request_info`` (None if never asked)."""
    return db.session.scalar(
        sa.select(AuditEvent.comment)
        .where(
            AuditEvent.entity_type == "need",
            AuditEvent.entity_id == need.id,
            AuditEvent.action == "request_info",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def list_pemda_choices(user: User) -> list[sa.Row]:
    """Pemda a user may filter by, as ``(id, name)`` rows by name: all for BKN, their own for a
    Pemda user. One statement reading two columns (whole organisations with their parent
    chains cost ~10 ms with 228 Pemda on every list page)."""
    stmt = sa.select(Organization.id, Organization.name).where(Organization.kind == OrgKind.PEMDA)
    if user.is_pemda:
        stmt = stmt.where(Organization.id == user.pemda_id)
    return list(db.session.execute(stmt.order_by(Organization.name, Organization.id)))


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
