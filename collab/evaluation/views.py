"""The evaluation panel on a program page (``#evaluation-panel``, htmx with plain-form
fallbacks) and the public questionnaire page ``/r/<token>`` (no login; the form carries its
own CSRF token). A program the user may not see is a 404; another Pemda's participant or need
is a 404; a role that may not write is a 403; bad input is a 422 at the field."""

from __future__ import annotations

from flask import Blueprint, current_app, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from collab.core.forms import apply_errors
from collab.errors import NotFound, ValidationFailed
from collab.evaluation import services
from collab.evaluation.forms import (
    DesignerReactionForm,
    FollowUpForm,
    MeasurementForm,
    ReactionForm,
)
from collab.extensions import csrf, db, htmx
from collab.models.evaluation import REACTION_ASPECTS
from collab.programs.queries import get_program

bp = Blueprint("evaluation", __name__)


def evaluation_context(
    program, user, reaction_form=None, followup_form=None, measure_form=None, roster=None
):
    """What ``evaluation/_panel.html`` needs, as one ``evaluation`` dict (None before the
    program is delivered). ``roster``: the program page's shared
    :class:`~collab.programs.queries.Roster` (participants, answers and follow-ups then come
    from it: one statement for the L4 measurements alone)."""
    if not services.shows_evaluation(program):
        return {"evaluation": None}
    if roster is not None:
        visible = roster.enrolled(user)
        answers = roster.reactions()
        follow = roster.followups()
    else:
        visible = services.enrolled(program, user)
        answers = services.reactions(program)
        follow = services.followups(program)
    can_manage = services.can_manage_reactions(user, program)
    can_follow = services.can_record_followups(user, program)
    own = [p for p in visible if user.is_pemda and p.pemda_id == user.pemda_id]
    own_needs = [n for n in program.needs if user.is_pemda and n.pemda_id == user.pemda_id]
    if can_manage and reaction_form is None:
        reaction_form = DesignerReactionForm(
            formdata=None, participants=[p for p in visible if p.id not in answers]
        )
    if can_follow and followup_form is None:
        followup_form = FollowUpForm(formdata=None, participants=own)
    if can_follow and own_needs and measure_form is None:
        measure_form = MeasurementForm(formdata=None, needs=own_needs)
    return {
        "evaluation": {
            "summary": services.summary(program, current_user, roster),
            "participants": visible,
            "answers": answers,
            "followups": follow,
            "due": services.followup_due(program),
            "status": {p.id: services.followup_status(program, p.id in follow) for p in visible},
            "status_labels": services.FOLLOWUP_STATUS,
            "status_badge": services.FOLLOWUP_BADGE,
            "aspects": REACTION_ASPECTS,
            "aspect_labels": services.ASPECT_LABELS,
            "can_manage": can_manage,
            "can_follow": can_follow and bool(own),
            "can_measure": can_follow and bool(own_needs),
            "reaction_form": reaction_form,
            "followup_form": followup_form,
            "measure_form": measure_form,
            "min_pct": current_app.config["REACTION_MIN_PCT"],
        }
    }


def _panel(program, status=200, **forms):
    if htmx:
        ctx = evaluation_context(program, current_user, **forms)
        return render_template("evaluation/_panel.html", program=program, **ctx), status
    if status == 200:
        return redirect(url_for("programs.detail", program_id=program.id) + "#evaluation-panel")
    from collab.programs.views import detail_page

    return detail_page(program, evaluation_forms=forms), status


@bp.get("/programs/<id:program_id>/evaluation")
@login_required
def panel(program_id: int):
    program = get_program(current_user, program_id)
    if not htmx:
        return redirect(url_for("programs.detail", program_id=program_id) + "#evaluation-panel")
    return _panel(program)


