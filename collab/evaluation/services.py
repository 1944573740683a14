"""Evaluation of a delivered program (Kirkpatrick L1–L4, reference/README.md).

- **L1 Reaksi**: each enrolled participant answers a short questionnaire (Materi, Fasilitator,
  Penyelenggaraan, Manfaat on 1–5, and a comment) through a personal link the designer
  generates (:func:`generate_links`), or the designer enters the answers on their behalf
  (:func:`enter_reaction`). Links are ``secrets.token_urlsafe(32)``; only the SHA-256 is
  stored. A link is single-use and expires ``REACTION_LINK_DAYS`` (14) days after the
  program's end — or after it was generated, when that is later (a link born expired helps
  nobody). Generating again replaces the links of those who have not answered; the old ones
  become unknown.
- **L2 Pembelajaran**: the pre/post-test scores of the attendance module. The summary shows
  the mean pre and post scores and the mean *normalised gain* (Hake):
  ``g = (post − pre) / (100 − pre)`` per participant with both scores, averaged; a
  participant with pre = 100 has no room to gain and is left out of the gain (never a
  division by zero).
- **L3 Perilaku**: a follow-up with the alumnus' direct supervisor, due ``FOLLOWUP_MONTHS``
  (3) months after the program's end (a date in the program's zone), late
  ``FOLLOWUP_GRACE_DAYS`` (30) days after that; recorded by the pemda_officer or
  pemda_approver of the participant's Pemda.
- **L4 Hasil**: per linked need, its Pemda records the indicator's achieved value and the date
  it was measured. ``% of the gap closed = (achieved − baseline) / (target − baseline) × 100``
  from the latest measurement; None (shown "—") when the baseline or target is missing or they
  are equal. It may be negative (worse than the baseline) or above 100 (beyond the target).

The close guard (:func:`evaluation_reasons`, ``evaluation_recorded`` in the program workflow)
requires L1 answers — by link or entered by the designer — from at least
``REACTION_MIN_PCT`` (50) % of the enrolled participants, a post-test score for every enrolled
participant, and an L4 measurement for every linked need. L3 is not required: it falls due
months after the program is closed.

Every write is one audit row on the program; none of these functions commits.
"""

from __future__ import annotations

import calendar
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from collab.core.audit import record_event
from collab.core.i18n import format_number, local_today
from collab.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from collab.extensions import db
from collab.models import (
    FollowUp,
    IndicatorMeasurement,
    Need,
    Participant,
    ParticipantStatus,
    Program,
    ReactionResponse,
    ReactionToken,
    Role,
    User,
    utcnow,
)
from collab.models.evaluation import REACTION_ASPECTS
from collab.programs.services import parties_for
from collab.workflow import programs as wf
from collab.workflow.base import Party

EVALUATION_STATES = frozenset({wf.DELIVERED, wf.EVALUATED})
"""States in which the evaluation panel is shown and evaluation data may be recorded."""

ASPECT_LABELS = {
    "material": _l("Materi"),
    "facilitator": _l("Fasilitator"),
    "organisation": _l("Penyelenggaraan"),
    "usefulness": _l("Manfaat"),
}
"""Display names of the L1 aspects, in questionnaire order."""

FOLLOWUP_STATUS = {
    "not_due": _l("belum jatuh tempo"),
    "due": _l("jatuh tempo"),
    "late": _l("terlambat"),
    "recorded": _l("tercatat"),
}
"""L3 follow-up statuses."""

FOLLOWUP_BADGE = {"not_due": "secondary", "due": "warning", "late": "danger", "recorded": "success"}

COMMENT_MAX = 2000
TOKEN_MAX_LENGTH = 100
"""Longer path segments are not our tokens (43 characters) and are refused unread."""


# --- who --------------------------------------------------------------------------------------


def shows_evaluation(program: Program) -> bool:
    return program.status in EVALUATION_STATES


def is_owner(user: User, program: Program) -> bool:
    return Party.OWNER_DESIGNER in parties_for(user, program)


