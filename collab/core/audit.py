"""Writing the audit trail (append-only; see :class:`collab.models.AuditEvent`)."""

from __future__ import annotations

from collab.extensions import db
from collab.models import AuditEvent, User


def record_event(
    actor: User | None,
    entity_type: str,
    entity_id: int,
    action: str,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    comment: str | None = None,
    data: dict | None = None,
    notify: bool = True,
) -> AuditEvent:
    """Add one audit row to the session (flushed with the caller's transaction, not committed)
    and queue the notifications :mod:`collab.notifications.rules` names for it (workflow
    transitions and sign-offs; ``notify=False`` for a seed or import that must stay quiet)."""
    ev = AuditEvent(
        actor_id=actor.id if actor else None,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        data=data,
    )
    db.session.add(ev)
    if notify:
        from collab.notifications.services import on_audit_event

        on_audit_event(ev, actor)
    return ev