@bp.post("/programs/<id:program_id>/evaluation/links")
@login_required
def links(program_id: int):
    """Generate the personal links and show them once (printable list)."""
    program = get_program(current_user, program_id)
    generated = services.generate_links(current_user, program)
    db.session.commit()
    resp = make_response(
        render_template(
            "evaluation/links.html",
            program=program,
            links=[
                (link, url_for("evaluation.respond", token=link.token, _external=True))
                for link in generated
            ],
        )
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _reaction_data(form):
    return services.ReactionData(
        **{a: form[a].data for a in REACTION_ASPECTS}, comment=form.comment.data
    )


def _submit(program, form, form_key: str, write):
    """Validate ``form``, call ``write`` (one service call) and commit: the refreshed panel;
    on invalid input the panel with ``form`` (as ``form_key``) and its errors, 422."""
    if form.validate():
        try:
            write()
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            program = get_program(current_user, program.id)
            apply_errors(form, exc.errors)
        else:
            return _panel(program)
    return _panel(program, 422, **{form_key: form})


@bp.post("/programs/<id:program_id>/evaluation/reactions")
@login_required
def enter_reaction(program_id: int):
    """The designer enters a participant's questionnaire."""
    program = get_program(current_user, program_id)
    services.check_manage_reactions(current_user, program)
    answers = services.reactions(program)
    form = DesignerReactionForm(
        participants=[p for p in services.enrolled(program) if p.id not in answers]
    )
    return _submit(
        program,
        form,
        "reaction_form",
        lambda: services.enter_reaction(
            current_user, program, form.participant_id.data, _reaction_data(form)
        ),
    )


@bp.post("/programs/<id:program_id>/evaluation/followups")
@login_required
def record_followup(program_id: int):
    """The participant's Pemda records the L3 follow-up."""
    program = get_program(current_user, program_id)
    services.check_pemda_recorder(current_user, program)
    own = services.enrolled(program, current_user)
    form = FollowUpForm(participants=own)
    chosen = form.participant_id.data
    if isinstance(chosen, int) and chosen not in {p.id for p in own}:
        raise NotFound(_("Peserta tidak ditemukan."))  # another Pemda's: unknown to this one
    return _submit(
        program,
        form,
        "followup_form",
        lambda: services.record_followup(
            current_user,
            program,
            form.participant_id.data,
            services.FollowUpData(
                form.supervisor_score.data, form.supervisor_note.data, form.rtl_progress.data
            ),
        ),
    )


@bp.post("/programs/<id:program_id>/evaluation/indicators")
@login_required
def record_indicator(program_id: int):
    """The need's Pemda records the L4 indicator value."""
    program = get_program(current_user, program_id)
    services.check_pemda_recorder(current_user, program)
    own = [n for n in program.needs if n.pemda_id == current_user.pemda_id]
    form = MeasurementForm(needs=own)
    if isinstance(form.need_id.data, int) and form.need_id.data not in {n.id for n in own}:
        raise NotFound(_("Usulan tidak ditemukan."))
    return _submit(
        program,
        form,
        "measure_form",
        lambda: services.record_measurement(
            current_user,
            program,
            services.MeasurementData(
                form.need_id.data, form.value.data, form.measured_on.data, form.note.data
            ),
        ),
    )


# --- the public questionnaire -----------------------------------------------------------------


def _public(template, status, **ctx):
    resp = make_response(render_template(template, **ctx), status)
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return resp


def _gone(exc: services.LinkGone):
    if exc.reason == "used":
        message = _("Kuesioner ini sudah diisi. Terima kasih atas tanggapan Anda.")
    else:
        message = _(
            "Tautan kuesioner ini sudah kedaluwarsa. Hubungi penyelenggara program bila Anda "
            "masih ingin memberi tanggapan."
        )
    return _public("evaluation/public_message.html", 410, message=message, reason=exc.reason)


def _unknown():
    return _public(
        "evaluation/public_message.html",
        404,
        message=_(
            "Tautan kuesioner tidak dikenal. Periksa kembali tautan yang Anda terima; tautan "
            "lama tidak berlaku lagi bila penyelenggara membuat tautan baru."
        ),
        reason="unknown",
    )


@bp.route("/r/<token>", methods=["GET", "POST"])
@csrf.exempt  # no session to protect; the form checks its own CSRF token (422 when missing)
def respond(token: str):
    """The L1 questionnaire behind a personal link: no login, saved once."""
    try:
        row = services.find_token(token)
    except NotFound:
        return _unknown()
    except services.LinkGone as exc:
        return _gone(exc)
    participant = row.participant
    program = db.session.get(services.Program, participant.program_id)
    form = ReactionForm()
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                services.submit_reaction(token, _reaction_data(form))
                db.session.commit()
            except NotFound:
                db.session.rollback()
                return _unknown()
            except services.LinkGone as exc:
                db.session.rollback()
                return _gone(exc)
            except ValidationFailed as exc:
                db.session.rollback()
                apply_errors(form, exc.errors)
            else:
                return _public(
                    "evaluation/public_message.html",
                    200,
                    message=_("Terima kasih, tanggapan Anda tersimpan."),
                    reason="saved",
                )
        status = 422
    return _public(
        "evaluation/respond.html",
        status,
        form=form,
        participant=participant,
        program=program,
        aspects=REACTION_ASPECTS,
        aspect_labels=services.ASPECT_LABELS,
    )
