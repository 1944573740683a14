"""Comment threads on need and program pages (htmx panel ``#comments-panel``, with plain-form
fallbacks)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.attachments import services as attachment_services
from collab.attachments.views import uploads_from_request
from collab.comments import services
from collab.comments.forms import CommentForm
from collab.comments.render import render_markdown
from collab.core.forms import apply_errors
from collab.core.params import int_param
from collab.errors import NotAllowed, ValidationFailed
from collab.extensions import db, htmx
from collab.needs.queries import get_need
from collab.programs.queries import get_program

bp = Blueprint("comments", __name__)


def _parent(entity: str, entity_id: int):
    if entity == "need":
        return get_need(current_user, entity_id, with_gaps=False)
    return get_program(current_user, entity_id)


def _parent_url(entity: str, entity_id: int) -> str:
    if entity == "need":
        return url_for("needs.detail", need_id=entity_id) + "#comments-panel"
    return url_for("programs.detail", program_id=entity_id) + "#comments-panel"


def panel_context(parent, entity: str, form=None, editing=None):
    """What ``comments/_panel.html`` needs (also used by the need and program pages)."""
    comments = services.list_comments(current_user, parent)
    return dict(
        comments=comments,
        comment_files=attachment_services.comment_attachments(comments),
        comment_file_accept=",".join(attachment_services.ALLOWED_EXTENSIONS),
        comment_form=form or CommentForm(formdata=None),
        editing_comment=editing,
        can_edit_comment=lambda c: services.can_edit_comment(current_user, c),
        can_post=current_user.role != "admin",
        markdown=render_markdown,
        post_url=url_for("comments.post_" + entity, **{f"{entity}_id": parent.id}),
    )


def _panel(parent, entity, status=200, **kw):
    if not htmx and status == 200:
        return redirect(_parent_url(entity, parent.id))
    return render_template("comments/_panel.html", **panel_context(parent, entity, **kw)), status


def _post(entity: str, entity_id: int):
    parent = _parent(entity, entity_id)
    form = CommentForm()
    if form.validate():
        try:
            attachment_services.add_comment_with_attachments(
                current_user,
                parent,
                form.body.data,
                form.visibility.data,
                uploads_from_request(),
            )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
        else:
            flash(_("Catatan terkirim."), "success")
            return _panel(parent, entity)
    return _panel(parent, entity, 422, form=form)


@bp.route("/needs/<id:need_id>/comments", methods=["GET", "POST"])
@login_required
def post_need(need_id: int):
    """The need's comment panel (GET) or a new comment on it (POST)."""
    if _is_post():
        return _post("need", need_id)
    parent = _parent("need", need_id)
    if not htmx:
        return redirect(_parent_url("need", need_id))
    template = (
        "comments/_list.html" if request.args.get("part") == "list" else "comments/_panel.html"
    )
    return render_template(template, **panel_context(parent, "need"))


@bp.route("/programs/<id:program_id>/comments", methods=["GET", "POST"])
@login_required
def post_program(program_id: int):
    """The program's comment panel (GET) or a new comment on it (POST)."""
    if _is_post():
        return _post("program", program_id)
    parent = _parent("program", program_id)
    if not htmx:
        return redirect(_parent_url("program", program_id))
    template = (
        "comments/_list.html" if request.args.get("part") == "list" else "comments/_panel.html"
    )
    return render_template(template, **panel_context(parent, "program"))


def comment_panel(comment_id: int):
    """The comment panel of the need or program that comment ``comment_id`` belongs to (after
    one of its files was deleted); a redirect to the page for plain requests."""
    comment = services.get_comment(current_user, comment_id)
    parent = _parent(comment.entity_type, comment.entity_id)
    return _panel(parent, comment.entity_type)


def _is_post() -> bool:
    return request.method == "POST"


@bp.route("/comments/<id:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit(comment_id: int):
    """Edit one's own comment within 15 minutes (the panel shows the comment as a form)."""
    comment = services.get_comment(current_user, comment_id)
    parent = _parent(comment.entity_type, comment.entity_id)
    form = CommentForm(obj=comment if not _is_post() else None)
    if _is_post():
        if form.validate():
            try:
                services.edit_comment(
                    current_user,
                    comment,
                    form.body.data,
                    expected_version=int_param(form.version.data),
                )
                db.session.commit()
            except ValidationFailed as exc:
                db.session.rollback()
                apply_errors(form, exc.errors)
            else:
                flash(_("Catatan diperbarui."), "success")
                return _panel(parent, comment.entity_type)
        return _panel(parent, comment.entity_type, 422, editing=comment.id, form=form)
    if not services.can_edit_comment(current_user, comment):
        raise NotAllowed(_("Catatan hanya dapat diubah penulisnya dalam 15 menit."))
    form.version.data = comment.version
    return render_template(
        "comments/_panel.html",
        **panel_context(parent, comment.entity_type, form=form, editing=comment.id),
    )


@bp.post("/comments/<id:comment_id>/delete")
@login_required
def delete(comment_id: int):
    """Delete one's own comment; a "catatan dihapus" marker stays in the thread."""
    comment = services.get_comment(current_user, comment_id)
    parent = _parent(comment.entity_type, comment.entity_id)
    services.delete_comment(current_user, comment)
    db.session.commit()
    flash(_("Catatan dihapus."), "info")
    return _panel(parent, comment.entity_type)
