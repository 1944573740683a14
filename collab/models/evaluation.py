"""Program evaluation after delivery (Kirkpatrick, reference/README.md): L1 reaction
questionnaires and their personal links, L3 follow-ups with the alumnus' supervisor (RTL
progress), L4 measurements of the served needs' service indicators. L2 (pre/post-test) lives
on :class:`collab.models.Participant`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow
from collab.models.need import Need
from collab.models.participant import Participant
from collab.models.user import User

REACTION_ASPECTS = ("material", "facilitator", "organisation", "usefulness")
"""The L1 questionnaire's rated aspects (Materi, Fasilitator, Penyelenggaraan, Manfaat)."""


class ReactionResponse(db.Model):
    """One participant's L1 answers: four ratings 1–5 and an optional comment (≤ 2000
    characters). ``source`` is ``link`` (the participant through their personal link) or
    ``designer`` (entered on their behalf, e.g. from a paper form; ``entered_by_id`` set)."""

    __tablename__ = "reaction_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), unique=True
    )
    material: Mapped[int] = mapped_column(sa.SmallInteger)
    facilitator: Mapped[int] = mapped_column(sa.SmallInteger)
    organisation: Mapped[int] = mapped_column(sa.SmallInteger)
    usefulness: Mapped[int] = mapped_column(sa.SmallInteger)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    source: Mapped[str] = mapped_column(sa.String(10))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    participant: Mapped[Participant] = relationship()

    __table_args__ = (
        sa.CheckConstraint("material BETWEEN 1 AND 5", name="material_range"),
        sa.CheckConstraint("facilitator BETWEEN 1 AND 5", name="facilitator_range"),
        sa.CheckConstraint("organisation BETWEEN 1 AND 5", name="organisation_range"),
        sa.CheckConstraint("usefulness BETWEEN 1 AND 5", name="usefulness_range"),
        sa.CheckConstraint("length(comment) <= 2000", name="comment_length"),
        sa.CheckConstraint("source IN ('link', 'designer')", name="source_known"),
    )


class ReactionToken(db.Model):
    """A participant's personal questionnaire link. Only the SHA-256 of the token is stored
    (the token itself is shown once to the designer); one row per participant, replaced when
    the designer generates the links again (the old token then becomes unknown)."""

    __tablename__ = "reaction_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    participant: Mapped[Participant] = relationship()


class FollowUp(db.Model):
    """L3: the post-training evaluation with the alumnus' direct supervisor, recorded by the
    participant's Pemda: an assessment (a 1–5 score, a note, or both) and the progress of the
    RTL (Rencana Tindak Lanjut). One per participant; recording again replaces it (audited)."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), unique=True
    )
    supervisor_score: Mapped[int | None] = mapped_column(sa.SmallInteger)
    supervisor_note: Mapped[str | None] = mapped_column(sa.Text)
    rtl_progress: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recorded_by: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("supervisor_score BETWEEN 1 AND 5", name="supervisor_score_range"),
        sa.CheckConstraint(
            "supervisor_score IS NOT NULL OR supervisor_note IS NOT NULL",
            name="supervisor_assessed",
        ),
    )


class IndicatorMeasurement(db.Model):
    """L4: the value of a served need's service indicator (in the need's ``indicator_unit``)
    on ``measured_on`` (a calendar date), recorded by the need's Pemda after the program. The
    latest by date counts; earlier ones stay as history."""

    __tablename__ = "indicator_measurement"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id"), index=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    measured_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    need: Mapped[Need] = relationship()
    recorded_by: Mapped[User] = relationship(lazy="joined")