def can_manage_reactions(user: User, program: Program) -> bool:
    """The owner designer, once the program is delivered."""
    return shows_evaluation(program) and is_owner(user, program)


def _is_pemda_recorder(user: User, pemda_id: int) -> bool:
    return (
        user.active
        and user.role in (Role.PEMDA_OFFICER, Role.PEMDA_APPROVER)
        and user.pemda_id == pemda_id
    )


def can_record_followups(user: User, program: Program) -> bool:
    """A pemda_officer or pemda_approver of a partner Pemda (for its own participants)."""
    return shows_evaluation(program) and any(
        _is_pemda_recorder(user, pid) for pid in program.partner_ids
    )


def can_record_indicators(user: User, program: Program) -> bool:
    """A pemda_officer or pemda_approver of a Pemda whose need the program serves."""
    return can_record_followups(user, program)


def check_manage_reactions(user: User, program: Program) -> None:
    """Only the owner designer manages L1 (:class:`NotAllowed`), once the program is delivered
    (:class:`InvalidTransition` before)."""
    if not is_owner(user, program):
        raise NotAllowed(_("Kuesioner reaksi hanya dikelola oleh perancang program."))
    if not shows_evaluation(program):
        raise InvalidTransition(_("Evaluasi dimulai setelah program selesai dilaksanakan."))


def check_pemda_recorder(user: User, program: Program) -> None:
    """L3/L4 are recorded by Pemda users (:class:`NotAllowed` otherwise) once the program is
    delivered (:class:`InvalidTransition` before)."""
    if not user.is_pemda or user.role not in (Role.PEMDA_OFFICER, Role.PEMDA_APPROVER):
        raise NotAllowed(_("Evaluasi pascapelatihan dan indikator dicatat oleh Pemda."))
    if not shows_evaluation(program):
        raise InvalidTransition(_("Evaluasi dimulai setelah program selesai dilaksanakan."))


# --- dates ------------------------------------------------------------------------------------


