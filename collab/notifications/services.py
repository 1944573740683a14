"""Notifications in the app and by e-mail.

:func:`notify` turns one event into at most one :class:`~collab.models.Notification` per
recipient (who: :data:`collab.notifications.rules.RULES`) and, where the recipient wants
e-mail for that kind, one :class:`~collab.models.EmailOutbox` row written in the recipient's
language — both in the caller's transaction, so an event and its messages commit or roll back
together. Nothing here sends mail (see :mod:`collab.notifications.outbox`) and nothing
commits. Workflow transitions reach :func:`on_audit_event` through
:func:`collab.core.audit.record_event`.
"""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from collab import labels
from collab.extensions import db
from collab.models import (
    AuditEvent,
    EmailOutbox,
    Need,
    Notification,
    Organization,
    Program,
    Role,
    User,
    program_need,
    utcnow,
)
from collab.notifications import rules as r

EXCERPT = 300
"""Characters of a comment quoted in a notification."""


# --- who -------------------------------------------------------------------------------------


def _active_users(stmt: sa.Select) -> list[User]:
    stmt = stmt.join(Organization, Organization.id == User.org_id).where(
        User.active.is_(True), Organization.active.is_(True)
    )
    return list(db.session.scalars(stmt).unique())


def _pemda_approvers(pemda_ids: list[int]) -> list[User]:
    if not pemda_ids:
        return []
    return _active_users(
        sa.select(User).where(
            User.role == Role.PEMDA_APPROVER, Organization.pemda_id.in_(pemda_ids)
        )
    )


def resolve_group(group: str, entity: Need | Program) -> list[User]:
    """The users of one recipient group (:mod:`collab.notifications.rules`) for ``entity``;
    inactive users and users of inactive organisations are left out."""
    is_need = isinstance(entity, Need)
    if group == r.NEED_CREATOR and is_need:
        return [entity.created_by] if entity.created_by else []
    if group == r.ASSIGNED_DESIGNER and is_need and entity.assigned_designer_id:
        return [db.session.get(User, entity.assigned_designer_id)]
    if group == r.PROGRAM_OWNER and not is_need:
        return [db.session.get(User, entity.owner_id)]
    if group == r.PEMDA_APPROVERS:
        return _pemda_approvers([entity.pemda_id] if is_need else entity.partner_ids)
    if group == r.BKN_TRIAGE and is_need:
        if entity.assigned_designer_id:
            return [db.session.get(User, entity.assigned_designer_id)]
        group = r.BKN_DESIGNERS
    if group == r.BKN_DESIGNERS:
        return _active_users(sa.select(User).where(User.role == Role.BKN_DESIGNER))
    if group == r.BKN_APPROVERS:
        return _active_users(sa.select(User).where(User.role == Role.BKN_APPROVER))
    if group == r.NEED_CREATORS and not is_need:
        return _active_users(
            sa.select(User)
            .join(Need, Need.created_by_id == User.id)
            .join(program_need, program_need.c.need_id == Need.id)
            .where(program_need.c.program_id == entity.id)
        )
    return []


def side_of(user: User) -> str:
    """``"bkn"`` for BKN users, else the user's Pemda id as text (as on comments)."""
    if user.is_pemda and user.pemda_id:
        return str(user.pemda_id)
    return "bkn"


def can_see(user: User, entity: Need | Program, side: str | None = None) -> bool:
    """Whether ``user`` may see ``entity`` (the same rules as the list queries) and, for an
    internal comment written on ``side``, whether the user is on that side."""
    if not user.active or user.role == Role.ADMIN or not user.org.active:
        return False
    if side is not None and side_of(user) != side:
        return False
    if isinstance(entity, Need):
        if user.is_pemda:
            return user.pemda_id == entity.pemda_id
        return entity.submitted_at is not None
    if user.is_pemda:
        return entity.current_revision >= 1 and user.pemda_id in entity.partner_ids
    return True


def wants_email(user: User, kind: str, *, owner: bool = False) -> bool:
    """Whether ``user`` gets e-mail for ``kind``: on unless switched off in the profile; a
    decision on the user's own item (``owner``) is always sent."""
    if owner and kind in (r.TRANSITION, r.SIGN_OFF):
        return True
    return bool((user.preferences or {}).get("email", {}).get(kind, True))


