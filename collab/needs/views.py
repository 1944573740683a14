"""Needs pages: list with filters, file/edit a draft, detail with timeline, transitions.

Every page works through htmx partials and also as plain HTML forms without JavaScript.
"""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_htmx import make_response as htmx_response
from flask_login import current_user, login_required

from collab import labels, reference
from collab.attachments.views import attachments_context
from collab.comments.views import panel_context
from collab.core.export import download
from collab.core.forms import apply_errors, clean_text, keep_after_conflict
from collab.core.params import int_param
from collab.core.responses import conflict_page, done_redirect, form_page
from collab.errors import InvalidTransition, NotFound, StaleObject, ValidationFailed
from collab.extensions import db, htmx
from collab.needs import queries, services
from collab.needs.forms import NeedForm, TransitionForm
from collab.programs.queries import list_designers, programs_of_need
from collab.programs.services import can_design_for
from collab.reports.exports import needs_table

bp = Blueprint("needs", __name__, url_prefix="/needs")


def _int_arg(name: str, default: int | None = None) -> int | None:
    return int_param(request.args.get(name), default)


def parse_filters() -> queries.NeedFilters:
    """Read list filters from the query string; unknown codes are ignored, never a 500."""
    args = request.args
    return queries.NeedFilters(
        status=[s for s in args.getlist("status") if s in labels.NEED_STATUS],
        urgency=[u for u in args.getlist("urgency") if u in labels.URGENCY],
        urusan=args.get("urusan") if args.get("urusan") in reference.urusan() else None,
        pemda=_int_arg("pemda"),
        province=province_param(args.get("province")),
        fiscal_year=_int_arg("fiscal_year"),
        designer=_int_arg("designer"),
        overdue=args.get("overdue") == "1",
        q=clean_text(args.get("q") or "").strip()[:200] or None,
        mine=args.get("mine") == "1",
    )


def province_param(value: str | None) -> str | None:
    """A province's two-digit Kemendagri code from the query string, or None if unknown."""
    codes = {p["code"] for p in reference.provinces()}
    return value if value in codes else None


def parse_page() -> tuple[int, int]:
    """``page`` (≥ 1; bad values → 1) and ``per_page`` (1–MAX_PER_PAGE)."""
    page = min(max(1, _int_arg("page", 1) or 1), 100_000)
    per_page = _int_arg("per_page", current_app.config["PER_PAGE"]) or 1
    return page, min(max(1, per_page), current_app.config["MAX_PER_PAGE"])


@bp.get("/")
@login_required
def index():
    """The needs list; htmx requests get only the ``#needs-list`` partial."""
    filters = parse_filters()
    page, per_page = parse_page()
    result = queries.list_needs(current_user, filters, page, per_page)
    ctx = dict(
        result=result,
        filters=filters,
        pemda_choices=queries.list_pemda_choices(current_user),
        urusan=reference.urusan(),
        provinces=reference.provinces() if current_user.is_bkn else [],
        designers=list_designers() if current_user.is_bkn else [],
        can_create=current_user.is_pemda,
    )
    if htmx and htmx.target == "needs-list":
        return render_template("needs/_list.html", **ctx)
    return render_template("needs/index.html", **ctx)


