"""Writes on needs. Every function takes the acting user, checks permission and state through
:data:`collab.workflow.needs.NEED_TRANSITIONS`, mutates, writes the audit row and flushes.
None of them commits: the view does, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from collab import labels, reference
from collab.core.audit import record_event
from collab.core.workdays import add_working_days
from collab.errors import InvalidTransition, NotAllowed, StaleObject, ValidationFailed
from collab.extensions import db
from collab.models import CompetencyGap, Need, Organization, Role, User, utcnow
from collab.needs.queries import list_filing_orgs
from collab.workflow import needs as wf
from collab.workflow.base import Party, Transition, available, find, system_row


@dataclass
class GapData:
    """One competency gap as entered: ``kind`` (teknis/manajerial/sosial_kultural), ``code``
    (for managerial and socio-cultural), ``name`` (for technical), levels 1–5."""

    kind: str
    name: str | None
    code: str | None
    current_level: int
    target_level: int
    row: int | None = None  # the form row it came from, so errors land on that row


@dataclass
class NeedData:
    """Everything a Pemda user enters for a need (units as on :class:`collab.models.Need`)."""

    org_id: int
    title: str
    urusan_code: str
    problem_statement: str
    indicator_name: str
    target_jabatan: str
    asn_affected: int
    urgency: str
    urgency_justification: str
    fiscal_year: int
    spm_service_no: int | None = None
    affected_service: str | None = None
    indicator_unit: str | None = None
    indicator_baseline: Decimal | None = None
    indicator_target: Decimal | None = None
    needed_by: date | None = None
    gaps: list[GapData] = field(default_factory=list)


def parties_for(user: User, need: Need) -> set[Party]:
    """How ``user`` relates to ``need`` (see :class:`collab.workflow.base.Party`)."""
    out: set[Party] = set()
    if not user.active:
        return out
    if user.role == Role.PEMDA_OFFICER and need.pemda_id == user.pemda_id:
        if need.org.is_within(user.org):
            out |= {Party.OWN_ORG_OFFICER, Party.OBJECT_PEMDA_USER}
    elif user.role == Role.PEMDA_APPROVER and need.pemda_id == user.pemda_id:
        out |= {Party.PEMDA_APPROVER, Party.OBJECT_PEMDA_USER}
    elif user.role == Role.BKN_DESIGNER:
        out.add(Party.ANY_BKN_DESIGNER)
        if need.assigned_designer_id == user.id:
            out.add(Party.ASSIGNED_DESIGNER)
    elif user.role == Role.BKN_APPROVER:
        out.add(Party.BKN_APPROVER)
    return out


def need_actions(user: User, need: Need) -> list[Transition]:
    """Transitions ``user`` may take on ``need`` now (the buttons the page shows)."""
    return available(wf.NEED_TRANSITIONS, need.status, parties_for(user, need))


def can_edit_need(user: User, need: Need) -> bool:
    """True when ``user`` may edit ``need``'s content: a draft, by its Pemda's users."""
    return need.status in wf.EDITABLE_STATES and Party.OBJECT_PEMDA_USER in parties_for(user, need)


NEED_ACTIONS = frozenset(t.action for t in wf.NEED_TRANSITIONS if "system" not in t.effects)
"""Actions a user may request on a need (anything else is an unknown URL)."""


def check_can_edit_need(user: User, need: Need) -> None:
    """Raise unless ``user`` may edit ``need`` now: :class:`NotAllowed` for other users,
    :class:`InvalidTransition` (409, naming the status) once it has left draft."""
    if Party.OBJECT_PEMDA_USER not in parties_for(user, need):
        raise NotAllowed(_("Usulan hanya dapat diubah oleh Pemda pengusulnya."))
    if need.status not in wf.EDITABLE_STATES:
        raise InvalidTransition(
            _(
                "Usulan tidak dapat diubah lagi karena berstatus %(status)s.",
                status=labels.NEED_STATUS[need.status],
            )
        )


def _validate(actor: User, data: NeedData, current: Need | None = None) -> None:
    """Rules a form cannot express alone; raises :class:`ValidationFailed` with field errors."""
    errors: dict[str, list[str]] = {}
    if data.org_id not in {o.id for o in list_filing_orgs(actor)} and data.org_id != (
        current.org_id if current is not None else None
    ):
        errors.setdefault("org_id", []).append(_("Pilihan tidak valid."))
    if data.urusan_code not in reference.urusan():
        errors.setdefault("urusan_code", []).append(_("Pilihan tidak valid."))
    if data.spm_service_no is not None:
        if data.urusan_code != "1.02":
            errors.setdefault("spm_service_no", []).append(
                _("Jenis layanan SPM kesehatan hanya untuk urusan Kesehatan (1.02).")
            )
        elif data.spm_service_no not in reference.spm_health_services():
            errors.setdefault("spm_service_no", []).append(_("Pilihan tidak valid."))
    for key, messages in gap_errors(data.gaps).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)


def gap_errors(gaps: list[GapData]) -> dict[str, list[str]]:
    """Competency-gap rules (levels 1–5, target above current; technical ones named, managerial
    and socio-cultural ones from the PermenPANRB 38/2017 list). Keys are form field names
    (``gaps-<row>-target_level``); ``gaps`` when there is no gap at all."""
    errors: dict[str, list[str]] = {}
    if not gaps:
        errors["gaps"] = [_("Isi sekurang-kurangnya satu kesenjangan kompetensi.")]
    for i, gap in enumerate(gaps):
        key = f"gaps-{gap.row if gap.row is not None else i}"
        if gap.target_level <= gap.current_level:
            errors.setdefault(f"{key}-target_level", []).append(
                _("Level target harus lebih tinggi dari level saat ini.")
            )
        if gap.kind == "teknis":
            if not gap.name:
                errors.setdefault(f"{key}-name", []).append(
                    _("Nama kompetensi teknis wajib diisi.")
                )
        else:
            comp = reference.competencies().get(gap.code or "")
            if comp is None or comp[0] != gap.kind:
                errors.setdefault(f"{key}-code", []).append(
                    _("Pilih kompetensi dari daftar sesuai jenisnya.")
                )
    return errors


def _apply(need: Need, data: NeedData) -> None:
    org = db.session.get(Organization, data.org_id)
    need.org_id = org.id
    need.org = org
    need.pemda_id = org.pemda_id
    for name in (
        "title",
        "urusan_code",
        "spm_service_no",
        "affected_service",
        "problem_statement",
        "indicator_name",
        "indicator_unit",
        "indicator_baseline",
        "indicator_target",
        "target_jabatan",
        "asn_affected",
        "urgency",
        "urgency_justification",
        "needed_by",
        "fiscal_year",
    ):
        setattr(need, name, getattr(data, name))
    gaps = []
    for i, g in enumerate(data.gaps):
        name = g.name if g.kind == "teknis" else reference.competencies()[g.code][1]
        gaps.append(
            CompetencyGap(
                position=i,
                kind=g.kind,
                code=None if g.kind == "teknis" else g.code,
                name=name,
                current_level=g.current_level,
                target_level=g.target_level,
            )
        )
    need.gaps = gaps


def find_need_by_nonce(actor: User, nonce: str | None) -> Need | None:
    """The need ``actor`` already created with this form nonce (a double-posted form)."""
    if not nonce:
        return None
    return db.session.scalar(
        sa.select(Need).where(Need.created_by_id == actor.id, Need.form_nonce == nonce)
    )


def create_need(actor: User, data: NeedData, *, nonce: str | None = None) -> Need:
    """File a new draft need for one of the actor's organisations.

    Raises :class:`NotAllowed` for non-Pemda users and :class:`ValidationFailed` for bad input.
    A second call with the same ``nonce`` returns the first need unchanged.
    """
    if actor.role not in (Role.PEMDA_OFFICER, Role.PEMDA_APPROVER):
        raise NotAllowed(_("Hanya pengguna Pemda yang dapat membuat usulan kebutuhan."))
    existing = find_need_by_nonce(actor, nonce)
    if existing is not None:
        return existing
    _validate(actor, data)
    need = Need(created_by_id=actor.id, status="draft", form_nonce=nonce)
    _apply(need, data)
    db.session.add(need)
    db.session.flush()
    record_event(actor, "need", need.id, "create", to_state="draft")
    return need


def update_need(actor: User, need: Need, data: NeedData, *, expected_version: int) -> Need:
    """Save edits to a draft. Raises :class:`NotAllowed` unless the actor may edit it now,
    :class:`StaleObject` if it changed since ``expected_version``, :class:`ValidationFailed`."""
    check_can_edit_need(actor, need)
    _check_version(need, expected_version)
    _validate(actor, data, need)
    _apply(need, data)
    need.updated_at = utcnow()  # forces the row UPDATE that bumps version, even for gaps only
    db.session.flush()
    record_event(actor, "need", need.id, "edit", from_state=need.status, to_state=need.status)
    return need


def _check_version(need: Need, expected_version: int | None) -> None:
    if expected_version is None or expected_version != need.version:
        raise StaleObject(
            _(
                "Usulan ini telah diubah sejak Anda membukanya (status sekarang: %(status)s). "
                "Muat ulang halaman untuk melihat data terbaru.",
                status=labels.NEED_STATUS[need.status],
            )
        )


def transition_need(
    actor: User,
    need: Need,
    action: str,
    *,
    expected_version: int | None,
    comment: str | None = None,
    now: datetime | None = None,
    via_program: bool = False,
    data: dict | None = None,
) -> Transition:
    """Move ``need`` by ``action`` (DESIGN.md §3) and write the audit row.

    Raises :class:`NotAllowed` (403) when the actor's role or organisation may not,
    :class:`InvalidTransition` (409) when not possible from the current state (also a double
    submit), :class:`StaleObject` (409) on a version mismatch, :class:`ValidationFailed` (422)
    when a required comment is missing. Returns the transition taken. ``accept`` is only taken
    by :func:`collab.programs.services` (``via_program=True``) when a program links the need.
    """
    now = now or utcnow()
    t = find(
        wf.NEED_TRANSITIONS,
        action,
        need.status,
        parties_for(actor, need),
        state_label=lambda s: labels.NEED_STATUS[s],
        done_message=str(labels.ACTION_DONE.get(action, "")) or None,
        translate=_,
    )
    if "via_program" in t.effects and not via_program:
        raise InvalidTransition(
            _("Usulan diterima dengan menautkannya ke program pengembangan kompetensi.")
        )
    if not via_program:
        _check_version(need, expected_version)
    comment = (comment or "").strip() or None
    if t.comment and not comment:
        raise ValidationFailed(
            _("Isian wajib diisi."),
            {"comment": [_("%(label)s wajib diisi.", label=labels.COMMENT_LABEL[t.comment])]},
        )
    if t.action == "submit" or t.action == "verify":
        _check_complete(need)
    source = need.status
    need.status = t.target
    need.status_changed_at = now
    if "start_sla" in t.effects:
        need.submitted_at = now
        days = current_app.config["SLA_WORKING_DAYS"][need.urgency]
        need.sla_due_at = add_working_days(now, days, need.pemda.timezone)
    if "assign_designer" in t.effects or (
        "assign_designer_if_none" in t.effects and need.assigned_designer_id is None
    ):
        need.assigned_designer_id = actor.id
        need.assigned_designer = actor
    if (
        "stop_sla" in t.effects
        and actor is not None
        and actor.is_bkn
        and need.first_response_at is None
        and source == "submitted"
    ):
        need.first_response_at = now
    db.session.flush()
    record_event(
        actor,
        "need",
        need.id,
        t.action,
        from_state=source,
        to_state=t.target,
        comment=comment,
        data=data,
    )
    if comment and actor is not None:
        from collab.comments.services import add_transition_comment

        add_transition_comment(actor, need, t.action, comment)
    return t


def system_transition_need(
    need: Need,
    action: str,
    *,
    actor: User | None = None,
    now: datetime | None = None,
    data: dict | None = None,
) -> Transition:
    """Apply a system transition (``release``, ``fulfil``) caused by a program's change;
    ``actor`` is the user whose action caused it (kept in the audit row). Raises
    :class:`InvalidTransition` when the need is not in a state the row starts from."""
    t = system_row(wf.NEED_TRANSITIONS, action, need.status)
    source = need.status
    need.status = t.target
    need.status_changed_at = now or utcnow()
    db.session.flush()
    record_event(actor, "need", need.id, t.action, from_state=source, to_state=t.target, data=data)
    return t


def _check_complete(need: Need) -> None:
    missing = [
        name
        for name in ("title", "problem_statement", "indicator_name", "target_jabatan")
        if not getattr(need, name)
    ]
    if missing or not need.gaps:
        raise ValidationFailed(
            _("Usulan belum lengkap: lengkapi isian wajib dan kesenjangan kompetensi."),
            {name: [_("Wajib diisi.")] for name in missing},
        )
