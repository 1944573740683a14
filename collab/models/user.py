"""Users and their roles."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, enum_column, utcnow
from collab.models.org import Organization


class Role(enum.StrEnum):
    """The five roles of DESIGN.md §1."""

    PEMDA_OFFICER = "pemda_officer"
    PEMDA_APPROVER = "pemda_approver"
    BKN_DESIGNER = "bkn_designer"
    BKN_APPROVER = "bkn_approver"
    ADMIN = "admin"


PEMDA_ROLES = frozenset({Role.PEMDA_OFFICER, Role.PEMDA_APPROVER})
BKN_ROLES = frozenset({Role.BKN_DESIGNER, Role.BKN_APPROVER})


def new_session_token() -> str:
    """A random token; changing it ends every session and remember-me cookie of the user."""
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """A person who logs in. ``session_token`` is part of the Flask-Login id, so rotating it
    (password change, deactivation) logs the user out everywhere."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    nip: Mapped[str | None] = mapped_column(sa.String(18))
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(sa.String(5), default="id")
    timezone: Mapped[str | None] = mapped_column(sa.String(40))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    preferences: Mapped[dict] = mapped_column(MutableDict.as_mutable(sa.JSON), default=dict)
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    org: Mapped[Organization] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    def get_id(self) -> str:
        """Flask-Login id: ``"<id>:<session_token>"``."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    @property
    def is_bkn(self) -> bool:
        """True for BKN designers and approvers."""
        return self.role in BKN_ROLES

    @property
    def is_pemda(self) -> bool:
        """True for Pemda officers and approvers."""
        return self.role in PEMDA_ROLES

    @property
    def pemda_id(self) -> int | None:
        """The Pemda this user belongs to (None for BKN and BKN-side admins)."""
        return self.org.pemda_id

    @property
    def zone(self) -> str:
        """IANA time zone for display: the user's own, else the organisation's."""
        return self.timezone or self.org.timezone
