"""Program pages: list, design form, detail with status and sign-off panels, revisions,
sessions, transitions. htmx partials with full-page fallbacks, as for needs."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_htmx import make_response as htmx_response
from flask_login import current_user, login_required

from collab import labels, reference
from collab.attachments.views import attachments_context
from collab.attendance.views import grid_context
from collab.comments.views import panel_context
from collab.core.export import download
from collab.core.forms import apply_errors, clean_text, keep_after_conflict
from collab.core.i18n import zone_abbr
from collab.core.responses import conflict_page, done_redirect, form_page
from collab.errors import NotFound, StaleObject, ValidationFailed
from collab.extensions import db, htmx
from collab.models import Organization, Role
from collab.needs.queries import list_pemda_choices
from collab.needs.views import _int, _int_arg, parse_page, province_param
from collab.participants.views import participants_context
from collab.programs import queries, services
from collab.programs.forms import ProgramForm, ProgramTransitionForm, SessionForm
from collab.reports.exports import programs_table

bp = Blueprint("programs", __name__, url_prefix="/programs")


def parse_filters() -> queries.ProgramFilters:
    """List filters from the query string; unknown values are ignored."""
    args = request.args
    return queries.ProgramFilters(
        status=[s for s in args.getlist("status") if s in labels.PROGRAM_STATUS],
        pemda=_int_arg("pemda"),
        province=province_param(args.get("province")),
        urusan=args.get("urusan") if args.get("urusan") in reference.urusan() else None,
        fiscal_year=_int_arg("fiscal_year"),
        designer=_int_arg("designer"),
        overdue=args.get("overdue") == "1",
        q=clean_text(args.get("q") or "").strip()[:200] or None,
    )


def _turns(programs) -> dict[int, str]:
    """Whose turn on each listed program (two statements for the proposals among them)."""
    pending = queries.list_pending_parties(programs)
    turns = {p.id: services.program_turn(p, list(pending.get(p.id, {}))) for p in programs}
    return {k: v for k, v in turns.items() if v}


@bp.get("/")
@login_required
def index():
    """The program list; htmx requests get the ``#programs-list`` partial."""
    filters = parse_filters()
    page, per_page = parse_page()
    result = queries.list_programs(current_user, filters, page, per_page)
    ids = [p.id for p in result.items]
    ctx = dict(
        result=result,
        filters=filters,
        partners=queries.partner_names(ids),
        jp=queries.total_jp(ids),
        turns=_turns(result.items),
        pemda_choices=list_pemda_choices(current_user),
        designers=queries.list_designers(),
        urusan=reference.urusan(),
        provinces=reference.provinces() if current_user.is_bkn else [],
        can_create=current_user.role == Role.BKN_DESIGNER,
    )
    if htmx and htmx.target == "programs-list":
        return render_template("programs/_list.html", **ctx)
    return render_template("programs/index.html", **ctx)


