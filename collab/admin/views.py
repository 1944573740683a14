"""Admin area: organisations and accounts (admin role only)."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.admin import services
from collab.admin.forms import OrganizationForm, UserForm
from collab.core.forms import apply_errors
from collab.errors import ValidationFailed
from collab.extensions import db
from collab.models import Organization, Role, User

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admin_required(view):
    """403 for every role but admin (after login)."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role != Role.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def _orgs() -> list[Organization]:
    return list(db.session.scalars(sa.select(Organization).order_by(Organization.name)).unique())


@bp.get("/")
@admin_required
def index():
    """Organisations (as a tree) and accounts."""
    orgs = _orgs()
    users = list(
        db.session.scalars(sa.select(User).order_by(User.active.desc(), User.name)).unique()
    )
    children: dict[int | None, list[Organization]] = {}
    for o in orgs:
        children.setdefault(o.parent_id, []).append(o)
    return render_template("admin/index.html", children=children, users=users)


def _get(model, obj_id):
    obj = db.session.get(model, obj_id)
    if obj is None:
        abort(404)
    return obj


@bp.route("/organizations/new", methods=["GET", "POST"])
@bp.route("/organizations/<id:org_id>", methods=["GET", "POST"])
@admin_required
def organization(org_id: int | None = None):
    """Create or edit an organisation."""
    org = _get(Organization, org_id) if org_id else None
    parents = [o for o in _orgs() if org is None or not o.is_within(org)]
    form = OrganizationForm(obj=org if request.method == "GET" else None, parents=parents)
    if org is not None:
        form.kind.render_kw = {"disabled": True}
        if request.method == "POST":
            form.kind.data = org.kind
    if request.method == "POST" and form.validate():
        parent = db.session.get(Organization, form.parent_id.data) if form.parent_id.data else None
        try:
            if org is None:
                org = services.create_organization(
                    current_user,
                    name=form.name.data,
                    kind=form.kind.data,
                    parent=parent,
                    region_code=form.region_code.data,
                    timezone=form.timezone.data,
                )
            else:
                services.update_organization(
                    current_user,
                    org,
                    name=form.name.data,
                    parent=parent,
                    region_code=form.region_code.data,
                    timezone=form.timezone.data,
                    active=form.active.data,
                )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
        else:
            flash(_("Organisasi \u201c%(name)s\u201d tersimpan.", name=org.name), "success")
            return redirect(url_for(".index"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/organization.html", form=form, org=org), status


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@admin_required
def user(user_id: int | None = None):
    """Create or edit an account; deactivation ends the user's sessions."""
    account = _get(User, user_id) if user_id else None
    form = UserForm(
        obj=account if request.method == "GET" else None, orgs=_orgs(), creating=account is None
    )
    if request.method == "POST" and form.validate():
        org = db.session.get(Organization, form.org_id.data)
        try:
            if org is None:
                raise ValidationFailed("", {"org_id": [_("Pilihan tidak valid.")]})
            if account is None:
                account = services.create_user(
                    current_user,
                    email=form.email.data,
                    name=form.name.data,
                    role=form.role.data,
                    org=org,
                    password=form.password.data,
                    nip=form.nip.data,
                    locale=form.locale.data,
                )
            else:
                services.update_user(
                    current_user,
                    account,
                    email=form.email.data,
                    name=form.name.data,
                    role=form.role.data,
                    org=org,
                    active=form.active.data,
                    nip=form.nip.data,
                    locale=form.locale.data,
                    password=form.password.data or None,
                )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
        else:
            flash(_("Akun %(email)s tersimpan.", email=account.email), "success")
            return redirect(url_for(".index"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/user.html", form=form, account=account), status