def program_end(program: Program) -> date:
    """The program's last day in its own zone: the end of its last session, else its planned
    end, else the day it changed status."""
    zone = ZoneInfo(program.timezone)
    if program.sessions:
        return max(s.ends_at for s in program.sessions).astimezone(zone).date()
    if program.planned_end:
        return program.planned_end
    return program.status_changed_at.astimezone(zone).date()


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day (31 Jan + 1
    month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _end_of_day(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(23, 59, 59), ZoneInfo(zone)).astimezone(UTC)


def link_expiry(program: Program, now: datetime) -> datetime:
    """When links generated at ``now`` expire: the end of the day ``REACTION_LINK_DAYS``
    after the program's end (program's zone), or that many days after ``now`` if later."""
    days = current_app.config["REACTION_LINK_DAYS"]
    after_end = _end_of_day(program_end(program) + timedelta(days=days), program.timezone)
    return max(after_end, now + timedelta(days=days))


def followup_due(program: Program) -> date:
    """The day the L3 follow-up falls due: ``FOLLOWUP_MONTHS`` after the program's end."""
    return add_months(program_end(program), current_app.config["FOLLOWUP_MONTHS"])


def followup_status(program: Program, recorded: bool, now: datetime | None = None) -> str:
    """``recorded``, else ``not_due`` before the due day, ``due`` from it, ``late`` from
    ``FOLLOWUP_GRACE_DAYS`` after it (today in the program's zone)."""
    if recorded:
        return "recorded"
    today = (now or utcnow()).astimezone(ZoneInfo(program.timezone)).date()
    due = followup_due(program)
    if today < due:
        return "not_due"
    if today < due + timedelta(days=current_app.config["FOLLOWUP_GRACE_DAYS"]):
        return "due"
    return "late"


# --- reads ------------------------------------------------------------------------------------


def enrolled(program: Program, viewer: User | None = None) -> list[Participant]:
    """Enrolled participants by Pemda and name; a Pemda viewer gets only their Pemda's."""
    stmt = sa.select(Participant).where(
        Participant.program_id == program.id, Participant.status == ParticipantStatus.ENROLLED
    )
    if viewer is not None and viewer.is_pemda:
        stmt = stmt.where(Participant.pemda_id == viewer.pemda_id)
    return list(
        db.session.scalars(stmt.order_by(Participant.pemda_id, Participant.name, Participant.id))
        .unique()
        .all()
    )


def reactions(program: Program) -> dict[int, ReactionResponse]:
    """L1 responses of the program's enrolled participants, by participant id."""
    rows = db.session.scalars(
        sa.select(ReactionResponse)
        .join(Participant, Participant.id == ReactionResponse.participant_id)
        .where(
            Participant.program_id == program.id,
            Participant.status == ParticipantStatus.ENROLLED,
        )
    )
    return {r.participant_id: r for r in rows}


def followups(program: Program) -> dict[int, FollowUp]:
    rows = db.session.scalars(
        sa.select(FollowUp)
        .join(Participant, Participant.id == FollowUp.participant_id)
        .where(Participant.program_id == program.id)
    ).unique()
    return {f.participant_id: f for f in rows}


def measurements(program: Program) -> dict[int, list[IndicatorMeasurement]]:
    """L4 measurements per need id, latest first (by date, then by entry)."""
    rows = db.session.scalars(
        sa.select(IndicatorMeasurement)
        .where(IndicatorMeasurement.program_id == program.id)
        .order_by(IndicatorMeasurement.measured_on.desc(), IndicatorMeasurement.id.desc())
    ).unique()
    out: dict[int, list[IndicatorMeasurement]] = {}
    for m in rows:
        out.setdefault(m.need_id, []).append(m)
    return out


def get_participant(program: Program, participant_id: int) -> Participant:
    p = db.session.get(Participant, participant_id)
    if p is None or p.program_id != program.id or p.status != ParticipantStatus.ENROLLED:
        raise NotFound(_("Peserta tidak ditemukan."))
    return p


# --- summary math -----------------------------------------------------------------------------


def mean(values: list) -> Decimal | None:
    """Arithmetic mean as a Decimal (None for no values)."""
    if not values:
        return None
    return sum((Decimal(v) for v in values), Decimal(0)) / len(values)


def normalised_gain(pre: int, post: int) -> Decimal | None:
    """Hake's normalised gain ``(post − pre) / (100 − pre)``; None when pre = 100."""
    if pre >= 100:
        return None
    return Decimal(post - pre) / Decimal(100 - pre)


def gap_closed_pct(
    baseline: Decimal | None, target: Decimal | None, achieved: Decimal | None
) -> Decimal | None:
    """``(achieved − baseline) / (target − baseline) × 100``; None when a value is missing or
    the target equals the baseline."""
    if baseline is None or target is None or achieved is None or target == baseline:
        return None
    return (Decimal(achieved) - Decimal(baseline)) / (Decimal(target) - Decimal(baseline)) * 100


@dataclass
class NeedResult:
    need: Need
    latest: IndicatorMeasurement | None
    history: list[IndicatorMeasurement]

    @property
    def gap_closed(self) -> Decimal | None:
        return gap_closed_pct(
            self.need.indicator_baseline,
            self.need.indicator_target,
            self.latest.value if self.latest else None,
        )


@dataclass
class Summary:
    enrolled: int
    answered: int
    aspect_means: dict[str, Decimal | None]
    mean_pre: Decimal | None
    mean_post: Decimal | None
    mean_gain: Decimal | None
    gain_count: int
    post_missing: int
    needs: list[NeedResult]

    @property
    def answered_pct(self) -> Decimal | None:
        return Decimal(self.answered * 100) / self.enrolled if self.enrolled else None


def summary(program: Program, viewer: User | None = None, roster=None) -> Summary:
    """L1 rate and means, L2 means and gain, L4 per need (three statements; one when
    ``roster``, a :class:`collab.programs.queries.Roster` of the program, gives the enrolled
    participants and their answers). With a Pemda ``viewer`` the L4 rows are that Pemda's
    needs only (a need's indicator data belong to its Pemda and BKN)."""
    people = roster.enrolled() if roster is not None else enrolled(program)
    answers = roster.reactions() if roster is not None else reactions(program)
    pre = [p.pre_score for p in people if p.pre_score is not None]
    post = [p.post_score for p in people if p.post_score is not None]
    gains = [
        g
        for p in people
        if p.pre_score is not None and p.post_score is not None
        for g in [normalised_gain(p.pre_score, p.post_score)]
        if g is not None
    ]
    found = measurements(program)
    return Summary(
        enrolled=len(people),
        answered=len(answers),
        aspect_means={a: mean([getattr(r, a) for r in answers.values()]) for a in REACTION_ASPECTS},
        mean_pre=mean(pre),
        mean_post=mean(post),
        mean_gain=mean(gains),
        gain_count=len(gains),
        post_missing=len(people) - len(post),
        needs=[
            NeedResult(n, (found.get(n.id) or [None])[0], found.get(n.id, []))
            for n in program.needs
            if viewer is None or not viewer.is_pemda or n.pemda_id == viewer.pemda_id
        ],
    )


# --- the close guard --------------------------------------------------------------------------


def evaluation_reasons(program: Program) -> dict[str, list[str]]:
    """Why ``close`` may not happen yet (empty when it may)."""
    s = summary(program)
    errors: dict[str, list[str]] = {}
    pct = current_app.config["REACTION_MIN_PCT"]
    if s.enrolled == 0:
        errors["reactions"] = [_("Belum ada peserta terdaftar.")]
    elif s.answered == 0 or s.answered * 100 < pct * s.enrolled:
        needed = max(1, -(-pct * s.enrolled // 100))
        errors["reactions"] = [
            ngettext(
                "Kuesioner reaksi (L1) baru diisi %(n)s dari %(count)s peserta; "
                "diperlukan sekurang-kurangnya %(needed)s.",
                "Kuesioner reaksi (L1) baru diisi %(n)s dari %(count)s peserta; "
                "diperlukan sekurang-kurangnya %(needed)s.",
                s.enrolled,
                n=format_number(s.answered),
                count=format_number(s.enrolled),
                needed=format_number(needed),
            )
        ]
    if s.post_missing:
        errors["scores"] = [
            ngettext(
                "Nilai post-test (L2) belum diisi untuk %(count)s peserta.",
                "Nilai post-test (L2) belum diisi untuk %(count)s peserta.",
                s.post_missing,
                count=format_number(s.post_missing),
            )
        ]
    for r in s.needs:
        if r.latest is None:
            errors.setdefault("indicators", []).append(
                _(
                    "Capaian indikator (L4) usulan \u201c%(title)s\u201d belum dicatat oleh "
                    "%(pemda)s.",
                    title=r.need.title,
                    pemda=r.need.pemda.name,
                )
            )
    return errors


# --- L1 writes --------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Link:
    participant: Participant
    token: str
    expires_at: datetime


def generate_links(actor: User, program: Program, now: datetime | None = None) -> list[Link]:
    """New personal links for every enrolled participant who has not answered yet (replacing
    their old link). The tokens are returned once and never stored. One audit row."""
    check_manage_reactions(actor, program)
    now = now or utcnow()
    answered = reactions(program)
    people = [p for p in enrolled(program) if p.id not in answered]
    expires = link_expiry(program, now)
    existing = {
        t.participant_id: t
        for t in db.session.scalars(
            sa.select(ReactionToken).where(ReactionToken.participant_id.in_([p.id for p in people]))
        )
    }
    links = []
    for p in people:
        token = secrets.token_urlsafe(32)
        row = existing.get(p.id)
        if row is None:
            row = ReactionToken(participant_id=p.id)
            db.session.add(row)
        row.token_hash = hash_token(token)
        row.expires_at, row.used_at = expires, None
        row.created_by_id, row.created_at = actor.id, now
        links.append(Link(p, token, expires))
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "generate_reaction_links",
        data={"count": len(links), "expires_at": expires.isoformat()},
    )
    return links


@dataclass
class ReactionData:
    material: int
    facilitator: int
    organisation: int
    usefulness: int
    comment: str | None = None


def _validate_reaction(data: ReactionData) -> None:
    errors: dict[str, list[str]] = {}
    for aspect in REACTION_ASPECTS:
        value = getattr(data, aspect)
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[aspect] = [_("Pilih nilai 1 sampai 5.")]
    if data.comment and len(data.comment) > COMMENT_MAX:
        errors["comment"] = [_("Maksimal %(max)d karakter.", max=COMMENT_MAX)]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)


def _save_reaction(
    participant: Participant, data: ReactionData, source: str, actor: User | None, now
) -> ReactionResponse:
    response = ReactionResponse(
        participant_id=participant.id,
        **{a: getattr(data, a) for a in REACTION_ASPECTS},
        comment=(data.comment or "").strip() or None,
        source=source,
        entered_by_id=actor.id if actor else None,
        submitted_at=now,
    )
    db.session.add(response)
    token = db.session.scalar(
        sa.select(ReactionToken).where(ReactionToken.participant_id == participant.id)
    )
    if token is not None and token.used_at is None:
        token.used_at = now
    db.session.flush()
    return response


def enter_reaction(
    actor: User, program: Program, participant_id: int, data: ReactionData
) -> ReactionResponse:
    """The designer enters a participant's answers (e.g. from a paper form); their link then
    counts as used. A participant who already answered: 422 at the participant field."""
    check_manage_reactions(actor, program)
    participant = get_participant(program, participant_id)
    _validate_reaction(data)
    if participant.id in reactions(program):
        raise ValidationFailed(
            _("Periksa kembali isian yang ditandai."),
            {"participant_id": [_("Peserta ini sudah mengisi kuesioner.")]},
        )
    response = _save_reaction(participant, data, "designer", actor, utcnow())
    record_event(
        actor,
        "program",
        program.id,
        "record_reaction",
        data={"participant_id": participant.id, "source": "designer"},
    )
    return response


class LinkGone(Exception):
    """A used or expired link (HTTP 410); ``reason`` is ``used`` or ``expired``."""

    def __init__(self, reason: str, token: ReactionToken):
        super().__init__(reason)
        self.reason = reason
        self.token = token


def find_token(token: str, now: datetime | None = None) -> ReactionToken:
    """The link's row if it may still be answered. :class:`NotFound` for an unknown token,
    :class:`LinkGone` for a used or expired one."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise NotFound(_("Tautan kuesioner tidak dikenal."))
    row = db.session.scalar(
        sa.select(ReactionToken).where(ReactionToken.token_hash == hash_token(token))
    )
    if row is None or row.participant.status != ParticipantStatus.ENROLLED:
        raise NotFound(_("Tautan kuesioner tidak dikenal."))
    if row.used_at is not None:
        raise LinkGone("used", row)
    if db.session.scalar(
        sa.select(ReactionResponse.id).where(ReactionResponse.participant_id == row.participant_id)
    ):
        raise LinkGone("used", row)
    if (now or utcnow()) >= row.expires_at:
        raise LinkGone("expired", row)
    return row


def submit_reaction(token: str, data: ReactionData, now: datetime | None = None):
    """A participant answers through their link (no login). Saves once; the link is then used.
    Raises :class:`NotFound`, :class:`LinkGone`, :class:`ValidationFailed`."""
    now = now or utcnow()
    # A no-op UPDATE first locks the token's row (PostgreSQL) or the database (SQLite), so
    # two submissions of one link are decided one after the other: the second sees it used.
    db.session.execute(
        sa.update(ReactionToken)
        .where(ReactionToken.token_hash == hash_token(token[:TOKEN_MAX_LENGTH]))
        .values(id=ReactionToken.id),
        execution_options={"synchronize_session": False},
    )
    row = find_token(token, now)
    _validate_reaction(data)
    participant = row.participant
    response = _save_reaction(participant, data, "link", None, now)
    record_event(
        None,
        "program",
        participant.program_id,
        "record_reaction",
        data={"participant_id": participant.id, "source": "link"},
    )
    return response


# --- L3 writes --------------------------------------------------------------------------------


@dataclass
class FollowUpData:
    supervisor_score: int | None
    supervisor_note: str | None
    rtl_progress: str


def record_followup(
    actor: User, program: Program, participant_id: int, data: FollowUpData
) -> FollowUp:
    """The participant's Pemda records (or corrects) the supervisor's assessment and the RTL
    progress. Another Pemda's participant is unknown (404). One audit row."""
    check_pemda_recorder(actor, program)
    participant = get_participant(program, participant_id)
    if participant.pemda_id != actor.pemda_id:
        raise NotFound(_("Peserta tidak ditemukan."))
    note = (data.supervisor_note or "").strip() or None
    rtl = (data.rtl_progress or "").strip()
    errors: dict[str, list[str]] = {}
    if data.supervisor_score is not None and not 1 <= data.supervisor_score <= 5:
        errors["supervisor_score"] = [_("Pilih nilai 1 sampai 5.")]
    elif data.supervisor_score is None and not note:
        errors["supervisor_score"] = [_("Isi penilaian atasan: nilai 1–5, catatan, atau keduanya.")]
    if not rtl:
        errors["rtl_progress"] = [_("Isian ini wajib diisi.")]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)
    row = db.session.scalar(sa.select(FollowUp).where(FollowUp.participant_id == participant.id))
    if row is None:
        row = FollowUp(participant_id=participant.id)
        db.session.add(row)
    row.supervisor_score, row.supervisor_note, row.rtl_progress = data.supervisor_score, note, rtl
    row.recorded_by_id, row.recorded_at = actor.id, utcnow()
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "record_followup",
        data={"participant_id": participant.id, "supervisor_score": data.supervisor_score},
    )
    return row


