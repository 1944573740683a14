"""In-app notifications and the e-mail outbox."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow
from collab.models.user import User


class Notification(db.Model):
    """One message to one user about one event. ``kind`` is the preference group
    (``transition``, ``sign_off``, ``comment``, ``mention``, ``sla``); ``event`` the precise
    event (``need.submit``, ``program.approved``, ``comment``, ``mention``, ``sla_warning``,
    ``sla_overdue``). ``params`` keeps what the text needs (titles, names, states) as they
    were at the time, so the text can be written in the reader's language later without
    touching other rows. ``dedupe_key`` (unique per recipient) makes reminders idempotent."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    event: Mapped[str] = mapped_column(sa.String(40))
    entity_type: Mapped[str] = mapped_column(sa.String(20))
    entity_id: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])

    __table_args__ = (
        sa.Index("ix_notification_recipient", "recipient_id", "read_at", "id"),
        sa.UniqueConstraint("recipient_id", "dedupe_key", name="uq_notification_dedupe"),
    )


class EmailOutbox(db.Model):
    """An e-mail waiting to be sent, written in the same transaction as its event and sent
    later by ``flask outbox send``. ``status``: ``pending`` → ``sending`` (claimed by one
    sender, ``claimed_at``) → ``sent``; a failed try goes back to ``pending`` with
    ``next_attempt_at`` pushed back (exponential back-off) until ``MAX_ATTEMPTS``, then
    ``failed``. ``message_id`` is fixed when queued, so a resend after a crash carries the same
    Message-ID and a receiving server can drop the duplicate."""

    __tablename__ = "email_outbox"

    MAX_ATTEMPTS = 8

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(sa.ForeignKey("notification.id"))
    recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(5))
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        sa.Index("ix_email_outbox_due", "status", "next_attempt_at"),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed')", name="outbox_status"
        ),
    )
