"""The audit log is append-only: the ORM refuses changes, and so does the database itself
(triggers on SQLite and PostgreSQL), also for bulk statements that bypass the ORM."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from collab.extensions import db
from collab.models import AuditEvent
from collab.models.audit import AuditLogImmutable


def _one_event(world, app):
    world.need("submitted")
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.min(AuditEvent.id)))


def test_orm_refuses_update_and_delete(world, app):
    ev_id = _one_event(world, app)
    with app.app_context():
        ev = db.session.get(AuditEvent, ev_id)
        ev.action = "forged"
        with pytest.raises(AuditLogImmutable):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, ev_id))
        with pytest.raises(AuditLogImmutable):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        sa.update(AuditEvent).values(action="forged"),
        sa.delete(AuditEvent),
        sa.text("UPDATE audit_event SET comment = 'x'"),
        sa.text("DELETE FROM audit_event"),
    ],
    ids=["orm-bulk-update", "orm-bulk-delete", "sql-update", "sql-delete"],
)
def test_database_refuses_bulk_changes(world, app, statement):
    ev_id = _one_event(world, app)
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == before
        assert db.session.get(AuditEvent, ev_id).action != "forged"


def test_inserting_still_works(world, app):
    from collab.core.audit import record_event

    _one_event(world, app)
    with app.app_context():
        record_event(None, "user", 0, "login_failed", data={"email": "x@y.test"}, notify=False)
        db.session.commit()
        assert (
            db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "login_failed"))
            == 1
        )