@bp.get("/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str):
    """The program list with its current filters as a CSV or XLSX download."""
    return download(programs_table(current_user, parse_filters()), fmt)


def _form(program=None, formdata=None):
    """The program form; on GET filled from ``program``, on POST only from what was posted
    (so a missing ``version`` stays missing and is refused as stale)."""
    needs = services.linkable_needs(current_user, program)
    pemda_ids = sorted({n.pemda_id for n in needs})
    pemdas = [db.session.get(Organization, pid) for pid in pemda_ids]
    if formdata is False:
        form = ProgramForm(formdata=None, obj=program, needs=needs, pemda_choices=pemdas)
    else:
        form = ProgramForm(needs=needs, pemda_choices=pemdas)
    form.add_blank_rows(pemda_count=len(pemdas))
    return form


def _fill_rows(form, program):
    """Put a program's rows into the form's row lists (GET of the edit page)."""
    rows = [
        (form.competencies, program.competencies, ("kind", "name", "code", "target_level")),
        (form.modules, program.modules, ("title", "jp")),
        (form.budget, program.budget_lines, ("source", "description", "amount")),
    ]
    for field_list, items, names in rows:
        for i, item in enumerate(items[: len(field_list)]):
            for name in names:
                value = getattr(item, name)
                field_list[i].form[name].data = value if value is not None else ""
    for i, q in enumerate(program.quotas[: len(form.quotas)]):
        form.quotas[i].form.org_id.data = q.org_id
        form.quotas[i].form.quota.data = q.quota
    form.need_ids.data = [n.id for n in program.needs]
    form.version.data = program.version


def _form_response(form, program, status):
    return form_page(
        "programs/form.html", "programs/_form.html", status, form=form, program=program
    )


def _conflict_response(form, program):
    return conflict_page(
        "programs/form.html", "programs/_form.html", "#program-form", form=form, program=program
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Design a new program from needs (BKN designers only)."""
    if current_user.role != Role.BKN_DESIGNER:
        abort(403)
    if request.method == "GET":
        form = _form(formdata=False)
        chosen = {i for i in (_int(v) for v in request.args.getlist("need")) if i}
        needs = [n for n in services.linkable_needs(current_user) if n.id in chosen]
        if needs:
            form.prefill(services.suggest_from_needs(needs))
        return _form_response(form, None, 200)
    form = _form()
    if form.validate():
        try:
            program = services.create_program(current_user, form.to_data())
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
        else:
            flash(
                _("Program \u201c%(title)s\u201d tersimpan sebagai draf.", title=program.title),
                "success",
            )
            return done_redirect(url_for(".detail", program_id=program.id))
    return _form_response(form, None, 422)


@bp.route("/<id:program_id>/edit", methods=["GET", "POST"])
@login_required
def edit(program_id: int):
    """Edit a draft or a proposal sent back for changes (owner designer only)."""
    program = queries.get_program(current_user, program_id)
    services.check_can_edit_program(current_user, program)
    if request.method == "GET":
        form = _form(program, formdata=False)
        _fill_rows(form, program)
        return _form_response(form, program, 200)
    form = _form(program)
    if form.validate():
        try:
            result = services.update_program(
                current_user, program, form.to_data(), expected_version=_int(form.version.data)
            )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
        except StaleObject as exc:
            db.session.rollback()
            program = queries.get_program(current_user, program_id)
            keep_after_conflict(form, exc.message, program.version)
            return _conflict_response(form, program)
        else:
            flash(_("Perubahan program tersimpan."), "success")
            if result.rezoned_sessions:
                flash(
                    ngettext(
                        "Zona waktu tempat diubah dari %(old)s ke %(new)s; jam lokal %(num)s sesi "
                        "tetap sama (mis. 08.00 %(old)s menjadi 08.00 %(new)s).",
                        "Zona waktu tempat diubah dari %(old)s ke %(new)s; jam lokal %(num)s sesi "
                        "tetap sama (mis. 08.00 %(old)s menjadi 08.00 %(new)s).",
                        result.rezoned_sessions,
                        old=zone_abbr(result.old_zone),
                        new=zone_abbr(program.timezone),
                    ),
                    "info",
                )
            return done_redirect(url_for(".detail", program_id=program.id))
    return _form_response(form, program, 422)


def _detail_context(
    program,
    forms=None,
    session_form=None,
    errors=None,
    score_forms=None,
    score_import_form=None,
    roster=None,
):
    """What ``programs/_main.html`` needs. ``roster``: the page's shared
    :class:`~collab.programs.queries.Roster` (one is made when not given)."""
    roster = roster or queries.Roster(program)
    sign_offs, revisions = queries.sign_offs_and_revisions(program)
    current = {s.party: s for s in sign_offs if s.revision == program.current_revision}
    pending = services.pending_parties(program)
    partner_orgs = {str(n.pemda_id): n.pemda for n in program.needs}
    return dict(
        program=program,
        actions=services.program_actions(current_user, program),
        can_edit=services.can_edit_program(current_user, program),
        can_edit_sessions=services.can_edit_sessions(current_user, program),
        forms=forms or {},
        guard_errors=errors or {},
        sign_offs=sign_offs,
        current_sign_offs=current,
        required=services.required_parties(program),
        pending=pending,
        turn=services.program_turn(program, pending),
        partner_orgs=partner_orgs,
        events=queries.list_program_events(program, current_user),
        revisions=revisions,
        session_form=session_form or SessionForm(formdata=None, zone=program.timezone),
        roster=roster,
        **grid_context(program, current_user, score_forms, score_import_form, roster=roster),
    )


def detail_page(program, evaluation_forms=None, **ctx):
    """The full program page (``ctx``: extra :func:`_detail_context` arguments;
    ``evaluation_forms``: the evaluation panel's forms with their errors)."""
    from collab.evaluation.views import evaluation_context

    roster = queries.Roster(program)
    return render_template(
        "programs/detail.html",
        **_detail_context(program, roster=roster, **ctx),
        **panel_context(program, "program"),
        **attachments_context(program, "program"),
        **participants_context(program, roster=roster),
        **evaluation_context(program, current_user, roster=roster, **(evaluation_forms or {})),
    )


@bp.get("/<id:program_id>")
@login_required
def detail(program_id: int):
    """One program: status and actions, sign-offs, content, needs, sessions, attendance,
    scores, timeline."""
    return detail_page(queries.get_program(current_user, program_id))


@bp.post("/<id:program_id>/actions/<action>")
@login_required
def transition(program_id: int, action: str):
    """Take one workflow action; htmx gets the refreshed ``#program-main`` panel."""
    if action not in services.PROGRAM_ACTIONS:
        raise NotFound(_("Tindakan tidak dikenal."))
    program = queries.get_program(current_user, program_id)
    form = ProgramTransitionForm()
    if not form.validate():
        return _invalid(program, action, form, {})
    try:
        t = services.transition_program(
            current_user,
            program,
            action,
            expected_version=_int(form.version.data),
            expected_revision=_int(form.revision.data),
            comment=form.comment.data,
        )
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        program = queries.get_program(current_user, program_id)
        if "comment" in exc.errors:
            apply_errors(form, {"comment": exc.errors["comment"]})
        return _invalid(program, action, form, exc.errors, exc.message)
    program = queries.get_program(current_user, program_id)
    flash(
        _(
            "%(done)s Status sekarang: %(status)s.",
            done=labels.PROGRAM_ACTION_DONE[t.action],
            status=labels.PROGRAM_STATUS[program.status],
        ),
        "success",
    )
    if htmx:
        return htmx_response(
            render_template("programs/_main.html", **_detail_context(program)),
            200,
            trigger={"program-changed": program.id},
        )
    return redirect(url_for(".detail", program_id=program.id))


def _invalid(program, action, form, errors, message=None):
    guard = {k: v for k, v in errors.items() if k != "comment"}
    ctx = _detail_context(program, forms={action: form}, errors=guard)
    ctx["open_action"] = action
    ctx["guard_message"] = message if guard else None
    if htmx:
        return render_template("programs/_main.html", **ctx), 422
    return render_template(
        "programs/detail.html",
        **ctx,
        **panel_context(program, "program"),
        **attachments_context(program, "program"),
        **participants_context(program, roster=ctx["roster"]),
    ), 422


@bp.get("/<id:program_id>/revisions/<id:number>")
@login_required
def revision(program_id: int, number: int):
    """Revision N frozen at proposal, with what changed from revision N−1, field by field."""
    program = queries.get_program(current_user, program_id)
    rev = queries.get_revision(program, number)
    previous = queries.get_revision(program, number - 1) if number > 1 else None
    changes = services.diff_snapshots(previous.snapshot if previous else None, rev.snapshot)
    return render_template(
        "programs/revision.html",
        program=program,
        rev=rev,
        previous=previous,
        changes=changes,
        field_labels=services.SNAPSHOT_LABELS,
        describe=services.describe,
        revisions=queries.list_revisions(program),
    )


@bp.post("/<id:program_id>/sessions")
@login_required
def add_session(program_id: int):
    """Add a session (times in the program's zone); errors re-render the form in place."""
    program = queries.get_program(current_user, program_id)
    if not services.can_edit_sessions(current_user, program):
        abort(403)
    form = SessionForm(zone=program.timezone)
    if form.validate():
        try:
            services.add_session(current_user, program, form.to_data())
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            program = queries.get_program(current_user, program_id)
            apply_errors(form, exc.errors)
        else:
            flash(_("Sesi ditambahkan."), "success")
            program = queries.get_program(current_user, program_id)
            if htmx:
                return render_template("programs/_main.html", **_detail_context(program))
            return redirect(url_for(".detail", program_id=program.id) + "#sessions")
    ctx = _detail_context(program, session_form=form)
    if htmx:
        return render_template("programs/_main.html", **ctx), 422
    return render_template(
        "programs/detail.html",
        **ctx,
        **panel_context(program, "program"),
        **attachments_context(program, "program"),
        **participants_context(program, roster=ctx["roster"]),
    ), 422


@bp.post("/<id:program_id>/sessions/<id:session_id>/delete")
@login_required
def remove_session(program_id: int, session_id: int):
    """Remove a session before delivery."""
    program = queries.get_program(current_user, program_id)
    services.remove_session(current_user, program, session_id)
    db.session.commit()
    flash(_("Sesi dihapus."), "info")
    program = queries.get_program(current_user, program_id)
    if htmx:
        return render_template("programs/_main.html", **_detail_context(program))
    return redirect(url_for(".detail", program_id=program.id) + "#sessions")
