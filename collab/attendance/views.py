"""The attendance grid (participants × sessions) and the scores grid on the program page.

Each attendance cell is set inline with htmx (the select posts on change and gets its cell
back); without JavaScript every select belongs to its session's column form, saved as a
whole. "Semua hadir" fills a session's empty cells with Hadir. Only the owner designer
writes (403 otherwise); a Pemda user sees their own Pemda's participants, read-only.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_htmx import make_response as htmx_response
from flask_login import current_user, login_required

from collab.attendance import imports, services
from collab.attendance.forms import ScoreForm, ScoreImportForm
from collab.core.forms import apply_errors
from collab.errors import NotFound, ValidationFailed
from collab.extensions import db, htmx
from collab.programs import queries as program_queries

bp = Blueprint("attendance", __name__, url_prefix="/programs")


def grid_context(program, user, score_forms=None, score_import_form=None, roster=None) -> dict:
    """What the program page needs for the attendance and scores grids (two statements
    while the program is in or after delivery, none before; one when ``roster``, the page's
    shared :class:`~collab.programs.queries.Roster`, gives the participants)."""
    if not services.shows_grid(program):
        return {"show_attendance": False}
    if roster is not None:
        participants = roster.enrolled(user)
    else:
        participants = services.enrolled_participants(program, user)
    att = services.attendance_map(program)
    return {
        "show_attendance": True,
        "enrolled": participants,
        "att": att,
        "att_statuses": services.STATUSES,
        "att_labels": services.LABELS,
        "can_record": services.can_record_attendance(user, program),
        "can_score": services.can_record_scores(user, program),
        "completions": services.completion_map(program, participants, att),
        "score_forms": score_forms or {},
        "can_import_scores": imports.can_import(user, program),
        "score_import_form": score_import_form or ScoreImportForm(formdata=None),
        "missing_by_session": {
            s.id: sum(1 for p in participants if (s.id, p.id) not in att) for s in program.sessions
        },
    }


def _program(program_id: int):
    return program_queries.get_program(current_user, program_id)


def _grid_response(program, status=200, trigger=False):
    ctx = {"program": program, **grid_context(program, current_user)}
    body = render_template("attendance/_grid.html", **ctx)
    if trigger:
        return htmx_response(body, status, trigger="attendance-changed")
    return body, status


@bp.get("/<id:program_id>/scores")
@login_required
def scores(program_id: int):
    """The scores grid alone (refreshed by htmx after attendance changes)."""
    program = _program(program_id)
    if not services.shows_grid(program):
        raise NotFound(_("Nilai belum tersedia."))
    ctx = {"program": program, **grid_context(program, current_user)}
    return render_template("attendance/_scores.html", **ctx)


@bp.post("/<id:program_id>/attendance/<id:session_id>/<id:participant_id>")
@login_required
def set_cell(program_id: int, session_id: int, participant_id: int):
    """Set one cell; htmx gets the cell (``<td>``) back, 422 with the message on a bad value."""
    program = _program(program_id)
    value = request.form.get(f"p-{participant_id}") or request.form.get("status")
    try:
        services.set_attendance(current_user, program, session_id, participant_id, value)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        program = _program(program_id)
        error = exc.errors.get("status", [exc.message])[0]
        return _cell(program, session_id, participant_id, error), 422
    program = _program(program_id)
    if htmx:
        return htmx_response(
            _cell(program, session_id, participant_id), 200, trigger="attendance-changed"
        )
    flash(_("Presensi tersimpan."), "success")
    return redirect(url_for("programs.detail", program_id=program_id) + "#attendance")


def _cell(program, session_id, participant_id, error=None):
    session = services.get_session(program, session_id)
    participant = services.get_enrolled(program, participant_id)
    att = services.attendance_map(program)
    return render_template(
        "attendance/_cell.html",
        program=program,
        s=session,
        p=participant,
        value=att.get((session_id, participant_id)),
        can_record=services.can_record_attendance(current_user, program),
        att_statuses=services.STATUSES,
        att_labels=services.LABELS,
        error=error,
    )


@bp.post("/<id:program_id>/attendance/<id:session_id>")
@login_required
def save_column(program_id: int, session_id: int):
    """Save a whole session column (the plain-form fallback): fields ``p-<participant id>``."""
    program = _program(program_id)
    statuses = {}
    for key, value in request.form.items():
        if key.startswith("p-") and key[2:].isdigit():
            statuses[int(key[2:])] = value
    try:
        changed = services.set_session_attendance(current_user, program, session_id, statuses)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        if htmx:
            return _grid_response(_program(program_id), 422)
        flash(exc.errors.get("status", [exc.message])[0], "danger")
        return redirect(url_for("programs.detail", program_id=program_id) + "#attendance")
    if htmx:
        return _grid_response(_program(program_id), trigger=True)
    flash(_("Presensi sesi tersimpan (%(n)s diubah).", n=changed), "success")
    return redirect(url_for("programs.detail", program_id=program_id) + "#attendance")


@bp.post("/<id:program_id>/attendance/<id:session_id>/all-present")
@login_required
def all_present(program_id: int, session_id: int):
    """ "Semua hadir": empty cells of the session become Hadir."""
    program = _program(program_id)
    changed = services.mark_all_present(current_user, program, session_id)
    db.session.commit()
    if htmx:
        return _grid_response(_program(program_id), trigger=True)
    flash(
        ngettext("%(num)s peserta ditandai hadir.", "%(num)s peserta ditandai hadir.", changed),
        "success",
    )
    return redirect(url_for("programs.detail", program_id=program_id) + "#attendance")


@bp.post("/<id:program_id>/scores/<id:participant_id>")
@login_required
def set_scores(program_id: int, participant_id: int):
    """Save one participant's pre/post-test scores; htmx gets the row back (422 with the
    message at the cell for a bad value)."""
    program = _program(program_id)
    services.check_can_record_scores(current_user, program)  # NotAllowed → 403
    participant = services.get_enrolled(program, participant_id)
    form = ScoreForm()
    if form.validate():
        try:
            services.set_scores(
                current_user, program, participant.id, form.pre_score.data, form.post_score.data
            )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            for name, messages in exc.errors.items():
                getattr(form, name).errors = list(messages)
        else:
            if not htmx:
                flash(_("Nilai tersimpan."), "success")
                return redirect(url_for("programs.detail", program_id=program_id) + "#scores")
            return _score_row(_program(program_id), participant_id, None)
    program = _program(program_id)
    if htmx:
        return _score_row(program, participant_id, form), 422
    from collab.programs.views import detail_page

    return detail_page(program, score_forms={participant_id: form}), 422


def _score_row(program, participant_id, form):
    participant = services.get_enrolled(program, participant_id)
    att = services.attendance_map(program)
    return render_template(
        "attendance/_score_row.html",
        program=program,
        p=participant,
        form=form,
        completions=services.completion_map(program, [participant], att),
        can_score=services.can_record_scores(current_user, program),
    )


# --- import of scores and attendance ----------------------------------------------------------


@bp.post("/<id:program_id>/scores/import")
@login_required
def import_scores(program_id: int):
    """Write the scores and attendance of an XLSX/CSV file, all rows or none (errors by row
    and column, 422). htmx gets the scores grid with the outcome and the attendance grid out
    of band; a plain form a redirect, or the program page with the errors."""
    program = _program(program_id)
    imports.check_can_import(current_user, program)  # 403 / 409 before reading the file
    form = ScoreImportForm()
    upload = request.files.get("file")
    if form.validate():
        try:
            if upload is None or not upload.filename:
                message = _("Pilih berkas XLSX atau CSV.")
                raise ValidationFailed(message, {"file": [message]})
            result = imports.import_file(current_user, program, upload.filename, upload.stream)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
            if exc.message not in form.file.errors:
                form.form_errors.insert(0, exc.message)
        else:
            message = ngettext(
                "%(num)s peserta diperbarui.", "%(num)s peserta diperbarui.", result.participants
            )
            if not htmx:
                flash(message, "success")
                return redirect(url_for("programs.detail", program_id=program_id) + "#scores")
            return _import_response(_program(program_id), 200, message=message)
    program = _program(program_id)
    if htmx:
        return _import_response(program, 422, form=form)
    from collab.programs.views import detail_page

    return detail_page(program, score_import_form=form), 422


def _import_response(program, status, form=None, message=None):
    ctx = {"program": program, **grid_context(program, current_user, score_import_form=form)}
    body = render_template("attendance/_scores.html", import_message=message, **ctx)
    if status == 200:
        body += render_template("attendance/_grid.html", oob=True, **ctx)
    return body, status


def _download(data: bytes, name: str, mimetype: str) -> Response:
    resp = Response(data, content_type=mimetype)  # as given: mimetype= would add a charset again
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@bp.get("/<id:program_id>/scores/template.xlsx")
@login_required
def scores_template_xlsx(program_id: int):
    """The import template, one row per enrolled participant (NIP as text)."""
    program = _program(program_id)
    imports.check_can_import(current_user, program)
    return _download(
        imports.template_xlsx(program), f"nilai-presensi-{program.id}.xlsx", imports.XLSX_MIME
    )


@bp.get("/<id:program_id>/scores/template.csv")
@login_required
def scores_template_csv(program_id: int):
    """The import template as CSV (UTF-8 with BOM, ``;``)."""
    program = _program(program_id)
    imports.check_can_import(current_user, program)
    return _download(
        imports.template_csv(program), f"nilai-presensi-{program.id}.csv", "text/csv; charset=utf-8"
    )
