"""Attendance (presensi), pre/post-test scores (L2) and completion (passed, JP earned).

Attendance is recorded per session for the *enrolled* participants of a program in delivery,
by its owner designer; every change is one audit row on the program (``record_attendance``;
a whole-session save is one row). When the program is completed :func:`compute_completion`
sets ``passed`` and ``jp_earned`` on every enrolled participant; it can be re-run whenever
scores arrive later (the scores grid does so while the program is ``delivered``).

Rule used for the attendance percentage: only *Hadir* counts as present; Izin, Sakit and Tanpa
Keterangan count as absent. No regulation we found says otherwise (reference/README.md:
minimum attendance and pass marks are per-program settings), so an excused absence still
lowers the percentage; the program's ``min_attendance_pct`` is where leniency goes.

Every write carries the version the user loaded and is refused with :class:`StaleObject`
when it differs (a missing version — ``None`` — counts as stale): a cell its own
``Attendance.version`` (:data:`EMPTY_CELL_VERSION` while nothing is recorded), a session
column the versions of its cells, a scores row the participant's ``version``. Two tabs never
silently overwrite each other; one tab goes on saving because every answer carries the new
versions.

None of these functions commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from collab.core.audit import record_event
from collab.errors import NotAllowed, NotFound, StaleObject, ValidationFailed
from collab.extensions import db
from collab.jp.years import program_jp_year, refresh_year_total
from collab.models import (
    Attendance,
    AttendanceStatus,
    Participant,
    ParticipantStatus,
    Program,
    ProgramSession,
    User,
    utcnow,
)
from collab.programs.services import parties_for
from collab.workflow import programs as wf
from collab.workflow.base import Party

STATUSES = tuple(AttendanceStatus)
"""Attendance values in display order: Hadir, Izin, Sakit, Tanpa Keterangan."""

LABELS = {
    AttendanceStatus.HADIR: _l("Hadir"),
    AttendanceStatus.IZIN: _l("Izin"),
    AttendanceStatus.SAKIT: _l("Sakit"),
    AttendanceStatus.TANPA_KETERANGAN: _l("Tanpa Keterangan"),
}
"""Display names of the attendance values."""


# --- who --------------------------------------------------------------------------------------


def shows_grid(program: Program) -> bool:
    """True when the program page shows the attendance and score grids."""
    return program.status in wf.ATTENDANCE_STATES


def can_record_attendance(user: User, program: Program) -> bool:
    """The owner designer, while the program is in delivery."""
    return program.status in wf.ATTENDANCE_EDITABLE_STATES and Party.OWNER_DESIGNER in (
        parties_for(user, program)
    )


def can_record_scores(user: User, program: Program) -> bool:
    """The owner designer, while the program is in delivery or delivered."""
    return program.status in wf.SCORE_EDITABLE_STATES and Party.OWNER_DESIGNER in (
        parties_for(user, program)
    )


def _check_attendance(user: User, program: Program) -> None:
    if Party.OWNER_DESIGNER not in parties_for(user, program):
        raise NotAllowed(_("Presensi hanya dapat diisi oleh perancang program."))
    if program.status not in wf.ATTENDANCE_EDITABLE_STATES:
        raise NotAllowed(_("Presensi hanya dapat diisi selama program dilaksanakan."))


def check_can_record_scores(user: User, program: Program) -> None:
    if Party.OWNER_DESIGNER not in parties_for(user, program):
        raise NotAllowed(_("Nilai hanya dapat diisi oleh perancang program."))
    if program.status not in wf.SCORE_EDITABLE_STATES:
        raise NotAllowed(_("Nilai tidak dapat diubah pada status program ini."))


# --- reads ------------------------------------------------------------------------------------


def enrolled_participants(program: Program, viewer: User | None = None) -> list[Participant]:
    """The program's enrolled participants by Pemda and name; a Pemda viewer gets only their
    own Pemda's. One statement."""
    stmt = sa.select(Participant).where(
        Participant.program_id == program.id, Participant.status == ParticipantStatus.ENROLLED
    )
    if viewer is not None and viewer.is_pemda:
        stmt = stmt.where(Participant.pemda_id == viewer.pemda_id)
    stmt = stmt.order_by(Participant.pemda_id, Participant.name, Participant.id)
    return list(db.session.scalars(stmt).unique())


