"""Comments: post, edit (own, within 15 minutes), delete (own; a marker stays), and who may
read what. Every write is audited on the parent's timeline; none commits."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from collab.core.audit import record_event
from collab.core.i18n import format_number
from collab.errors import NotAllowed, NotFound, StaleObject, ValidationFailed
from collab.extensions import db
from collab.models import Comment, Need, Organization, Program, Role, User, utcnow

EDIT_WINDOW = timedelta(minutes=15)
"""How long an author may still edit a comment."""


def side_of(user: User) -> str:
    """``"bkn"`` for BKN users and admins, else the user's Pemda id as text."""
    if user.is_pemda and user.pemda_id:
        return str(user.pemda_id)
    return "bkn"


def readable(stmt: sa.Select, viewer: User) -> sa.Select:
    """Restrict ``SELECT comment`` to what ``viewer`` may read: shared ones, and internal ones
    of the viewer's own side."""
    return stmt.where(sa.or_(Comment.visibility == "shared", Comment.side == side_of(viewer)))


def list_comments(viewer: User, parent: Need | Program) -> list[Comment]:
    """The parent's comments the viewer may read, oldest first (one statement)."""
    stmt = sa.select(Comment).where(
        Comment.entity_type == entity_type(parent), Comment.entity_id == parent.id
    )
    return list(db.session.scalars(readable(stmt, viewer).order_by(Comment.id)).unique())


def entity_type(parent: Need | Program) -> str:
    """``"need"`` or ``"program"``."""
    return "need" if isinstance(parent, Need) else "program"


def _check_body(body: str | None) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationFailed(_("Isian wajib diisi."), {"body": [_("Catatan wajib diisi.")]})
    if len(text) > Comment.MAX_LENGTH:
        raise ValidationFailed(
            _("Isian terlalu panjang."),
            {
                "body": [
                    _("Catatan paling panjang %(n)s karakter.", n=format_number(Comment.MAX_LENGTH))
                ]
            },
        )
    return text


def add_comment(
    actor: User, parent: Need | Program, body: str, visibility: str = "shared"
) -> Comment:
    """Post a comment on a need or program the actor can see (the caller loaded ``parent``
    through the visibility rules). Admins take no business action: :class:`NotAllowed`.
    Raises :class:`ValidationFailed` for an empty or too long body or an unknown visibility."""
    if actor.role == Role.ADMIN:
        raise NotAllowed(_("Administrator tidak ikut berdiskusi pada usulan dan program."))
    if visibility not in ("shared", "internal"):
        raise ValidationFailed(
            _("Pilihan tidak valid."), {"visibility": [_("Pilihan tidak valid.")]}
        )
    text = _check_body(body)
    comment = Comment(
        entity_type=entity_type(parent),
        entity_id=parent.id,
        author_id=actor.id,
        side=side_of(actor),
        visibility=visibility,
        body=text,
    )
    comment.author = actor
    db.session.add(comment)
    db.session.flush()
    _notify_comment(actor, parent, comment)
    return comment


def add_transition_comment(actor: User, parent: Need | Program, action: str, text: str) -> Comment:
    """Put the comment a workflow action required (a question, a reason, a requested change)
    on the parent's thread, marked with ``action``. It is shared, except on an item the other
    side cannot see yet (a need the Pemda has not sent, a program BKN has not proposed), where
    it stays internal to the author's side. Its readers hear of it through the transition's
    own notification, so it sends none itself. Not editable afterwards: it is part of the
    decision's record."""
    unseen = (
        parent.submitted_at is None if isinstance(parent, Need) else parent.current_revision < 1
    )
    comment = Comment(
        entity_type=entity_type(parent),
        entity_id=parent.id,
        author_id=actor.id,
        side=side_of(actor),
        visibility="internal" if unseen else "shared",
        body=text.strip()[: Comment.MAX_LENGTH],
        transition=action,
    )
    comment.author = actor
    db.session.add(comment)
    db.session.flush()
    return comment


MENTION = re.compile(r"(?<![\w@])@(?=\w)")


def mention_candidates(parent: Need | Program, side: str | None = None) -> list[User]:
    """Active users who may read a comment on ``parent`` (``side``: an internal comment's
    side), i.e. who can be mentioned; two statements at most."""
    from collab.notifications.services import can_see

    stmt = sa.select(User).where(User.active.is_(True), User.role != Role.ADMIN)
    pemda_ids = [parent.pemda_id] if isinstance(parent, Need) else parent.partner_ids
    bkn_roles = [Role.BKN_DESIGNER, Role.BKN_APPROVER]
    users = db.session.scalars(
        stmt.join(User.org).where(
            sa.or_(User.role.in_(bkn_roles), Organization.pemda_id.in_(pemda_ids or [-1]))
        )
    ).unique()
    return [u for u in users if can_see(u, parent, side)]


