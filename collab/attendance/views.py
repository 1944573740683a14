"""The attendance grid (participants × sessions) and the scores grid on the program page.

Each attendance cell is set inline with htmx (the select posts on change and gets its cell
back); without JavaScript every select belongs to its session's column form, saved as a
whole. "Semua hadir" fills a session's empty cells with Hadir. Only the owner designer
writes (403 otherwise); a Pemda user sees their own Pemda's participants, read-only.

Every cell carries its version in a hidden ``v-<participant id>`` field of the column form
(so the cell's own post, the column save and "Semua hadir" — a button of that form — all
send the versions the page shows); every scores row carries the participant's ``version``.
A stale or missing version answers 409 with the current cell, grid or row and a message,
nothing saved; a save answers with the new versions, so the same tab goes on saving.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_htmx import make_response as htmx_response
from flask_login import current_user, login_required

from collab.attendance import imports, services
from collab.attendance.forms import ScoreForm, ScoreImportForm
from collab.core.forms import apply_errors
from collab.core.params import NO_VERSION, int_param
from collab.errors import NotFound, StaleObject, ValidationFailed
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
    att, att_versions = services.attendance_cells(program)
    return {
        "show_attendance": True,
        "enrolled": participants,
        "att": att,
        "att_versions": att_versions,
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


def _grid_response(program, status=200, trigger=False, conflict=None):
    ctx = {"program": program, **grid_context(program, current_user)}
    body = render_template("attendance/_grid.html", grid_conflict=conflict, **ctx)
    if trigger:
        return htmx_response(body, status, trigger="attendance-changed")
    return body, status


def _stale(program_id: int, exc: StaleObject, fragment, target: str):
    """409 after a stale save, nothing saved: htmx gets ``fragment`` (the current data with
    the message) swapped over ``target``; a plain form the program page with the message."""
    if htmx:
        resp = make_response(fragment, 409)
        resp.headers["HX-Retarget"] = target
        resp.headers["HX-Reswap"] = "outerHTML"
        return resp
    from collab.programs.views import detail_page

    flash(exc.message, "warning")
    return detail_page(_program(program_id)), 409


def _version(value) -> int:
    """A posted version; :data:`NO_VERSION` (refused as stale) when missing or unreadable."""
    return int_param(value, NO_VERSION)


def _column_fields(form) -> tuple[dict[int, str], dict[int, int]]:
    """A session column's posted ``p-<participant id>`` values and ``v-<participant id>``
    versions."""
    statuses, versions = {}, {}
    for key, value in form.items():
        if key[:2] in ("p-", "v-") and key[2:].isdigit():
            if key[0] == "p":
                statuses[int(key[2:])] = value
            else:
                versions[int(key[2:])] = _version(value)
    return statuses, versions


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
    """Set one cell (fields ``p-<participant id>`` or ``status``, and the cell's version
    ``v-<participant id>`` or ``version``); htmx gets the cell (``<td>``) back with its new
    version, 422 with the message on a bad value, 409 with the current value when stale."""
    program = _program(program_id)
    value = request.form.get(f"p-{participant_id}") or request.form.get("status")
    version = request.form.get(f"v-{participant_id}", request.form.get("version"))
    try:
        services.set_attendance(
            current_user,
            program,
            session_id,
            participant_id,
            value,
            expected_version=_version(version),
        )
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        program = _program(program_id)
        error = exc.errors.get("status", [exc.message])[0]
        return _cell(program, session_id, participant_id, error), 422
    except StaleObject as exc:
        db.session.rollback()
        program = _program(program_id)
        cell = _cell(program, session_id, participant_id, conflict=exc.message)
        return _stale(program_id, exc, cell, f"#att-{session_id}-{participant_id}")
    program = _program(program_id)
    if htmx:
        return htmx_response(
            _cell(program, session_id, participant_id), 200, trigger="attendance-changed"
        )
    flash(_("Presensi tersimpan."), "success")
    return redirect(url_for("programs.detail", program_id=program_id) + "#attendance")


def _cell(program, session_id, participant_id, error=None, conflict=None):
    session = services.get_session(program, session_id)
    participant = services.get_enrolled(program, participant_id)
    att, versions = services.attendance_cells(program)
    key = (session_id, participant_id)
    return render_template(
        "attendance/_cell.html",
        program=program,
        s=session,
        p=participant,
        value=att.get(key),
        version=versions.get(key, services.EMPTY_CELL_VERSION),
        can_record=services.can_record_attendance(current_user, program),
        att_statuses=services.STATUSES,
        att_labels=services.LABELS,
        error=error,
        cell_conflict=conflict,
    )


@bp.post("/<id:program_id>/attendance/<id:session_id>")
@login_required
def save_column(program_id: int, session_id: int):
    """Save a whole session column (the plain-form fallback): fields ``p-<participant id>``
    and the cells' versions ``v-<participant id>``; 409 with the current grid when stale."""
    program = _program(program_id)
    statuses, versions = _column_fields(request.form)
    try:
        changed = services.set_session_attendance(
            current_user, program, session_id, statuses, versions=versions
        )
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        if htmx:
            return _grid_response(_program(program_id), 422)
        flash(exc.errors.get("status", [exc.message])[0], "danger")
        return redirect(url_for("programs.detail", program_id=program_id) + "#attendance")
    except StaleObject as exc:
        return _stale_grid(program_id, exc)
    if htmx:
        return _grid_response(_program(program_id), trigger=True)
    flash(_("Presensi sesi tersimpan (%(n)s diubah).", n=changed), "success")
    return redirect(url_for("programs.detail", program_id=program_id) + "#attendance")


