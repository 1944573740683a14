"""Attachments (lampiran) on needs, programs and comments."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, utcnow
from collab.models.user import User


class Attachment(db.Model):
    """One uploaded file. The bytes live under ``<instance>/uploads/<stored_name>``; the
    stored name is made by the server (never from the upload's name), ``original_name`` is
    kept only for display and for the download's ``Content-Disposition``. ``content_type``
    is what the file's bytes were recognised as (PDF, DOCX, XLSX, JPEG, PNG), ``size`` is in
    bytes. Who may download follows the parent (``entity_type``/``entity_id``: a need, a
    program or a comment)."""

    __tablename__ = "attachment"

    MAX_BYTES = 10 * 1024 * 1024
    """10 MiB per file (issue 5)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(sa.String(20))
    entity_id: Mapped[int]
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    side: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    uploaded_by: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        sa.Index("ix_attachment_entity", "entity_type", "entity_id", "id"),
        sa.CheckConstraint(
            "entity_type IN ('need', 'program', 'comment')", name="attachment_entity_type"
        ),
        sa.CheckConstraint("size >= 0", name="attachment_size"),
    )
