"""The participant panel on a program page (htmx panel ``#participants-panel`` with plain-form
fallbacks): list and quota, nominate by NIP, import a file, template downloads, withdraw, and
the designer's confirmation. A program the user may not see is a 404."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from collab.core.export import download
from collab.core.forms import apply_errors
from collab.core.params import NO_VERSION, int_param
from collab.errors import ValidationFailed
from collab.extensions import db, htmx
from collab.participants import imports, services
from collab.participants.forms import ImportForm, NominationForm, ParticipantActionForm
from collab.participants.nip import format_nip
from collab.programs.queries import get_program
from collab.reports.exports import participants_table

bp = Blueprint("participants", __name__, url_prefix="/programs/<id:program_id>/participants")


def participants_context(program, form=None, import_form=None, roster=None) -> dict:
    """What ``participants/_panel.html`` needs (also used by the program page, which passes
    its shared :class:`~collab.programs.queries.Roster` as ``roster``: no statement then)."""
    if roster is not None:
        rows = roster.visible(current_user)
        counts = roster.counts()
    else:
        rows = services.list_participants(current_user, program)
        counts = None
    return dict(
        participant_rows=rows,
        quota_use=services.quota_use(current_user, program, counts),
        nomination_form=form or NominationForm(formdata=None),
        import_form=import_form or ImportForm(formdata=None),
        can_nominate=services.can_nominate(current_user, program),
        can_enrol=services.can_enrol(current_user, program),
        can_withdraw=lambda p: services.can_withdraw(current_user, program, p),
        nominated_count=sum(1 for p in rows if p.status == "nominated"),
        format_nip=format_nip,
        nomination_open=program.status in services.NOMINATION_STATES,
    )


def _detail_url(program_id: int) -> str:
    return url_for("programs.detail", program_id=program_id) + "#participants-panel"


def _panel(program, status: int = 200, **kw):
    """The refreshed panel for htmx; for a plain form a redirect after success, the whole
    program page with the form's errors otherwise."""
    if htmx:
        return render_template(
            "participants/_panel.html", program=program, **participants_context(program, **kw)
        ), status
    if status == 200:
        return redirect(_detail_url(program.id))
    from collab.attachments.views import attachments_context
    from collab.comments.views import panel_context
    from collab.programs.views import _detail_context

    return render_template(
        "programs/detail.html",
        **_detail_context(program),
        **panel_context(program, "program"),
        **attachments_context(program, "program"),
        **participants_context(program, **kw),
    ), status


@bp.get("")
@login_required
def panel(program_id: int):
    """The participant panel (htmx) or the program page at the panel."""
    program = get_program(current_user, program_id)
    if not htmx:
        return redirect(_detail_url(program_id))
    return _panel(program)


@bp.post("")
@login_required
def nominate(program_id: int):
    """Nominate one ASN; errors (422) keep the typed values and show at their fields. Who
    may nominate, and when, is checked before the form (403 / 409 whatever was posted)."""
    program = get_program(current_user, program_id)
    services.check_nominate(current_user, program)
    form = NominationForm()
    if form.validate():
        try:
            p = services.nominate(current_user, program, form.to_data())
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            program = get_program(current_user, program_id)
            apply_errors(form, exc.errors)
        else:
            flash(
                _(
                    "%(name)s (NIP %(nip)s) diusulkan sebagai peserta.",
                    name=p.name,
                    nip=format_nip(p.nip),
                ),
                "success",
            )
            return _panel(program)
    return _panel(program, 422, form=form)


@bp.post("/import")
@login_required
def import_file(program_id: int):
    """Nominate everyone in an XLSX/CSV file, or nobody (errors by row and column). Who may
    nominate, and when, is checked before the file (403 / 409 whatever was posted)."""
    program = get_program(current_user, program_id)
    services.check_nominate(current_user, program)
    form = ImportForm()
    upload = request.files.get("file")
    if form.validate():
        try:
            if upload is None or not upload.filename:
                raise ValidationFailed(
                    _("Pilih berkas XLSX atau CSV."), {"file": [_("Pilih berkas XLSX atau CSV.")]}
                )
            rows = imports.read_upload(upload.filename, upload.stream)
            created = services.nominate_many(current_user, program, rows)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            program = get_program(current_user, program_id)
            apply_errors(form, exc.errors)
            if exc.message not in form.file.errors:
                form.form_errors.insert(0, exc.message)
        else:
            flash(
                ngettext("%(num)s peserta diimpor.", "%(num)s peserta diimpor.", len(created)),
                "success",
            )
            return _panel(program)
    return _panel(program, 422, import_form=form)


def _download(data: bytes, name: str, mimetype: str) -> Response:
    resp = Response(data, content_type=mimetype)  # as given: mimetype= would add a charset again
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@bp.get("/template.xlsx")
@login_required
def template_xlsx(program_id: int):
    """The import template as XLSX (NIP column formatted as text)."""
    get_program(current_user, program_id)
    return _download(imports.template_xlsx(), "templat-peserta.xlsx", imports.XLSX_MIME)


@bp.get("/template.csv")
@login_required
def template_csv(program_id: int):
    """The import template as CSV (UTF-8 with BOM, ``;``)."""
    get_program(current_user, program_id)
    return _download(imports.template_csv(), "templat-peserta.csv", "text/csv; charset=utf-8")


@bp.get("/export.<any(csv, xlsx):fmt>")
@login_required
def export(program_id: int, fmt: str):
    """The participants the user may see (a Pemda user: their own ASN) as CSV or XLSX;
    a program the user may not see is a 404."""
    program = get_program(current_user, program_id)
    return download(participants_table(current_user, program), fmt)


@bp.post("/<id:participant_id>/withdraw")
@login_required
def withdraw(program_id: int, participant_id: int):
    """Withdraw one of one's own Pemda's nominations (before delivery)."""
    program = get_program(current_user, program_id)
    participant = services.get_participant(current_user, program, participant_id)
    form = ParticipantActionForm()
    services.withdraw(
        current_user,
        program,
        participant,
        expected_version=int_param(form.version.data, NO_VERSION),
    )
    db.session.commit()
    flash(_("Usulan peserta %(name)s ditarik.", name=participant.name), "info")
    return _panel(get_program(current_user, program_id))


@bp.post("/<id:participant_id>/enrol")
@login_required
def enrol_one(program_id: int, participant_id: int):
    """Confirm one nominated participant (owner designer)."""
    program = get_program(current_user, program_id)
    participant = services.get_participant(current_user, program, participant_id)
    form = ParticipantActionForm()
    services.enrol(
        current_user,
        program,
        participant,
        expected_version=int_param(form.version.data, NO_VERSION),
    )
    db.session.commit()
    flash(_("%(name)s dikonfirmasi sebagai peserta.", name=participant.name), "success")
    return _panel(get_program(current_user, program_id))


@bp.post("/enrol")
@login_required
def enrol_all(program_id: int):
    """Confirm every nominated participant (owner designer); the form carries the program's
    version."""
    program = get_program(current_user, program_id)
    form = ParticipantActionForm()
    done = services.enrol(
        current_user, program, expected_program_version=int_param(form.version.data, NO_VERSION)
    )
    db.session.commit()
    if done:
        flash(
            ngettext("%(num)s peserta dikonfirmasi.", "%(num)s peserta dikonfirmasi.", len(done)),
            "success",
        )
    else:
        flash(_("Tidak ada peserta yang menunggu konfirmasi."), "info")
    return _panel(get_program(current_user, program_id))
