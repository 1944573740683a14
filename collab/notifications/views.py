"""The inbox at ``/notifications``, the navigation's unread count, and e-mail preferences."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from collab.core.params import int_param
from collab.core.responses import done_redirect
from collab.extensions import db, htmx
from collab.needs.queries import Page
from collab.notifications import rules, services
from collab.notifications.forms import EmailPreferencesForm

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def index():
    """The signed-in user's notifications, newest first; ``?unread=1`` for unread only."""
    per_page = current_app.config["PER_PAGE"]
    page = max(1, int_param(request.args.get("page"), 1) or 1)
    unread_only = request.args.get("unread") == "1"
    rows, total = services.list_notifications(current_user, page, per_page, unread_only)
    return render_template(
        "notifications/index.html",
        result=Page(items=rows, page=page, per_page=per_page, total=total),
        unread_only=unread_only,
        render=services.render,
        unread=services.unread_count(current_user),
    )


@bp.get("/count")
@login_required
def count():
    """The navigation badge alone (polled by htmx)."""
    return render_template("notifications/_count.html", unread=services.unread_count(current_user))


@bp.get("/<id:note_id>")
@login_required
def open_item(note_id: int):
    """Mark the notification read and go to its item."""
    note = services.mark_read(current_user, note_id)
    path = services.render(note).path
    db.session.commit()
    return redirect(path)


@bp.post("/<id:note_id>/read")
@login_required
def read(note_id: int):
    """Mark one notification read; htmx gets the updated row."""
    note = services.mark_read(current_user, note_id)
    db.session.commit()
    if htmx:
        return render_template(
            "notifications/_row.html",
            note=note,
            render=services.render,
            oob_count=True,
            unread=services.unread_count(current_user),
        )
    return redirect(url_for(".index"))


@bp.post("/read-all")
@login_required
def read_all():
    """Mark every notification read."""
    changed = services.mark_all_read(current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)s pemberitahuan ditandai sudah dibaca.",
            "%(num)s pemberitahuan ditandai sudah dibaca.",
            changed,
        ),
        "success",
    )
    return done_redirect(url_for(".index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """E-mail on/off per kind of notification (in-app notifications always arrive)."""
    prefs = (current_user.preferences or {}).get("email", {})
    if request.method == "POST":
        form = EmailPreferencesForm()
        if form.validate():
            services.set_email_preferences(
                current_user, {k: getattr(form, k).data for k in rules.KINDS}
            )
            db.session.commit()
            flash(_("Pengaturan e-mail pemberitahuan disimpan."), "success")
            return redirect(url_for(".settings"))
        return render_template("notifications/settings.html", form=form), 422
    form = EmailPreferencesForm(data={k: prefs.get(k, True) for k in rules.KINDS})
    return render_template("notifications/settings.html", form=form)
