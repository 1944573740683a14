"""Comments (catatan) on needs and programs."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, enum_column, utcnow
from collab.models.user import User


class Visibility(enum.StrEnum):
    """``shared``: both sides; ``internal``: only the author's side (BKN, or that Pemda)."""

    SHARED = "shared"
    INTERNAL = "internal"


class Comment(db.Model):
    """A comment on a need or a program. ``body`` is the Markdown the author typed (at most
    :data:`MAX_LENGTH` characters); ``side`` is the author's side when written (``"bkn"`` or
    the Pemda id as text) and decides who reads an internal comment. A deleted comment keeps
    its row (``deleted_at`` set, body emptied) so the thread shows where it was."""

    __tablename__ = "comment"

    MAX_LENGTH = 20000

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(sa.String(20))
    entity_id: Mapped[int]
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    side: Mapped[str] = mapped_column(sa.String(20))
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "visibility"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    transition: Mapped[str | None] = mapped_column(sa.String(40))
    """The workflow action this comment was required by (``return``, ``request_info``…), if any."""
    version: Mapped[int] = mapped_column(default=1)

    author: Mapped[User] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_comment_entity", "entity_type", "entity_id", "id"),
        sa.CheckConstraint("entity_type IN ('need', 'program')", name="entity_type"),
    )