# --- L4 writes --------------------------------------------------------------------------------


@dataclass
class MeasurementData:
    need_id: int
    value: Decimal
    measured_on: date
    note: str | None = None


def record_measurement(
    actor: User, program: Program, data: MeasurementData, now: datetime | None = None
) -> IndicatorMeasurement:
    """The need's Pemda records its indicator's achieved value on a date (not in the future,
    not before the program started). "Future" is judged by today's date in the recording
    user's zone (``actor.zone``: their own, else their organisation's), not the venue's: a
    WIT Pemda may record "today" at 00.30 WIT while it is still yesterday in WIB. ``now``:
    aware UTC (default: the current time). Raises :class:`NotFound` for another Pemda's need
    (404), :class:`ValidationFailed` with field errors. One audit row."""
    check_pemda_recorder(actor, program)
    need = next((n for n in program.needs if n.id == data.need_id), None)
    if need is None or need.pemda_id != actor.pemda_id:
        raise NotFound(_("Usulan tidak ditemukan."))
    now = now or utcnow()
    today = local_today(actor.zone, now)
    errors: dict[str, list[str]] = {}
    if data.value is None:
        errors["value"] = [_("Isian ini wajib diisi.")]
    elif abs(data.value) >= 10**12:
        errors["value"] = [_("Angka terlalu besar.")]
    elif need.indicator_unit == "%" and not 0 <= data.value <= 100:
        errors["value"] = [_("Persentase harus antara 0 dan 100.")]
    if data.measured_on is None:
        errors["measured_on"] = [_("Isian ini wajib diisi.")]
    elif data.measured_on > today:
        errors["measured_on"] = [_("Tanggal pengukuran tidak boleh di masa depan.")]
    elif program.planned_start and data.measured_on < program.planned_start:
        errors["measured_on"] = [_("Tanggal pengukuran tidak boleh sebelum program dimulai.")]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)
    row = IndicatorMeasurement(
        need_id=need.id,
        program_id=program.id,
        value=data.value,
        measured_on=data.measured_on,
        note=(data.note or "").strip() or None,
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    db.session.add(row)
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "record_indicator",
        data={
            "need_id": need.id,
            "value": str(data.value),
            "measured_on": data.measured_on.isoformat(),
        },
    )
    return row
