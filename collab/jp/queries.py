"""JP earned per ASN (NIP) and calendar year, from passed participations.

A participation counts in the calendar year in which its program ended: the end of its last
session, read in the program's zone. That year is stored on the participation
(:attr:`collab.models.Participant.jp_year`, :mod:`collab.jp.years`) when the program completes,
and only then: only enrolled participants of delivered or evaluated programs have it, so the
ledger reads participants alone, grouped along the ``(jp_year, nip)`` index.
:func:`program_end_year` is the same rule in SQL (WIB/WITA/WIT are fixed offsets), for the
reports. ``jp_earned`` is summed over those who passed, so an ASN who attended and failed
appears with 0 JP. A Pemda user sees only their own Pemda's ASN.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from collab.extensions import db
from collab.models import (
    JpYearTotal,
    Organization,
    Participant,
    Program,
    ProgramSession,
    User,
)
from collab.needs.queries import EXPORT_BATCH, Page
from collab.reference import TIMEZONES

COUNTED_STATES = ("delivered", "evaluated")
"""Program states whose participations count."""


class local_year(FunctionElement):
    """``local_year(utc_timestamp, offset_hours)``: the calendar year at a fixed offset."""

    type = sa.Integer()
    inherit_cache = True
    name = "local_year"


@compiles(local_year, "sqlite")
def _local_year_sqlite(element, compiler, **kw):
    ts, hours = list(element.clauses)
    modifier = sa.cast(hours, sa.String) + sa.literal_column("' hours'")
    expr = sa.cast(sa.func.strftime(sa.literal_column("'%Y'"), ts, modifier), sa.Integer)
    return compiler.process(expr, **kw)


@compiles(local_year)
def _local_year_default(element, compiler, **kw):
    ts, hours = list(element.clauses)
    # constants as literal SQL, so that the GROUP BY repeats the SELECT's expression exactly
    zero = sa.literal_column("0")
    interval = sa.func.make_interval(zero, zero, zero, zero, hours)
    expr = sa.cast(sa.extract("year", ts + interval), sa.Integer)
    return compiler.process(expr, **kw)


def program_offset_hours() -> sa.Case:
    """The program zone's UTC offset in hours (Indonesia's zones have no daylight saving)."""
    ref = datetime(2000, 1, 1)
    whens = {zone: int(ZoneInfo(zone).utcoffset(ref).total_seconds() // 3600) for zone in TIMEZONES}
    return sa.case(whens, value=Program.timezone, else_=7)


@dataclass
class LedgerFilters:
    """``?year=2027&pemda=4&unit=puskesmas&q=1966&below=1``; ``year`` None: every year (the
    page's default is the current year, :func:`collab.jp.views.parse_filters`)."""

    year: int | None = None
    pemda: int | None = None
    unit: str | None = None
    q: str | None = None
    below: bool = False


@dataclass
class LedgerRow:
    """One ASN in one calendar year."""

    nip: str
    year: int
    name: str
    unit: str
    pemda: str
    jp: int
    programs: int
    passed: int


def program_end_year():
    """``(ends, year)``: a subquery of each program's last session end (``program_id``,
    ``ends_at`` UTC) and the SQL expression of that end's calendar year in the program's zone
    — the year a program's JP count toward (the ledger here, the reports in
    :mod:`collab.insights.queries`)."""
    ends = (
        sa.select(
            ProgramSession.program_id.label("program_id"),
            sa.func.max(ProgramSession.ends_at).label("ends_at"),
        )
        .group_by(ProgramSession.program_id)
        .subquery()
    )
    return ends, local_year(ends.c.ends_at, program_offset_hours())


def _visible(user: User, filters: LedgerFilters, with_year: bool = True) -> list:
    """WHERE clauses on :class:`Participant` for the participations ``user`` may see that
    count (``jp_year`` is set only on enrolled participants of delivered or evaluated
    programs) and match ``filters``."""
    where = [Participant.jp_year.is_not(None)]
    if with_year and filters.year:
        where.append(Participant.jp_year == filters.year)
    if user.is_pemda:
        where.append(Participant.pemda_id == user.pemda_id)
    if filters.pemda:
        where.append(Participant.pemda_id == filters.pemda)
    if filters.unit:
        where.append(
            sa.func.lower(Participant.unit).contains(filters.unit.lower(), autoescape=True)
        )
    if filters.q:
        digits = filters.q.replace(" ", "")
        where.append(
            sa.or_(
                Participant.nip.contains(digits, autoescape=True),
                sa.func.lower(Participant.name).contains(filters.q.lower(), autoescape=True),
            )
        )
    return where


def _jp_sum():
    return sa.func.coalesce(
        sa.func.sum(
            sa.case(
                (Participant.passed.is_(True), sa.func.coalesce(Participant.jp_earned, 0)), else_=0
            )
        ),
        0,
    )


def _base(user: User, filters: LedgerFilters, target: int):
    """One row per (year, NIP): the grouped ledger, grouped in the order of the index
    ``ix_participant_jp_year_nip`` so that a page can be read without grouping every row."""
    jp = _jp_sum()
    stmt = (
        sa.select(
            Participant.nip.label("nip"),
            Participant.jp_year.label("year"),
            sa.func.max(Participant.name).label("name"),
            sa.func.max(Participant.unit).label("unit"),
            sa.func.max(Organization.name).label("pemda"),
            jp.label("jp"),
            sa.func.count(Participant.id).label("programs"),
            sa.func.sum(sa.case((Participant.passed.is_(True), 1), else_=0)).label("passed"),
        )
        .join(Organization, Organization.id == Participant.pemda_id)
        .where(*_visible(user, filters))
        .group_by(Participant.jp_year, Participant.nip)
    )
    if filters.below:
        stmt = stmt.having(jp < target)
    return stmt


def ledger_count(user: User, filters: LedgerFilters, target: int) -> int:
    """How many ledger rows (NIP × year) match. One statement: unfiltered (but for the year)
    the stored :class:`collab.models.JpYearTotal`; otherwise, without ``below``, distinct
    (year, NIP) from the participant indexes alone (no sums of JP)."""
    if not (user.is_pemda or filters.pemda or filters.unit or filters.q or filters.below):
        # the whole ledger of a year (or of every year): the stored number of ASN per year
        stmt = sa.select(sa.func.coalesce(sa.func.sum(JpYearTotal.asn), 0))
        if filters.year:
            stmt = stmt.where(JpYearTotal.year == filters.year)
        return int(db.session.scalar(stmt) or 0)
    if filters.below:
        sub = _base(user, filters, target).subquery()
    elif filters.year and db.session.get_bind().dialect.name == "sqlite":
        # one year: its distinct NIP straight from ix_participant_jp_year_nip (SQLite's
        # COUNT(DISTINCT) beats its grouping; PostgreSQL's grouping streams the index order,
        # where its COUNT(DISTINCT) sorts)
        stmt = sa.select(sa.func.count(sa.distinct(Participant.nip))).where(
            *_visible(user, filters)
        )
        return db.session.scalar(stmt) or 0
    else:
        sub = (
            sa.select(Participant.jp_year, Participant.nip)
            .where(*_visible(user, filters))
            .group_by(Participant.jp_year, Participant.nip)
            .subquery()
        )
    return db.session.scalar(sa.select(sa.func.count()).select_from(sub)) or 0


def ledger(user: User, filters: LedgerFilters, page: int, per_page: int, target: int) -> Page:
    """A page of :class:`LedgerRow`, latest year first, then by NIP. Two statements."""
    total = ledger_count(user, filters, target)
    stmt = (
        _base(user, filters, target)
        .order_by(Participant.jp_year.desc(), Participant.nip)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    rows = db.session.execute(stmt).all()
    return Page([_ledger_row(r) for r in rows], page, per_page, total)


def _ledger_row(r) -> LedgerRow:
    return LedgerRow(
        nip=r.nip,
        year=int(r.year),
        name=r.name,
        unit=r.unit,
        pemda=r.pemda,
        jp=int(r.jp or 0),
        programs=int(r.programs),
        passed=int(r.passed or 0),
    )


def iter_ledger(
    user: User, filters: LedgerFilters, target: int, batch: int = EXPORT_BATCH
) -> Iterator[LedgerRow]:
    """Every ledger row ``user`` may see matching ``filters`` (``target``: the yearly JP for
    ``below``), in the list's order, read ``batch`` rows at a time."""
    stmt = _base(user, filters, target).order_by(Participant.jp_year.desc(), Participant.nip)
    for r in db.session.execute(stmt, execution_options={"yield_per": batch}):
        yield _ledger_row(r)


def ledger_years(user: User) -> list[int]:
    """Calendar years with any counted participation the user may see, latest first. One
    statement: a recursive walk down the ``jp_year`` indexes (one index probe per year, not
    a scan of the participations)."""
    where = _visible(user, LedgerFilters(), with_year=False)
    years = sa.select(sa.func.max(Participant.jp_year).label("y")).where(*where)
    years = years.cte("jp_years", recursive=True)
    below = (
        sa.select(sa.func.max(Participant.jp_year))
        .where(*where, Participant.jp_year < years.c.y)
        .scalar_subquery()
    )
    years = years.union_all(sa.select(below).where(years.c.y.is_not(None)))
    stmt = sa.select(years.c.y).where(years.c.y.is_not(None)).order_by(years.c.y.desc())
    return [int(y) for y in db.session.scalars(stmt)]


def format_nip(nip: str) -> str:
    """``19660801 198803 1 001`` for an 18-digit NIP; anything else unchanged."""
    if len(nip) == 18 and nip.isdigit():
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    return nip
