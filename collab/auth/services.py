"""Accounts: password hashing, authentication, session invalidation."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from collab.core.audit import record_event
from collab.extensions import db
from collab.models import User
from collab.models.user import new_session_token

_DUMMY_HASH: str | None = None


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt in production, cheap PBKDF2 in tests)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def set_password(user: User, password: str) -> None:
    """Set a new password and end every other session of the user (token rotation)."""
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None.

    Spends the same hashing time for unknown e-mails so timing does not reveal accounts.
    """
    global _DUMMY_HASH
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    if user is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password("not-a-password")
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not is_enabled(user):
        return None
    return user


def is_enabled(user: User) -> bool:
    """An account may be used: it is active and so is its organisation."""
    return bool(user.active and user.org.active)


def load_user_from_id(session_id: str) -> User | None:
    """Flask-Login user loader: ``"<id>:<token>"`` → the active user whose token matches."""
    uid, _sep, token = session_id.partition(":")
    if not uid.isdigit() or not token:
        return None
    user = db.session.get(User, int(uid))
    if user is None or not is_enabled(user) or user.session_token != token:
        return None
    return user


def end_sessions(user: User) -> None:
    """Rotate the user's session token: every session and remember-me cookie ends."""
    user.session_token = new_session_token()
    record_event(user, "user", user.id, "logout")


def record_login(user: User) -> None:
    """Audit a successful login."""
    record_event(user, "user", user.id, "login")


def record_failed_login(email: str, address: str | None) -> None:
    """Audit a refused sign-in: against the account when the e-mail belongs to one (entity
    ``user``), else against no account (entity id 0); the address tried and the client's IP
    are kept, never the password. Not committed."""
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    record_event(
        None,
        "user",
        user.id if user else 0,
        "login_failed",
        data={"email": email[:254], "ip": address},
    )


def update_profile(user: User, *, locale: str, timezone: str | None) -> bool:
    """Set the user's own UI language (``id``/``en``) and time zone (an IANA name of
    Indonesia's zones, or None to follow the organisation's). Adds an audit row when anything
    changed; returns whether it did. Not committed. Raises :class:`ValidationFailed` naming the
    field for a value outside the choices."""
    from flask_babel import gettext as _

    from collab.errors import ValidationFailed
    from collab.reference import TIMEZONES

    errors = {}
    if locale not in current_app.config["LANGUAGES"]:
        errors["locale"] = [_("Pilihan tidak valid.")]
    if timezone is not None and timezone not in TIMEZONES:
        errors["timezone"] = [_("Pilihan tidak valid.")]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)
    before = {"locale": user.locale, "timezone": user.timezone}
    after = {"locale": locale, "timezone": timezone}
    if before == after:
        return False
    user.locale, user.timezone = locale, timezone
    record_event(user, "user", user.id, "update_profile", data={"before": before, "after": after})
    return True


def change_password(user: User, *, current: str, new: str, confirm: str) -> None:
    """The user's own password change: ``current`` must be right, ``new`` at least
    :data:`collab.admin.services.MIN_PASSWORD_LENGTH` (12) characters, different from
    ``current`` and typed twice alike. Rotates the session token — every other session and
    remember-me cookie of the user ends (the caller signs the current one in again) — and
    audits it. Not committed. Raises :class:`ValidationFailed` naming the field."""
    from flask_babel import gettext as _

    from collab.admin.services import MIN_PASSWORD_LENGTH
    from collab.errors import ValidationFailed

    errors: dict[str, list[str]] = {}
    if not check_password_hash(user.password_hash, current or ""):
        errors["current_password"] = [_("Kata sandi saat ini salah.")]
    if len(new or "") < MIN_PASSWORD_LENGTH:
        errors["new_password"] = [_("Kata sandi minimal %(n)s karakter.", n=MIN_PASSWORD_LENGTH)]
    elif new == current:
        errors["new_password"] = [_("Kata sandi baru harus berbeda dari yang lama.")]
    elif new != confirm:
        errors["confirm_password"] = [_("Ulangi kata sandi baru yang sama.")]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)
    set_password(user, new)
    record_event(user, "user", user.id, "change_password")