def set_email_preferences(user: User, choices: dict[str, bool]) -> None:
    """Store e-mail on/off per kind (:data:`rules.KINDS`); unknown kinds are ignored."""
    prefs = dict(user.preferences or {})
    prefs["email"] = {k: bool(choices.get(k, False)) for k in r.KINDS}
    user.preferences = prefs


# --- what ------------------------------------------------------------------------------------


def event_name(entity_type: str, action: str, to_state: str | None) -> str:
    """``need.submit``, ``program.approve``, or ``program.approved`` for the sign-off that
    approved the revision."""
    if entity_type == "program" and action == "approve" and to_state == "approved":
        return "program.approved"
    return f"{entity_type}.{action}"


def _entity(entity_type: str, entity_id: int) -> Need | Program | None:
    model = {"need": Need, "program": Program}.get(entity_type)
    return db.session.get(model, entity_id) if model else None


def _excerpt(text: str | None) -> str | None:
    """The first :data:`EXCERPT` characters of a comment as plain text (Markdown rendered,
    then every tag dropped), for the inbox and e-mails."""
    if not text:
        return None
    import nh3

    from collab.comments.render import render_markdown

    text = nh3.clean(str(render_markdown(text)), tags=set())
    text = html.unescape(" ".join(text.split()))
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def notify(
    event: str,
    *,
    actor: User | None,
    entity: Need | Program,
    params: dict | None = None,
    recipients: list[User] | None = None,
    side: str | None = None,
    exclude: set[int] | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> list[Notification]:
    """Notify everyone :data:`rules.RULES` names for ``event`` about ``entity`` (or the given
    ``recipients`` for ``explicit`` rules), except the actor, users in ``exclude`` and users
    who may not see the item (or, with ``side``, who are not on an internal comment's side).
    One notification per recipient; with ``dedupe_key`` a recipient who already has that key
    gets nothing (reminders run twice send nothing twice). ``params`` are plain JSON values
    the text needs (``title`` and ``actor`` are added). Returns the new rows (flushed, not
    committed). Raises ``KeyError`` for an event without a rule."""
    rule = r.RULES[event]
    entity_type = "need" if isinstance(entity, Need) else "program"
    found: dict[int, tuple[User, bool]] = {}
    if r.EXPLICIT in rule.groups:
        for user in recipients or []:
            found.setdefault(user.id, (user, False))
    else:
        for group in rule.groups:
            for user in resolve_group(group, entity):
                if user is None:
                    continue
                owner = group in r.OWNER_GROUPS
                prev = found.get(user.id)
                found[user.id] = (user, owner or (prev[1] if prev else False))
    skip = set(exclude or ())
    if actor is not None:
        skip.add(actor.id)
    if dedupe_key and found:
        skip |= set(
            db.session.scalars(
                sa.select(Notification.recipient_id).where(
                    Notification.dedupe_key == dedupe_key,
                    Notification.recipient_id.in_(list(found)),
                )
            )
        )
    base = {"title": entity.title, "actor": actor.name if actor else None}
    base.update(params or {})
    made = []
    for user_id in sorted(found):
        user, owner = found[user_id]
        if user_id in skip or not can_see(user, entity, side):
            continue
        note = Notification(
            recipient_id=user.id,
            kind=rule.kind,
            event=event,
            entity_type=entity_type,
            entity_id=entity.id,
            actor_id=actor.id if actor else None,
            params=base,
            dedupe_key=dedupe_key,
        )
        if now is not None:
            note.created_at = now
        note.recipient = user
        db.session.add(note)
        made.append(note)
        if wants_email(user, rule.kind, owner=owner):
            db.session.flush()  # the note's id and time go into the e-mail
            queue_email(note, user)
    db.session.flush()
    return made


def on_audit_event(ev: AuditEvent, actor: User | None) -> list[Notification]:
    """Notify the people :data:`rules.RULES` names for a workflow audit row (called from
    :func:`collab.core.audit.record_event`); other audit actions notify nobody."""
    event = event_name(ev.entity_type, ev.action, ev.to_state)
    if event not in r.RULES or r.RULES[event].kind not in (r.TRANSITION, r.SIGN_OFF):
        return []
    entity = _entity(ev.entity_type, ev.entity_id)
    if entity is None:
        return []
    exclude: set[int] = set()
    program_id = (ev.data or {}).get("program_id")
    if event in ("need.release", "need.fulfil") and program_id:
        program = db.session.get(Program, program_id)
        if program is not None and program.status in ("rejected", "cancelled", "evaluated"):
            # The program's own notification already told these people; one action, one
            # notification each.
            rule = r.RULES[f"program.{_PROGRAM_ACTION[program.status]}"]
            exclude = {u.id for g in rule.groups for u in resolve_group(g, program) if u}
    params = {
        "action": ev.action,
        "from": ev.from_state,
        "to": ev.to_state,
        "comment": _excerpt(ev.comment),
    }
    if ev.data and "revision" in ev.data:
        params["revision"] = ev.data["revision"]
    return notify(
        event, actor=actor, entity=entity, params=params, exclude=exclude, now=ev.created_at
    )


_PROGRAM_ACTION = {"rejected": "reject", "cancelled": "cancel", "evaluated": "close"}


def retract_comment(comment, new_body: str | None = None) -> int:
    """Keep notifications in step with a comment that was edited (``new_body``) or deleted
    (``None``): their quoted excerpt is replaced or removed, and e-mails about it that have
    not gone out yet are rewritten or withdrawn. Returns how many notifications changed."""
    stmt = sa.select(Notification).where(
        Notification.entity_type == comment.entity_type,
        Notification.entity_id == comment.entity_id,
        Notification.event.in_(("comment", "mention")),
    )
    changed = [
        n for n in db.session.scalars(stmt) if (n.params or {}).get("comment_id") == comment.id
    ]
    for note in changed:
        params = dict(note.params or {})
        params["comment"] = _excerpt(new_body) if new_body is not None else None
        params["deleted"] = new_body is None
        note.params = params
        pending = list(
            db.session.scalars(
                sa.select(EmailOutbox).where(
                    EmailOutbox.notification_id == note.id, EmailOutbox.status == "pending"
                )
            )
        )
        for mail in pending:
            db.session.delete(mail)
        db.session.flush()
        if pending and new_body is not None:
            queue_email(note, note.recipient)
    db.session.flush()
    return len(changed)


# --- text ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    """A notification as words in the current locale: ``text`` (one sentence), ``detail``
    (status change or quoted comment, may be empty), ``path`` (the item's page)."""

    text: str
    detail: str
    path: str


def _thing(entity_type: str) -> str:
    return _("usulan") if entity_type == "need" else _("program")


def _state(entity_type: str, state: str | None) -> str:
    if not state:
        return ""
    table = labels.NEED_STATUS if entity_type == "need" else labels.PROGRAM_STATUS
    return str(table.get(state, state))


def _comment_anchor(params: dict) -> str:
    cid = params.get("comment_id")
    return f"#comment-{cid}" if cid and not params.get("deleted") else "#comments-panel"


def render(note: Notification, zone: str | None = None) -> Rendered:
    """Words for ``note`` in the current locale (call inside ``force_locale`` for someone
    else's language); times in ``zone`` (default: the viewer's)."""
    from collab.core.i18n import format_datetime

    p = note.params or {}
    kind = note.entity_type
    title = p.get("title") or "—"
    actor = p.get("actor") or _("Sistem")
    thing = _thing(kind)
    path = f"/{'needs' if kind == 'need' else 'programs'}/{note.entity_id}"
    detail = ""
    if note.event == "program.approved":
        text = _(
            "Program “%(title)s” disetujui BKN dan Pemda (revisi %(n)s); %(actor)s memberi "
            "persetujuan terakhir.",
            title=title,
            n=p.get("revision", "?"),
            actor=actor,
        )
    elif note.event in ("need.release", "need.fulfil"):
        text = _(
            "Usulan “%(title)s” %(event)s.",
            title=title,
            event=labels.EVENT.get(p.get("action"), p.get("action")),
        )
    elif note.event in ("comment", "mention"):
        message = (
            _("%(actor)s menulis catatan pada %(thing)s “%(title)s”.")
            if note.event == "comment"
            else _("%(actor)s menyebut Anda dalam catatan pada %(thing)s “%(title)s”.")
        )
        text = message % {"actor": actor, "thing": thing, "title": title}
        detail = p.get("comment") or ""
        path += _comment_anchor(p)
    elif note.event in ("sla_warning", "sla_overdue"):
        due = p.get("due_at")
        due_text = format_datetime(datetime.fromisoformat(due), zone) if due else "—"
        waiting = str(labels.TURN.get(p.get("side"), ""))
        if note.event == "sla_warning":
            text = _(
                "Tenggat %(thing)s “%(title)s” jatuh pada %(due)s (%(waiting)s).",
                thing=thing,
                title=title,
                due=due_text,
                waiting=waiting,
            )
        else:
            text = _(
                "%(thing)s “%(title)s” melewati tenggat %(due)s (%(waiting)s).",
                thing=thing.capitalize(),
                title=title,
                due=due_text,
                waiting=waiting,
            )
    elif note.event in labels.NOTIFICATION_TEXT:
        text = str(labels.NOTIFICATION_TEXT[note.event]) % {"actor": actor, "title": title}
    else:
        text = _(
            "%(actor)s %(event)s %(thing)s “%(title)s”.",
            actor=actor,
            event=labels.EVENT.get(p.get("action"), p.get("action")),
            thing=thing,
            title=title,
        )
    if p.get("deleted"):
        detail = _("Catatan ini sudah dihapus penulisnya.")
    if note.kind in (r.TRANSITION, r.SIGN_OFF):
        if p.get("from") and p.get("to") and p.get("from") != p.get("to"):
            detail = _(
                "Status: %(old)s → %(new)s",
                old=_state(kind, p.get("from")),
                new=_state(kind, p.get("to")),
            )
        if p.get("comment"):
            detail = (detail + "\n" if detail else "") + "“" + p["comment"] + "”"
    return Rendered(text=text, detail=detail, path=path)


def queue_email(note: Notification, user: User) -> EmailOutbox:
    """Write ``note`` as an e-mail to ``user`` in the user's language and zone into the
    outbox (same transaction). The Message-ID is fixed now so a resend is recognisable."""
    lang = user.locale if user.locale in current_app.config["LANGUAGES"] else "id"
    base_url = current_app.config["BASE_URL"].rstrip("/")
    with force_locale(lang):
        words = render(note, zone=user.zone)
        subject = " ".join(("[Sinergi] " + words.text).split())  # one header line, always
        lines = [_("Yth. %(name)s,", name=user.name), "", words.text]
        if words.detail:
            lines += ["", words.detail]
        lines += [
            "",
            _("Buka: %(url)s", url=base_url + words.path),
            "",
            "— " + _("Sinergi · BKN dan Pemda"),
            _("Atur e-mail pemberitahuan: %(url)s", url=base_url + "/notifications/settings"),
        ]
    domain = base_url.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "sinergi.local"
    mail = EmailOutbox(
        notification_id=note.id,
        recipient_id=user.id,
        to_address=user.email,
        subject=subject[:300],
        body_text="\n".join(lines),
        language=lang,
        message_id=f"<sinergi.{note.id}.{secrets.token_hex(8)}@{domain}>",
        created_at=note.created_at,
        next_attempt_at=note.created_at,
    )
    db.session.add(mail)
    return mail


# --- inbox -----------------------------------------------------------------------------------


def unread_count(user: User) -> int:
    """How many of ``user``'s notifications are unread (one statement)."""
    return db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.recipient_id == user.id, Notification.read_at.is_(None)
        )
    )


def list_notifications(user: User, page: int, per_page: int, unread_only: bool = False):
    """``(rows, total)`` of ``user``'s notifications, newest first (two statements)."""
    stmt = sa.select(Notification).where(Notification.recipient_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return rows, total


def get_notification(user: User, note_id: int) -> Notification:
    """``user``'s own notification; :class:`~collab.errors.NotFound` for anyone else's."""
    from collab.errors import NotFound

    note = db.session.get(Notification, note_id)
    if note is None or note.recipient_id != user.id:
        raise NotFound(_("Pemberitahuan tidak ditemukan."))
    return note


def mark_read(user: User, note_id: int, now: datetime | None = None) -> Notification:
    """Mark one of ``user``'s notifications read (idempotent)."""
    note = get_notification(user, note_id)
    if note.read_at is None:
        note.read_at = now or utcnow()
    return note


def mark_all_read(user: User, now: datetime | None = None) -> int:
    """Mark all of ``user``'s notifications read; returns how many changed."""
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    )
    return result.rowcount or 0