EMPTY_CELL_VERSION = 0
"""The version of an attendance cell with nothing recorded yet (rows start at 1)."""


def attendance_map(program: Program) -> dict[tuple[int, int], str]:
    """``{(session_id, participant_id): status}`` for the whole program, one statement."""
    return attendance_cells(program)[0]


def attendance_cells(
    program: Program,
) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], int]]:
    """The program's cells as ``({(session_id, participant_id): status}, {(session_id,
    participant_id): version})``, one statement; a cell missing from both is empty (version
    :data:`EMPTY_CELL_VERSION`)."""
    rows = db.session.execute(
        sa.select(
            Attendance.session_id, Attendance.participant_id, Attendance.status, Attendance.version
        )
        .join(ProgramSession, ProgramSession.id == Attendance.session_id)
        .where(ProgramSession.program_id == program.id)
    ).all()
    return (
        {(s, p): str(st) for s, p, st, _v in rows},
        {(s, p): v for s, p, _st, v in rows},
    )


def cell_version(row: Attendance | None) -> int:
    """The version of a cell as the grid shows it: the row's, or :data:`EMPTY_CELL_VERSION`."""
    return row.version if row is not None else EMPTY_CELL_VERSION


def get_session(program: Program, session_id: int) -> ProgramSession:
    """One of the program's sessions, else :class:`NotFound`."""
    session = next((s for s in program.sessions if s.id == session_id), None)
    if session is None:
        raise NotFound(_("Sesi tidak ditemukan."))
    return session


def get_enrolled(program: Program, participant_id: int) -> Participant:
    """An enrolled participant of the program, else :class:`NotFound`."""
    p = db.session.get(Participant, participant_id)
    if p is None or p.program_id != program.id or p.status != ParticipantStatus.ENROLLED:
        raise NotFound(_("Peserta tidak ditemukan."))
    return p


def parse_status(value: str | None) -> AttendanceStatus:
    """An attendance value from a form; :class:`ValidationFailed` otherwise."""
    try:
        return AttendanceStatus(value or "")
    except ValueError:
        raise ValidationFailed(
            _("Pilihan tidak valid."), {"status": [_("Pilih status kehadiran.")]}
        ) from None


# --- attendance writes ------------------------------------------------------------------------


def _cell_changed_message() -> str:
    return _(
        "Presensi ini sudah diubah di tab lain atau oleh pengguna lain. Nilai terbaru "
        "ditampilkan; pilihan Anda belum disimpan."
    )


def _column_changed_message() -> str:
    return _(
        "Presensi sesi ini sudah diubah di tab lain atau oleh pengguna lain. Data terbaru "
        "ditampilkan; tidak ada yang disimpan."
    )


def _column_rows(session: ProgramSession) -> dict[int, Attendance]:
    """The recorded cells of one session by participant id, one statement."""
    rows = db.session.scalars(sa.select(Attendance).where(Attendance.session_id == session.id))
    return {a.participant_id: a for a in rows}


def set_attendance(
    actor: User,
    program: Program,
    session_id: int,
    participant_id: int,
    status: str,
    *,
    expected_version: int | None,
) -> Attendance:
    """Set one participant's attendance at one session (owner designer, in delivery); one
    audit row when the value changes. ``expected_version`` is the cell's version the user
    loaded (:func:`cell_version`; ``None`` when the form had none).

    Raises :class:`NotAllowed` (not the owner designer, or not in delivery),
    :class:`NotFound` (session or enrolled participant), :class:`ValidationFailed` (value),
    :class:`StaleObject` (the cell changed since ``expected_version``, or no version)."""
    _check_attendance(actor, program)
    session = get_session(program, session_id)
    participant = get_enrolled(program, participant_id)
    value = parse_status(status)
    row = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == session.id, Attendance.participant_id == participant.id
        )
    )
    if expected_version is None or expected_version != cell_version(row):
        raise StaleObject(_cell_changed_message())
    if row is not None and row.status == value:
        return row
    now = utcnow()
    if row is None:
        row = Attendance(
            session_id=session.id,
            participant_id=participant.id,
            status=value,
            recorded_by_id=actor.id,
            recorded_at=now,
        )
        db.session.add(row)
    else:
        row.status, row.recorded_by_id, row.recorded_at = value, actor.id, now
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "record_attendance",
        data={"session_id": session.id, "participant_id": participant.id, "status": value},
    )
    return row


