"""Certificate numbers, dates and organiser of a delivered program's passed participants.

**Numbering scheme.** ``SINERGI/<year>/<serial>``, e.g. ``SINERGI/2027/000123``:

- ``<year>`` is the calendar year in which the program ended — the end of its last session in
  the program's zone, as the JP ledger counts it (``collab.jp.queries``); without sessions the
  planned end date, else the fiscal year;
- ``<serial>`` runs from ``000001`` within each year across all programs (six digits, wider
  past 999999), so a year's certificates form one register without holes from other years.

A number is given once and stored in ``Participant.certificate_no`` (unique in the database),
the first time any certificate or SIASN export of the program is requested: every passed
participant of the program who has none gets the next serials at once, ordered by Pemda, name
and id, so one program's certificates are consecutive. A number never changes afterwards, even
if the participant's result changes (a participant who no longer passes gets no certificate,
but keeps the number should they pass again). Two requests racing for the same serial hit the
unique constraint; the loser rolls back and tries again with fresh serials.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from collab.attendance.services import enrolled_participants, program_jp
from collab.core.audit import record_event
from collab.errors import InvalidTransition, NotFound
from collab.extensions import db
from collab.models import Participant, ParticipantStatus, Program, User
from collab.reference import development_types
from collab.workflow import programs as wf

PREFIX = "SINERGI"
SERIAL_DIGITS = 6
ATTEMPTS = 5

REPORT_STATES = frozenset({wf.DELIVERED, wf.EVALUATED})
"""States in which a program has a report, certificates and a SIASN export."""


def check_delivered(program: Program) -> None:
    """:class:`InvalidTransition` (409) unless the program is delivered or evaluated."""
    if program.status not in REPORT_STATES:
        raise InvalidTransition(
            _("Laporan, sertifikat dan ekspor SIASN tersedia setelah program selesai dilaksanakan.")
        )


def program_dates(program: Program) -> tuple[date | None, date | None]:
    """First and last day of the program: its sessions' dates in the program's zone, else
    the planned dates."""
    if program.sessions:
        tz = ZoneInfo(program.timezone)
        days = [s.starts_at.astimezone(tz).date() for s in program.sessions]
        days += [s.ends_at.astimezone(tz).date() for s in program.sessions]
        return min(days), max(days)
    return program.planned_start, program.planned_end


def certificate_year(program: Program) -> int:
    """The ``<year>`` of the program's certificate numbers (module docstring)."""
    end = program_dates(program)[1]
    return end.year if end else program.fiscal_year


def organiser(program: Program) -> str:
    """The organiser (penyelenggara): the owning BKN office, e.g. Kantor Regional V BKN."""
    return program.owner_org.name


def development_type(program: Program) -> str:
    """The SIASN development type's name (e.g. ``Bimbingan Teknis``)."""
    item = development_types().get(str(program.development_type_id))
    return item["name"] if item else str(program.development_type_id)


def passed_participants(program: Program, viewer: User | None = None) -> list[Participant]:
    """Passed enrolled participants by Pemda and name; a Pemda viewer gets only theirs."""
    return [p for p in enrolled_participants(program, viewer) if p.passed]


def _next_serial(prefix: str) -> int:
    last = db.session.scalar(
        sa.select(Participant.certificate_no)
        .where(Participant.certificate_no.like(prefix + "%"))
        .order_by(sa.func.length(Participant.certificate_no).desc())
        .order_by(Participant.certificate_no.desc())
        .limit(1)
    )
    if not last:
        return 1
    try:
        return int(last[len(prefix) :]) + 1
    except ValueError:
        return 1


def format_number(year: int, serial: int) -> str:
    """``SINERGI/2027/000123``."""
    return f"{PREFIX}/{year}/{serial:0{SERIAL_DIGITS}d}"


def _assign(actor: User, program: Program) -> list[str]:
    """Give numbers to the program's passed participants without one (not committed)."""
    missing = [p for p in passed_participants(program) if not p.certificate_no]
    if not missing:
        return []
    year = certificate_year(program)
    serial = _next_serial(f"{PREFIX}/{year}/")
    table = Participant.__table__
    given = []
    for p in missing:
        number = format_number(year, serial)
        # a Core UPDATE: the number is not an edit of the participant, so it does not bump
        # the optimistic-lock version that an open score form carries
        result = db.session.execute(
            sa.update(table)
            .where(table.c.id == p.id, table.c.certificate_no.is_(None))
            .values(certificate_no=number)
        )
        if result.rowcount:
            set_committed_value(p, "certificate_no", number)
            given.append(number)
            serial += 1
        else:
            db.session.refresh(p)
    if given:
        record_event(
            actor,
            "program",
            program.id,
            "assign_certificates",
            data={"count": len(given), "first": given[0], "last": given[-1]},
            notify=False,
        )
    return given


def assign_certificate_numbers(actor: User, program: Program) -> list[str]:
    """Number every passed participant of ``program`` who has no number yet and **commit**
    (retried with fresh serials when a concurrent request took one). Returns the numbers
    given now."""
    check_delivered(program)
    program_id = program.id
    for attempt in range(ATTEMPTS):
        try:
            given = _assign(actor, program)
            db.session.commit()
            return given
        except IntegrityError:
            db.session.rollback()
            if attempt == ATTEMPTS - 1:
                raise
            program = db.session.get(Program, program_id)
    return []


def get_certificate_participant(viewer: User, program: Program, participant_id: int):
    """An enrolled participant the viewer may see (a Pemda user: their own Pemda's), else
    :class:`NotFound`; :class:`InvalidTransition` (409) when they did not pass."""
    p = db.session.get(Participant, participant_id)
    if (
        p is None
        or p.program_id != program.id
        or p.status != ParticipantStatus.ENROLLED
        or (viewer.is_pemda and p.pemda_id != viewer.pemda_id)
    ):
        raise NotFound(_("Peserta tidak ditemukan."))
    if p.passed is False:
        raise InvalidTransition(
            _(
                "Sertifikat hanya diterbitkan untuk peserta yang lulus; %(name)s tidak lulus.",
                name=p.name,
            )
        )
    if not p.passed:
        raise InvalidTransition(
            _("Sertifikat belum dapat diterbitkan: %(name)s belum dinilai.", name=p.name)
        )
    return p


def certificate_facts(program: Program) -> dict:
    """What every certificate of ``program`` says besides the participant."""
    start, end = program_dates(program)
    return dict(
        start=start,
        end=end,
        jp=program_jp(program),
        organiser=organiser(program),
        development_type=development_type(program),
    )