@bp.get("/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt: str):
    """The needs list with its current filters as a CSV or XLSX download."""
    return download(needs_table(current_user, parse_filters()), fmt)


def _form_response(form, need, status):
    return form_page("needs/form.html", "needs/_form.html", status, form=form, need=need)


def _conflict_response(form, need):
    return conflict_page("needs/form.html", "needs/_form.html", "#need-form", form=form, need=need)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """File a new need as a draft (Pemda users only)."""
    if not current_user.is_pemda:
        abort(403)
    form = NeedForm(org_choices=queries.list_filing_orgs(current_user))
    if request.method == "GET":
        form.nonce.data = uuid.uuid4().hex
        if form.org_id.choices:
            form.org_id.data = current_user.org_id
        return _form_response(form, None, 200)
    if form.validate():
        existing = services.find_need_by_nonce(current_user, form.nonce.data)
        if existing is not None:
            flash(_("Usulan ini sudah tersimpan sebelumnya."), "info")
            return done_redirect(url_for(".detail", need_id=existing.id))
        try:
            need = services.create_need(current_user, form.to_data(), nonce=form.nonce.data)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
        else:
            flash(
                _("Usulan \u201c%(title)s\u201d tersimpan sebagai draf.", title=need.title),
                "success",
            )
            return done_redirect(url_for(".detail", need_id=need.id))
    return _form_response(form, None, 422)


@bp.route("/<id:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit(need_id: int):
    """Edit a draft need; a stale version answers 409 with the current data."""
    need = queries.get_need(current_user, need_id)
    services.check_can_edit_need(current_user, need)
    form = NeedForm(
        obj=need if request.method == "GET" else None,
        org_choices=queries.list_filing_orgs(current_user, include=need.org),
    )
    if request.method == "GET":
        form.version.data = need.version
        for i, gap in enumerate(need.gaps[: len(form.gaps)]):
            sub = form.gaps[i].form
            sub.kind.data, sub.name.data, sub.code.data = gap.kind, gap.name, gap.code or ""
            sub.current_level.data, sub.target_level.data = gap.current_level, gap.target_level
        for i in range(len(need.gaps), len(form.gaps)):
            sub = form.gaps[i].form
            sub.name.data, sub.code.data = "", ""
        return _form_response(form, need, 200)
    if form.validate():
        try:
            services.update_need(
                current_user, need, form.to_data(), expected_version=_int(form.version.data)
            )
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            apply_errors(form, exc.errors)
        except StaleObject as exc:
            db.session.rollback()
            need = queries.get_need(current_user, need_id)
            keep_after_conflict(form, exc.message, need.version)
            return _conflict_response(form, need)
        else:
            flash(_("Perubahan usulan tersimpan."), "success")
            return done_redirect(url_for(".detail", need_id=need.id))
    return _form_response(form, need, 422)


def _int(value) -> int | None:
    return int_param(value if isinstance(value, str) else str(value or ""))


def _timeline_limit() -> int | None:
    """``?timeline=all`` shows the whole timeline; otherwise the latest events only."""
    return None if request.args.get("timeline") == "all" else queries.TIMELINE_LIMIT


def _detail_context(need, forms=None):
    timeline = queries.need_timeline(need, current_user, _timeline_limit())
    actions = services.need_actions(current_user, need)
    question = None
    if any(t.action == "respond" for t in actions):
        question = next(
            (e.comment for e in reversed(timeline.events) if e.action == "request_info"), None
        )
        if question is None and timeline.hidden:
            question = queries.last_question(need)
    return dict(
        need=need,
        timeline=timeline,
        last_question=question,
        actions=actions,
        can_edit=services.can_edit_need(current_user, need),
        forms=forms or {},
        urusan=reference.urusan(),
        spm=reference.spm_health_services(),
        programs=programs_of_need(current_user, need),
        can_design=can_design_for(current_user, need),
    )


@bp.get("/<id:need_id>")
@login_required
def detail(need_id: int):
    """One need: its content, whose turn it is, the actions the user may take, the timeline
    (the latest events; ``?timeline=all`` for every one)."""
    need = queries.get_need(current_user, need_id)
    return render_template(
        "needs/detail.html",
        **_detail_context(need),
        **panel_context(need, "need"),
        **attachments_context(need, "need"),
    )


@bp.get("/<id:need_id>/timeline")
@login_required
def timeline(need_id: int):
    """The audit timeline partial (htmx target ``#need-timeline``): the latest events, or
    every one with ``?timeline=all``."""
    need = queries.get_need(current_user, need_id, with_gaps=False)
    timeline = queries.need_timeline(need, current_user, _timeline_limit())
    return render_template("needs/_timeline.html", need=need, timeline=timeline)


@bp.post("/<id:need_id>/actions/<action>")
@login_required
def transition(need_id: int, action: str):
    """Take one workflow action. htmx gets the refreshed ``#need-main`` panel; plain forms are
    redirected to the detail page. 403/409 from the service; 422 when a comment is missing."""
    if action not in services.NEED_ACTIONS:
        raise NotFound(_("Tindakan tidak dikenal."))
    need = queries.get_need(current_user, need_id)
    form = TransitionForm()
    if not form.validate():
        return _transition_invalid(need, action, form)
    try:
        t = services.transition_need(
            current_user,
            need,
            action,
            expected_version=_int(form.version.data),
            comment=form.comment.data,
        )
        _commit_keeping_state()
    except ValidationFailed as exc:
        db.session.rollback()
        need = queries.get_need(current_user, need_id)
        apply_errors(form, exc.errors)
        return _transition_invalid(need, action, form)
    except (StaleObject, InvalidTransition) as exc:
        db.session.rollback()
        if not htmx:
            raise
        # someone else acted first: show the need as it is now, with what happened, so the
        # next click is on the current actions (409; app.js swaps responses that retarget)
        flash(str(exc), "warning")
        need = queries.get_need(current_user, need_id)
        return htmx_response(
            render_template("needs/_main.html", **_detail_context(need)),
            409,
            retarget="#need-main",
            reswap="outerHTML",
            trigger={"need-changed": need.id},
        )
    message = _(
        "%(done)s Status sekarang: %(status)s.",
        done=labels.ACTION_DONE[t.action],
        status=labels.NEED_STATUS[t.target],
    )
    if htmx:
        flash(message, "success")
        # ``need`` (and the user) hold exactly what was just committed: no re-reading
        return htmx_response(
            render_template("needs/_main.html", **_detail_context(need)),
            200,
            trigger={"need-changed": need.id},
        )
    flash(message, "success")
    return redirect(url_for(".detail", need_id=need.id))


def _commit_keeping_state() -> None:
    """Commit without expiring the session's objects, so the answer is rendered from the state
    just written instead of reading the user, the need and its gaps again."""
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def _transition_invalid(need, action, form):
    ctx = _detail_context(need, forms={action: form})
    ctx["open_action"] = action
    if htmx:
        return render_template("needs/_main.html", **ctx), 422
    return render_template(
        "needs/detail.html",
        **ctx,
        **panel_context(need, "need"),
        **attachments_context(need, "need"),
    ), 422
