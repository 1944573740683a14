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

None of these functions commits.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from collab.core.audit import record_event
from collab.errors import NotAllowed, NotFound, ValidationFailed
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


def attendance_map(program: Program) -> dict[tuple[int, int], str]:
    """``{(session_id, participant_id): status}`` for the whole program, one statement."""
    rows = db.session.execute(
        sa.select(Attendance.session_id, Attendance.participant_id, Attendance.status)
        .join(ProgramSession, ProgramSession.id == Attendance.session_id)
        .where(ProgramSession.program_id == program.id)
    ).all()
    return {(s, p): str(st) for s, p, st in rows}


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


def _upsert(
    actor: User, session_id: int, participant_id: int, status: AttendanceStatus, now
) -> bool:
    """Set one cell; True when it changed."""
    row = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == session_id, Attendance.participant_id == participant_id
        )
    )
    if row is None:
        db.session.add(
            Attendance(
                session_id=session_id,
                participant_id=participant_id,
                status=status,
                recorded_by_id=actor.id,
                recorded_at=now,
            )
        )
        return True
    if row.status == status:
        return False
    row.status, row.recorded_by_id, row.recorded_at = status, actor.id, now
    return True


def set_attendance(
    actor: User, program: Program, session_id: int, participant_id: int, status: str
) -> Attendance:
    """Set one participant's attendance at one session (owner designer, in delivery); one
    audit row when the value changes."""
    _check_attendance(actor, program)
    session = get_session(program, session_id)
    participant = get_enrolled(program, participant_id)
    value = parse_status(status)
    if _upsert(actor, session.id, participant.id, value, utcnow()):
        db.session.flush()
        record_event(
            actor,
            "program",
            program.id,
            "record_attendance",
            data={"session_id": session.id, "participant_id": participant.id, "status": value},
        )
    db.session.flush()
    return db.session.scalar(
        sa.select(Attendance).where(
            Attendance.session_id == session.id, Attendance.participant_id == participant.id
        )
    )


def set_session_attendance(
    actor: User, program: Program, session_id: int, statuses: dict[int, str]
) -> int:
    """Save a whole session column ``{participant_id: status}`` (blank values are left as
    they are); one audit row for the whole save. Returns how many cells changed. Unknown
    participants and values raise before anything is written."""
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
    return _save_column(actor, program, session, values)


def mark_all_present(actor: User, program: Program, session_id: int) -> int:
    """ "Semua hadir": every enrolled participant without a value for the session becomes
    Hadir (values already recorded — an Izin, a Sakit — are kept). One audit row."""
    _check_attendance(actor, program)
    session = get_session(program, session_id)
    recorded = {p for (s, p) in attendance_map(program) if s == session.id}
    values = {
        p.id: AttendanceStatus.HADIR for p in enrolled_participants(program) if p.id not in recorded
    }
    return _save_column(actor, program, session, values, all_present=True)


def _save_column(
    actor: User,
    program: Program,
    session: ProgramSession,
    values: dict[int, AttendanceStatus],
    all_present: bool = False,
) -> int:
    now = utcnow()
    existing = {
        a.participant_id: a
        for a in db.session.scalars(
            sa.select(Attendance).where(
                Attendance.session_id == session.id,
                Attendance.participant_id.in_(list(values)),
            )
        )
    }
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
    actor: User, program: Program, participant_id: int, pre: int | None, post: int | None
) -> Participant:
    """Record a participant's pre/post-test scores (0–100 or None). While the program is
    delivered, completion is re-computed for the program. One audit row when they change."""
    check_can_record_scores(actor, program)
    participant = get_enrolled(program, participant_id)
    errors = {}
    for name, value in (("pre_score", pre), ("post_score", post)):
        if value is not None and not 0 <= value <= 100:
            errors[name] = [_("Nilai harus antara 0 dan 100.")]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)
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
