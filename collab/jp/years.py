"""The calendar year a program's JP count toward (DESIGN: 20 JP a year per ASN).

A participation counts in the calendar year in which its program ended: the end of its last
session, read in the program's zone. Stored once per participation
(:attr:`collab.models.Participant.jp_year`) when the program completes; the SQL form of the
same rule is :func:`collab.jp.queries.program_end_year` (used by the migration's backfill
and the reports).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from collab.models import Program


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
