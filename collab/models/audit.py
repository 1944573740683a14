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


# The same refusal in the database itself, so that no code path — bulk UPDATE/DELETE
# statements, a psql session of the application's role — can rewrite history. Created with
# the table (tests, create_all) and by migration 7a1f3c2d9e10 (existing databases).
APPEND_ONLY_DDL = {
    "sqlite": [
        "CREATE TRIGGER trg_audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
        "CREATE TRIGGER trg_audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'restrict_violation'; "
        "END $$",
        "CREATE TRIGGER trg_audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
        "CREATE TRIGGER trg_audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()",
    ],
}
"""Per dialect, the statements that make ``audit_event`` append-only in the database."""

for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _sql in _statements:
        event.listen(
            AuditEvent.__table__,
            "after_create",
            sa.DDL(_sql.replace("%", "%%")).execute_if(dialect=_dialect),
        )