@bp.post("/<id:program_id>/attendance/<id:session_id>/all-present")
@login_required
def all_present(program_id: int, session_id: int):
    """ "Semua hadir": empty cells of the session become Hadir. The button belongs to the
    column form, so it posts the versions of the column's cells (``v-<participant id>``);
    409 with the current grid when the column changed since."""
    program = _program(program_id)
    _, versions = _column_fields(request.form)
    try:
        changed = services.mark_all_present(current_user, program, session_id, versions=versions)
        db.session.commit()
    except StaleObject as exc:
        return _stale_grid(program_id, exc)
    if htmx:
        return _grid_response(_program(program_id), trigger=True)
    flash(
        ngettext("%(num)s peserta ditandai hadir.", "%(num)s peserta ditandai hadir.", changed),
        "success",
    )
    return redirect(url_for("programs.detail", program_id=program_id) + "#attendance")


def _stale_grid(program_id: int, exc: StaleObject):
    db.session.rollback()
    program = _program(program_id)
    body, _status = _grid_response(program, 409, conflict=exc.message)
    return _stale(program_id, exc, body, "#attendance")


@bp.post("/<id:program_id>/scores/<id:participant_id>")
@login_required
def set_scores(program_id: int, participant_id: int):
    """Save one participant's pre/post-test scores with the participant's ``version`` the
    row was loaded at; htmx gets the row back with the new version (422 with the message at
    the cell for a bad value, 409 with the current scores when stale)."""
    program = _program(program_id)
    services.check_can_record_scores(current_user, program)  # NotAllowed → 403
    participant = services.get_enrolled(program, participant_id)
    form = ScoreForm()
    if form.validate():
        try:
            services.set_scores(
                current_user,
                program,
                participant.id,
                form.pre_score.data,
                form.post_score.data,
                expected_version=_version(form.version.data),
            )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            for name, messages in exc.errors.items():
                getattr(form, name).errors = list(messages)
        except StaleObject as exc:
            db.session.rollback()
            program = _program(program_id)
            row = _score_row(program, participant_id, None, conflict=exc.message)
            return _stale(program_id, exc, row, f"#score-row-{participant_id}")
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


def _score_row(program, participant_id, form, conflict=None):
    participant = services.get_enrolled(program, participant_id)
    att = services.attendance_map(program)
    return render_template(
        "attendance/_score_row.html",
        program=program,
        p=participant,
        form=form,
        score_conflict=conflict,
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
