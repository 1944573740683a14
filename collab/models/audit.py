"""The append-only audit trail."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow
from collab.models.user import User


class AuditEvent(db.Model):
    """One thing that happened: who (``actor``, NULL for the system), to what
    (``entity_type``/``entity_id``), ``action``, ``from_state`` → ``to_state``, an optional
    comment and structured ``data``. Rows are never updated or deleted by the application.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    entity_type: Mapped[str] = mapped_column(sa.String(30))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(40))
    from_state: Mapped[str | None] = mapped_column(sa.String(30))
    to_state: Mapped[str | None] = mapped_column(sa.String(30))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict | None] = mapped_column(sa.JSON)

    actor: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (sa.Index("ix_audit_event_entity", "entity_type", "entity_id", "id"),)


class AuditLogImmutable(RuntimeError):
    """Raised when code tries to update or delete an audit row."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):
    raise AuditLogImmutable("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AuditLogImmutable("audit events are append-only")
