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
from collab.errors import NotAllowed, StaleObject, ValidationFailed
from collab.extensions import db
from collab.models import CompetencyGap, Need, Organization, Role, User, utcnow
from collab.needs.queries import list_filing_orgs
from collab.workflow import needs as wf
from collab.workflow.base import Party, Transition, available, find


@dataclass
class GapData:
    """One competency gap as entered: ``kind`` (teknis/manajerial/sosial_kultural), ``code``
    (for managerial and socio-cultural), ``name`` (for technical), levels 1–5."""

    kind: str
    name: str | None
    code: str | None
    current_level: int
    target_level: int


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


def _validate(actor: User, data: NeedData) -> None:
    """Rules a form cannot express alone; raises :class:`ValidationFailed` with field errors."""
    errors: dict[str, list[str]] = {}
    if data.org_id not in {o.id for o in list_filing_orgs(actor)}:
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
    if not data.gaps:
        errors.setdefault("gaps", []).append(
            _("Isi sekurang-kurangnya satu kesenjangan kompetensi.")
        )
    for i, gap in enumerate(data.gaps):
        key = f"gaps-{i}"
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
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)


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
    _check_version(need, expected_version)
    if not can_edit_need(actor, need):
        raise NotAllowed(_("Usulan hanya dapat diubah oleh Pemda selama berstatus Draf."))
    _validate(actor, data)
    _apply(need, data)
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
) -> Transition:
    """Move ``need`` by ``action`` (DESIGN.md §3) and write the audit row.

    Raises :class:`NotAllowed` (403) when the actor's role or organisation may not,
    :class:`InvalidTransition` (409) when not possible from the current state (also a double
    submit), :class:`StaleObject` (409) on a version mismatch, :class:`ValidationFailed` (422)
    when a required comment is missing. Returns the transition taken.
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
    if "assign_designer" in t.effects:
        need.assigned_designer_id = actor.id
        need.assigned_designer = actor
    if "stop_sla" in t.effects and need.first_response_at is None and source == "submitted":
        need.first_response_at = now
    db.session.flush()
    record_event(
        actor, "need", need.id, t.action, from_state=source, to_state=t.target, comment=comment
    )
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