def set_session_attendance(
    actor: User,
    program: Program,
    session_id: int,
    statuses: dict[int, str],
    *,
    versions: Mapping[int, int | None],
) -> int:
    """Save a whole session column ``{participant_id: status}`` (blank values are left as
    they are); one audit row for the whole save. Returns how many cells changed.
    ``versions`` holds the version the user loaded of each cell (:func:`cell_version`);
    every cell posted with a value is checked, changed or not (an unchanged value over a
    newer one would overwrite it).

    Raises, before anything is written, :class:`NotAllowed` (not the owner designer, or not
    in delivery), :class:`NotFound` (session, or a participant not enrolled),
    :class:`ValidationFailed` (a value), :class:`StaleObject` (a posted cell changed since
    its version, or was posted without one)."""
    _check_attendance(actor, program)
    session = get_session(program, session_id)
    enrolled = {p.id for p in enrolled_participants(program)}
    values: dict[int, AttendanceStatus] = {}
    for pid, raw in statuses.items():
        if not raw:
            continue
        if pid not in enrolled:
            raise NotFound(_("Peserta tidak ditemukan."))
        values[pid] = parse_status(raw)
    rows = _column_rows(session)
    if any(versions.get(pid) != cell_version(rows.get(pid)) for pid in values):
        raise StaleObject(_column_changed_message())
    return _save_column(actor, program, session, values, rows)


def mark_all_present(
    actor: User, program: Program, session_id: int, *, versions: Mapping[int, int | None]
) -> int:
    """ "Semua hadir": every enrolled participant without a value for the session becomes
    Hadir (values already recorded — an Izin, a Sakit — are kept). One audit row.
    ``versions`` holds the version the user loaded of every cell of the column
    (:func:`cell_version`): the column must be as the user saw it, every enrolled
    participant's cell included.

    Raises, before anything is written, :class:`NotAllowed` (not the owner designer, or not
    in delivery), :class:`NotFound` (session), :class:`StaleObject` (a cell changed, or a
    participant was enrolled, since the user loaded the column; or no versions)."""
    _check_attendance(actor, program)
    session = get_session(program, session_id)
    rows = _column_rows(session)
    enrolled = enrolled_participants(program)
    if any(versions.get(p.id) != cell_version(rows.get(p.id)) for p in enrolled):
        raise StaleObject(_column_changed_message())
    values = {p.id: AttendanceStatus.HADIR for p in enrolled if p.id not in rows}
    return _save_column(actor, program, session, values, rows, all_present=True)


def _save_column(
    actor: User,
    program: Program,
    session: ProgramSession,
    values: dict[int, AttendanceStatus],
    existing: dict[int, Attendance],
    all_present: bool = False,
) -> int:
    now = utcnow()
    changed: dict[str, str] = {}
    for pid, value in sorted(values.items()):
        row = existing.get(pid)
        if row is None:
            db.session.add(
                Attendance(
                    session_id=session.id,
                    participant_id=pid,
                    status=value,
                    recorded_by_id=actor.id,
                    recorded_at=now,
                )
            )
        elif row.status != value:
            row.status, row.recorded_by_id, row.recorded_at = value, actor.id, now
        else:
            continue
        changed[str(pid)] = str(value)
    db.session.flush()
    if changed:
        data: dict = {"session_id": session.id, "statuses": changed, "count": len(changed)}
        if all_present:
            data["all_present"] = True
        record_event(actor, "program", program.id, "record_attendance", data=data)
    return len(changed)


# --- scores and completion --------------------------------------------------------------------


def set_scores(
    actor: User,
    program: Program,
    participant_id: int,
    pre: int | None,
    post: int | None,
    *,
    expected_version: int | None,
) -> Participant:
    """Record a participant's pre/post-test scores (0–100 or None). While the program is
    delivered, completion is re-computed for the program. One audit row when they change.
    ``expected_version`` is the participant's version the user loaded (``None`` when the
    form had none).

    Raises :class:`NotAllowed` (not the owner designer, or a status without scores),
    :class:`NotFound` (not an enrolled participant), :class:`ValidationFailed` (a score
    outside 0–100), :class:`StaleObject` (the participant changed since
    ``expected_version``, or no version)."""
    check_can_record_scores(actor, program)
    participant = get_enrolled(program, participant_id)
    errors = {}
    for name, value in (("pre_score", pre), ("post_score", post)):
        if value is not None and not 0 <= value <= 100:
            errors[name] = [_("Nilai harus antara 0 dan 100.")]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)
    if expected_version is None or expected_version != participant.version:
        raise StaleObject(
            _(
                "Nilai peserta ini sudah diubah di tab lain atau oleh pengguna lain. Nilai "
                "terbaru ditampilkan; isian Anda belum disimpan."
            )
        )
    if (participant.pre_score, participant.post_score) == (pre, post):
        return participant
    participant.pre_score, participant.post_score = pre, post
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "record_scores",
        data={"participant_id": participant.id, "pre_score": pre, "post_score": post},
    )
    if program.status == wf.DELIVERED:
        compute_completion(program)
    return participant