def find_mentions(body: str, candidates: list[User]) -> list[User]:
    """Users named after an ``@`` in ``body`` (``@Siti Rahma``, case-insensitive; the longest
    name that matches wins, and it must end at a word boundary)."""
    by_length = sorted(candidates, key=lambda u: len(u.name), reverse=True)
    found: dict[int, User] = {}
    lowered = body.casefold()
    for match in MENTION.finditer(body):
        rest = lowered[match.end() :]
        for user in by_length:
            name = user.name.casefold()
            if rest.startswith(name) and (len(rest) == len(name) or not rest[len(name)].isalnum()):
                found.setdefault(user.id, user)
                break
    return list(found.values())


def _notify_comment(actor: User, parent: Need | Program, comment: Comment) -> None:
    from collab.notifications.services import _excerpt, notify

    side = comment.side if comment.visibility == "internal" else None
    params = {"comment": _excerpt(comment.body), "comment_id": comment.id}
    mentioned = [
        u for u in find_mentions(comment.body, mention_candidates(parent, side)) if u.id != actor.id
    ]
    if mentioned:
        notify(
            "mention", actor=actor, entity=parent, params=params, recipients=mentioned, side=side
        )
    notify(
        "comment",
        actor=actor,
        entity=parent,
        params=params,
        side=side,
        exclude={u.id for u in mentioned},
    )


def get_comment(viewer: User, comment_id: int) -> Comment:
    """A comment the viewer may read; :class:`NotFound` otherwise (the parent's visibility is
    checked by the caller through the parent's own queries)."""
    comment = db.session.scalar(
        readable(sa.select(Comment).where(Comment.id == comment_id), viewer)
    )
    if comment is None:
        raise NotFound(_("Catatan tidak ditemukan."))
    return comment


def can_edit_comment(user: User, comment: Comment, now: datetime | None = None) -> bool:
    """The author, within :data:`EDIT_WINDOW` of posting, on a comment not deleted."""
    now = now or utcnow()
    return (
        comment.author_id == user.id
        and comment.transition is None
        and comment.deleted_at is None
        and now - comment.created_at <= EDIT_WINDOW
    )


def edit_comment(
    actor: User,
    comment: Comment,
    body: str,
    *,
    expected_version: int | None,
    now: datetime | None = None,
) -> Comment:
    """Change one's own comment within 15 minutes; the earlier text stays in the audit log.
    Raises :class:`NotAllowed` after the window or for others, :class:`StaleObject`."""
    if not can_edit_comment(actor, comment, now):
        raise NotAllowed(_("Catatan hanya dapat diubah penulisnya dalam 15 menit."))
    if expected_version is None or expected_version != comment.version:
        raise StaleObject(_("Catatan ini telah diubah. Muat ulang halaman."))
    text = _check_body(body)
    record_event(
        actor,
        comment.entity_type,
        comment.entity_id,
        "edit_comment",
        data={"comment_id": comment.id, "before": comment.body},
    )
    comment.body = text
    comment.edited_at = now or utcnow()
    from collab.notifications.services import retract_comment

    retract_comment(comment, text)
    db.session.flush()
    return comment


def delete_comment(actor: User, comment: Comment, now: datetime | None = None) -> Comment:
    """Delete one's own comment: the text goes (kept in the audit log), a marker stays; its
    attachments are deleted with it (their files leave the disk after commit)."""
    if comment.author_id != actor.id:
        raise NotAllowed(_("Hanya penulis yang dapat menghapus catatannya."))
    if comment.transition is not None:
        raise NotAllowed(_("Catatan keputusan tidak dapat dihapus."))
    if comment.deleted_at is None:
        record_event(
            actor,
            comment.entity_type,
            comment.entity_id,
            "delete_comment",
            data={"comment_id": comment.id, "before": comment.body},
        )
        comment.body = ""
        comment.deleted_at = now or utcnow()
        from collab.notifications.services import retract_comment

        retract_comment(comment)
        from collab.attachments.services import delete_comment_attachments

        delete_comment_attachments(comment)
        db.session.flush()
    return comment
