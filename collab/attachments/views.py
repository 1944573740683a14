"""Attachment panels on need and program pages (htmx panel ``#attachments-panel`` with a
plain-form fallback), downloads and deletion. Comment files are posted with the comment
(:mod:`collab.comments.views`) and listed under it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from collab.attachments import services
from collab.attachments.forms import AttachmentForm
from collab.core.forms import apply_errors
from collab.errors import NotFound, ValidationFailed
from collab.extensions import db, htmx

bp = Blueprint("attachments", __name__)


def uploads_from_request() -> list[services.Upload]:
    """The files of ``<input type=file multiple name=files>`` (the empty part a browser sends
    when no file was chosen is left out)."""
    return [
        services.Upload(f.filename or "", f.stream)
        for f in request.files.getlist("files")
        if f.filename
    ]


def attachments_context(parent, entity: str, form=None) -> dict:
    """What ``attachments/_panel.html`` needs (also used by the need and program pages)."""
    return dict(
        attachments=services.list_attachments(parent),
        attachment_form=form or AttachmentForm(formdata=None),
        can_upload=current_user.role != "admin",
        upload_url=url_for(f"attachments.{entity}", **{f"{entity}_id": parent.id}),
        attachment_accept=",".join(services.ALLOWED_EXTENSIONS),
    )


def _parent_url(entity: str, entity_id: int, anchor: str = "#attachments-panel") -> str:
    if entity == "need":
        return url_for("needs.detail", need_id=entity_id) + anchor
    return url_for("programs.detail", program_id=entity_id) + anchor


def _panel(parent, entity: str, status: int = 200, **kw):
    if not htmx and status == 200:
        return redirect(_parent_url(entity, parent.id))
    body = render_template("attachments/_panel.html", **attachments_context(parent, entity, **kw))
    headers = {"HX-Trigger": "need-changed"} if entity == "need" and status == 200 else {}
    return body, status, headers


def _upload(entity: str, entity_id: int):
    parent = services.get_parent(current_user, entity, entity_id)
    if request.method != "POST":
        return _panel(parent, entity)
    form = AttachmentForm()
    if form.validate():
        try:
            rows = services.add_attachments(current_user, parent, uploads_from_request())
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
        else:
            flash(
                ngettext("%(num)s lampiran diunggah.", "%(num)s lampiran diunggah.", len(rows)),
                "success",
            )
            return _panel(parent, entity)
    return _panel(parent, entity, 422, form=form)


@bp.route("/needs/<id:need_id>/attachments", methods=["GET", "POST"])
@login_required
def need(need_id: int):
    """The need's attachment panel (GET) or new files on it (POST, all or none)."""
    return _upload("need", need_id)


@bp.route("/programs/<id:program_id>/attachments", methods=["GET", "POST"])
@login_required
def program(program_id: int):
    """The program's attachment panel (GET) or new files on it (POST, all or none)."""
    return _upload("program", program_id)


@bp.get("/attachments/<id:attachment_id>")
@login_required
def download(attachment_id: int):
    """The file, always as a download (``Content-Disposition: attachment`` with an RFC 5987
    ``filename*``), with its recognised type and ``nosniff``; never shown inline."""
    att = services.get_attachment(current_user, attachment_id)
    path = services.file_path(att)
    if not path.is_file():
        raise NotFound(_("Berkas lampiran tidak ditemukan."))
    resp = send_file(
        path,
        mimetype=att.content_type,
        as_attachment=True,
        download_name=att.original_name,
        conditional=True,
        etag=att.sha256,
        max_age=0,
    )
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp


@bp.post("/attachments/<id:attachment_id>/delete")
@login_required
def delete(attachment_id: int):
    """Delete one's own attachment (the file is removed from disk after commit)."""
    att = services.get_attachment(current_user, attachment_id)
    services.delete_attachment(current_user, att)
    db.session.commit()
    flash(_("Lampiran dihapus."), "info")
    if att.entity_type == "comment":
        from collab.comments.views import comment_panel

        return comment_panel(att.entity_id)
    parent = services.get_parent(current_user, att.entity_type, att.entity_id)
    return _panel(parent, att.entity_type)
