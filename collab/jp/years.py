"""The calendar year a program's JP count toward (DESIGN: 20 JP a year per ASN).

A participation counts in the calendar year in which its program ended: the end of its last
session, read in the program's zone. Stored once per participation
(:attr:`collab.models.Participant.jp_year`) when the program completes, with the number of
ASN per year (:class:`collab.models.JpYearTotal`); the SQL form of the same rule is
:func:`collab.jp.queries.program_end_year` (used by the migration's backfill and the reports).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from collab.extensions import db
from collab.models import JpYearTotal, Participant, Program


def jp_year_of(ends_at: datetime, zone: str) -> int:
    """The calendar year of the instant ``ends_at`` (aware) in ``zone`` (IANA name):
    31 December 2027 23.30 UTC is 2028 in WIT (Asia/Jayapura)."""
    return ends_at.astimezone(ZoneInfo(zone)).year


def program_jp_year(program: Program) -> int | None:
    """The year ``program``'s JP count toward: :func:`jp_year_of` its last session's end in
    its zone; None without sessions. Uses the loaded ``program.sessions``."""
    if not program.sessions:
        return None
    return jp_year_of(max(s.ends_at for s in program.sessions), program.timezone)


def _insert(table: sa.Table, dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def refresh_year_total(year: int) -> None:
    """Recount :class:`collab.models.JpYearTotal` of ``year`` from the participants (the
    caller has just given participations this ``jp_year``). The year's row is created if
    missing and locked (``FOR UPDATE``) before the count, so two programs completing at once
    cannot both write a count that misses the other's ASN. Three statements; flushes first."""
    db.session.flush()
    dialect = db.session.get_bind().dialect.name
    db.session.execute(
        _insert(JpYearTotal.__table__, dialect)
        .values(year=year, asn=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    db.session.execute(
        sa.select(JpYearTotal.year).where(JpYearTotal.year == year).with_for_update()
    )
    asn = (
        sa.select(sa.func.count(sa.distinct(Participant.nip)))
        .where(Participant.jp_year == year)
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(JpYearTotal).where(JpYearTotal.year == year).values(asn=asn),
        execution_options={"synchronize_session": False},
    )


def rebuild_year_totals() -> None:
    """Refill :class:`collab.models.JpYearTotal` from the participants, every year (after a
    bulk load). Two statements."""
    db.session.execute(sa.delete(JpYearTotal))
    db.session.execute(
        sa.insert(JpYearTotal).from_select(
            ["year", "asn"],
            sa.select(Participant.jp_year, sa.func.count(sa.distinct(Participant.nip)))
            .where(Participant.jp_year.is_not(None))
            .group_by(Participant.jp_year),
        )
    )
