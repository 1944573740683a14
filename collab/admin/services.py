"""Organisations and accounts. Admin-only writes; each one audited, none commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from collab.auth.services import set_password
from collab.core.audit import record_event
from collab.errors import NotAllowed, ValidationFailed
from collab.extensions import db
from collab.models import Organization, OrgKind, Role, User
from collab.models.user import new_session_token
from collab.reference import TIMEZONES, region_names

MIN_PASSWORD_LENGTH = 12


def _require_admin(actor: User | None) -> None:
    if actor is not None and actor.role != Role.ADMIN:
        raise NotAllowed(_("Hanya administrator yang dapat mengelola organisasi dan akun."))


def _place(org: Organization, kind: str, parent: Organization | None) -> None:
    """Check the tree rules and derive ``pemda_id`` (raises :class:`ValidationFailed`)."""
    errors: dict[str, list[str]] = {}
    if kind == OrgKind.BKN:
        if parent is not None and parent.kind != OrgKind.BKN:
            errors["parent_id"] = [_("Unit BKN hanya dapat berada di bawah unit BKN.")]
        org.pemda_id = None
    elif kind == OrgKind.PEMDA:
        if parent is not None:
            errors["parent_id"] = [_("Pemda tidak memiliki induk dalam pohon organisasi.")]
    else:  # OPD / UPTD
        if parent is None or parent.kind == OrgKind.BKN:
            errors["parent_id"] = [_("OPD harus berada di bawah Pemda atau OPD lain.")]
        else:
            node = parent
            while node is not None:
                if node.id == org.id and org.id is not None:
                    errors["parent_id"] = [_("Induk tidak boleh berada di bawah unit ini.")]
                    break
                node = node.parent
            org.pemda_id = parent.pemda_id
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)
    org.kind = kind
    org.parent = parent
    org.parent_id = parent.id if parent else None


def create_organization(
    actor: User | None,
    *,
    name: str,
    kind: str,
    parent: Organization | None = None,
    region_code: str | None = None,
    timezone: str = "Asia/Jakarta",
) -> Organization:
    """Add a node to the organisation tree. ``actor`` None means the CLI/seed (trusted).

    A Pemda's ``pemda_id`` is its own id (set after the insert, same transaction); an OPD's is
    its parent's. ``timezone`` is an IANA name of Indonesia's zones. Raises
    :class:`ValidationFailed` for an impossible place in the tree, :class:`NotAllowed` for
    non-admins.
    """
    _require_admin(actor)
    if timezone not in TIMEZONES:
        raise ValidationFailed(
            _("Zona waktu tidak dikenal."), {"timezone": [_("Pilihan tidak valid.")]}
        )
    org = Organization(name=name.strip(), timezone=timezone, active=True)
    _place(org, kind, parent)
    org.region_code = region_code or None
    org.region_name = region_names().get(region_code or "")
    db.session.add(org)
    db.session.flush()
    if kind == OrgKind.PEMDA:
        org.pemda_id = org.id
        db.session.flush()
    record_event(actor, "organization", org.id, "create", data={"name": org.name, "kind": kind})
    return org


def update_organization(
    actor: User,
    org: Organization,
    *,
    name: str,
    parent: Organization | None,
    region_code: str | None,
    timezone: str,
    active: bool,
) -> Organization:
    """Rename, move (within the same kind rules), re-zone or (de)activate an organisation.

    Moving an OPD to another Pemda is refused: its needs belong to the old Pemda.
    """
    _require_admin(actor)
    if org.kind == OrgKind.OPD and parent is not None and parent.pemda_id != org.pemda_id:
        raise ValidationFailed(
            _("Periksa kembali isian yang ditandai."),
            {"parent_id": [_("OPD tidak dapat dipindahkan ke Pemda lain.")]},
        )
    if timezone not in TIMEZONES:
        raise ValidationFailed(
            _("Zona waktu tidak dikenal."), {"timezone": [_("Pilihan tidak valid.")]}
        )
    _place(org, org.kind, parent)
    if org.kind == OrgKind.PEMDA:
        org.pemda_id = org.id
    org.name = name.strip()
    org.region_code = region_code or None
    org.region_name = region_names().get(region_code or "")
    org.timezone = timezone
    was_active = org.active
    org.active = active
    db.session.flush()
    record_event(
        actor,
        "organization",
        org.id,
        "edit" if was_active == active else ("deactivate" if not active else "activate"),
        data={"name": org.name},
    )
    return org


def _check_user_fields(
    email: str, role: str, org: Organization, exclude_id=None, password: str | None = None
) -> None:
    """Collect every account rule broken at once; raises :class:`ValidationFailed`."""
    errors: dict[str, list[str]] = {}
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = [_("Kata sandi minimal %(n)s karakter.", n=MIN_PASSWORD_LENGTH)]
    clash = db.session.scalar(
        sa.select(User.id).where(
            sa.func.lower(User.email) == email.lower(), User.id != (exclude_id or 0)
        )
    )
    if clash:
        errors["email"] = [_("Email ini sudah dipakai akun lain.")]
    if role in (Role.BKN_DESIGNER, Role.BKN_APPROVER) and org.kind != OrgKind.BKN:
        errors["role"] = [_("Peran BKN hanya untuk akun di unit BKN.")]
    if role in (Role.PEMDA_OFFICER, Role.PEMDA_APPROVER) and org.kind == OrgKind.BKN:
        errors["role"] = [_("Peran Pemda hanya untuk akun di Pemda atau OPD.")]
    if role == Role.PEMDA_APPROVER and org.kind != OrgKind.PEMDA:
        errors["org_id"] = [_("Kepala BKPSDM ditempatkan pada Pemda, bukan pada OPD.")]
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    role: str,
    org: Organization,
    password: str,
    nip: str | None = None,
    locale: str = "id",
) -> User:
    """Create an account (no self sign-up). Raises :class:`ValidationFailed` for a taken
    e-mail, a role that does not fit the organisation, or a password under 12 characters."""
    _require_admin(actor)
    email = email.strip()
    _check_user_fields(email, role, org, password=password)
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        org=org,
        org_id=org.id,
        nip=nip or None,
        locale=locale,
        active=True,
    )
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    record_event(actor, "user", user.id, "create", data={"email": email, "role": str(role)})
    return user


def update_user(
    actor: User,
    user: User,
    *,
    email: str,
    name: str,
    role: str,
    org: Organization,
    active: bool,
    nip: str | None = None,
    locale: str = "id",
    password: str | None = None,
) -> User:
    """Edit an account. Deactivating it, or setting a new password, ends its open sessions."""
    _require_admin(actor)
    if user.id == actor.id and not active:
        raise ValidationFailed(
            _("Periksa kembali isian yang ditandai."),
            {"active": [_("Anda tidak dapat menonaktifkan akun Anda sendiri.")]},
        )
    email = email.strip()
    _check_user_fields(email, role, org, exclude_id=user.id, password=password or None)
    if password:
        set_password(user, password)
    was_active = user.active
    user.email, user.name, user.role = email, name.strip(), role
    user.org, user.org_id = org, org.id
    user.nip, user.locale, user.active = nip or None, locale, active
    if was_active and not active:
        user.session_token = new_session_token()
    db.session.flush()
    action = "edit" if was_active == active else ("deactivate" if not active else "activate")
    record_event(actor, "user", user.id, action, data={"email": email, "role": str(role)})
    return user