@dataclass
class Completion:
    """One participant's result: sessions attended (Hadir) of all, the percentage, and
    whether they passed (None: post-test not recorded yet) and the JP earned."""

    participant_id: int
    attended: int
    sessions: int
    passed: bool | None
    jp_earned: int

    @property
    def attendance_pct(self) -> float:
        return 100.0 * self.attended / self.sessions if self.sessions else 0.0


def program_jp(program: Program) -> int:
    """The JP a participant who passes earns: the program's total JP, i.e. the sum of its
    curriculum modules' JP (as :attr:`Program.total_jp` and ``programs.queries.total_jp``),
    the curriculum both sides signed off."""
    return program.total_jp


def completion_of(
    program: Program, participant: Participant, attended: int, sessions: int, jp: int
) -> Completion:
    """Pass rule: attended/sessions ≥ ``min_attendance_pct`` (exact, in integers) and a
    post-test score ≥ ``pass_mark``. Attendance below the minimum fails at once; good
    attendance without a post-test score is ``None`` (not passed yet)."""
    attendance_ok = sessions > 0 and attended * 100 >= program.min_attendance_pct * sessions
    if not attendance_ok:
        passed: bool | None = False
    elif participant.post_score is None:
        passed = None
    else:
        passed = participant.post_score >= program.pass_mark
    return Completion(participant.id, attended, sessions, passed, jp if passed else 0)


def compute_completion(program: Program) -> list[Completion]:
    """Set ``passed`` and ``jp_earned`` on every enrolled participant of ``program`` from the
    attendance and scores now recorded (re-runnable: scores may arrive after completion), and
    ``jp_year`` (the JP ledger's year, :func:`collab.jp.years.program_jp_year`) once the
    program is delivered or evaluated (None before), recounting that year's ASN
    (:func:`collab.jp.years.refresh_year_total`) when it is given.
    Three statements plus the updates of participants whose result changed (and three when
    the year is given)."""
    sessions = len(program.sessions)
    jp = program_jp(program)
    counted = program.status in (wf.DELIVERED, wf.EVALUATED)
    jp_year = program_jp_year(program) if counted else None
    participants = enrolled_participants(program)
    hadir = dict(
        db.session.execute(
            sa.select(Attendance.participant_id, sa.func.count(Attendance.id))
            .join(ProgramSession, ProgramSession.id == Attendance.session_id)
            .where(
                ProgramSession.program_id == program.id,
                Attendance.status == AttendanceStatus.HADIR,
            )
            .group_by(Attendance.participant_id)
        ).all()
    )
    out = []
    counted_now = False
    for p in participants:
        c = completion_of(program, p, hadir.get(p.id, 0), sessions, jp)
        counted_now = counted_now or p.jp_year != jp_year
        if (p.passed, p.jp_earned, p.jp_year) != (c.passed, c.jp_earned, jp_year):
            p.passed, p.jp_earned, p.jp_year = c.passed, c.jp_earned, jp_year
        out.append(c)
    db.session.flush()
    if counted_now and jp_year is not None:
        refresh_year_total(jp_year)
    return out


def completion_map(
    program: Program, participants: list[Participant], att: dict[tuple[int, int], str]
) -> dict[int, Completion]:
    """Completion per participant as it would be computed now (for display), from
    :func:`attendance_map`'s ``att``; no statement."""
    sessions = len(program.sessions)
    jp = program_jp(program)
    out = {}
    for p in participants:
        attended = sum(
            1 for s in program.sessions if att.get((s.id, p.id)) == AttendanceStatus.HADIR
        )
        out[p.id] = completion_of(program, p, attended, sessions, jp)
    return out
