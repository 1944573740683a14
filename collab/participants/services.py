"""Writes and reads on a program's participants (peserta).

A partner Pemda's users (officers and BKPSDM approvers) nominate ASN by NIP or NI PPPK while
the program is approved, scheduled or in delivery, within their Pemda's quota
(:class:`ProgramQuota`); one NIP appears once per program. They may withdraw a nomination
before delivery starts. The program's owner designer confirms (enrols) nominated participants,
one or all at once. Every write is audited on the program (``nominate``,
``withdraw_participant``, ``enrol``); none commits.

A Pemda user sees only their own Pemda's participants; BKN sees all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from collab import labels, reference
from collab.core.audit import record_event
from collab.core.forms import clean_text
from collab.core.i18n import local_today
from collab.errors import InvalidTransition, NotAllowed, NotFound, StaleObject, ValidationFailed
from collab.extensions import db
from collab.models import (
    AsnKind,
    Participant,
    ParticipantStatus,
    Program,
    ProgramQuota,
    Role,
    User,
    utcnow,
)
from collab.needs.queries import EXPORT_BATCH
from collab.participants.nip import NipError, validate_nip
from collab.programs.services import parties_for
from collab.workflow import programs as wf
from collab.workflow.base import Party

NOMINATION_STATES = frozenset({wf.APPROVED, wf.SCHEDULED, wf.IN_DELIVERY})
"""Program states in which a Pemda may nominate and BKN may enrol."""

WITHDRAW_STATES = frozenset({wf.APPROVED, wf.SCHEDULED})
"""Program states in which a nomination may be withdrawn (before delivery starts)."""

ACTIVE = (ParticipantStatus.NOMINATED, ParticipantStatus.ENROLLED)
"""Statuses that take a place in the quota."""

TEXT_MAX = 200
"""Longest name, jabatan or unit (the columns' length)."""

PPPK_GOLONGAN = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII".split()
"""PPPK golongan I–XVII (reference/README.md, golongan_pns.csv note)."""

FIELD_LABELS = {  # the file's column headers, the same in every language
    "nip": "NIP",
    "name": "Nama",
    "jabatan": "Jabatan",
    "unit": "Unit Kerja",
    "golongan": "Golongan",
}
"""Column names of the import file and template, by field (also used in row errors)."""


@dataclass
class ParticipantData:
    """One ASN as entered: ``nip`` (spaces allowed), ``name``, ``jabatan``, ``unit``,
    ``golongan`` (optional; PNS ``III/a``, PPPK ``IX``) and ``kind`` (None: told from the
    NIP)."""

    nip: object
    name: str
    jabatan: str
    unit: str
    golongan: str | None = None
    kind: str | None = None


@dataclass
class QuotaUse:
    """A Pemda's places in a program: ``quota``, ``nominated`` and ``enrolled`` counts."""

    pemda_id: int
    pemda_name: str
    quota: int
    nominated: int = 0
    enrolled: int = 0

    @property
    def used(self) -> int:
        """Places taken (nominated + enrolled)."""
        return self.nominated + self.enrolled

    @property
    def left(self) -> int:
        """Places still free (never negative)."""
        return max(self.quota - self.used, 0)


@dataclass
class CheckedRow:
    """A row that passed the field checks, ready to store."""

    nip: str
    kind: AsnKind
    name: str
    jabatan: str
    unit: str
    golongan: str | None
    errors: dict[str, list[str]] = field(default_factory=dict)


# --- golongan ---------------------------------------------------------------------------------


@cache
def _golongan_keys() -> dict[str, tuple[AsnKind, str]]:
    """``"IIIA"`` → (PNS, ``"III/a"``), ``"IX"`` → (PPPK, ``"IX"``)."""
    out = {
        row["golongan"].upper().replace("/", ""): (AsnKind.PNS, row["golongan"])
        for row in reference._rows("golongan_pns.csv")
    }
    out.update({g: (AsnKind.PPPK, g) for g in PPPK_GOLONGAN})
    return out


def normalize_golongan(value: str | None, kind: AsnKind) -> str | None:
    """``value`` in its usual spelling (``iii/A`` → ``III/a``; ``ix`` → ``IX``) or None when
    blank. Raises ``ValueError`` with a message when it is not a golongan of ``kind``: PNS
    I/a–IV/e, PPPK I–XVII (reference/golongan_pns.csv, reference/README.md)."""
    text = (value or "").strip()
    if not text:
        return None
    key = text.upper().replace(" ", "").replace("/", "")
    found = _golongan_keys().get(key)
    if found is None or found[0] != kind:
        if kind == AsnKind.PPPK:
            raise ValueError(_("Golongan PPPK adalah I sampai XVII (mis. IX)."))
        raise ValueError(_("Golongan PNS adalah I/a sampai IV/e (mis. III/b)."))
    return found[1]


# --- who --------------------------------------------------------------------------------------


def is_partner_user(user: User, program: Program) -> bool:
    """True for an active officer or approver of one of the program's partner Pemda."""
    return (
        user.active
        and user.role in (Role.PEMDA_OFFICER, Role.PEMDA_APPROVER)
        and user.pemda_id is not None
        and user.pemda_id in program.partner_ids
    )


def can_nominate(user: User, program: Program) -> bool:
    """True when ``user`` may nominate participants now."""
    return is_partner_user(user, program) and program.status in NOMINATION_STATES


def can_enrol(user: User, program: Program) -> bool:
    """True when ``user`` (the owner designer) may confirm participants now."""
    return (
        Party.OWNER_DESIGNER in parties_for(user, program) and program.status in NOMINATION_STATES
    )


def can_withdraw(user: User, program: Program, participant: Participant) -> bool:
    """True when ``user`` may withdraw ``participant`` now (their own Pemda, before delivery)."""
    return (
        is_partner_user(user, program)
        and participant.pemda_id == user.pemda_id
        and participant.status in ACTIVE
        and program.status in WITHDRAW_STATES
    )


def check_nominate(actor: User, program: Program) -> None:
    """Raise unless ``actor`` may nominate now: :class:`NotAllowed` (403) for anyone but a
    partner Pemda's users, :class:`InvalidTransition` (409) outside approved/scheduled/in
    delivery."""
    if not is_partner_user(actor, program):
        raise NotAllowed(_("Peserta diusulkan oleh pengguna Pemda mitra program ini."))
    if program.status not in NOMINATION_STATES:
        raise InvalidTransition(
            _(
                "Peserta belum/tidak dapat diusulkan karena program berstatus %(status)s.",
                status=labels.PROGRAM_STATUS[program.status],
            )
        )


def _check_version(program: Program, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != program.version:
        raise StaleObject(_("Program telah diubah pengguna lain. Muat ulang halaman."))


# --- reads ------------------------------------------------------------------------------------


def visible_participants(viewer: User, program: Program) -> sa.Select:
    """``SELECT participant`` of the program's participants ``viewer`` may see (a Pemda user:
    their own Pemda's), by Pemda, then status (withdrawn last), then name."""
    stmt = sa.select(Participant).where(Participant.program_id == program.id)
    if viewer.is_pemda:
        stmt = stmt.where(Participant.pemda_id == viewer.pemda_id)
    order = sa.case((Participant.status == ParticipantStatus.WITHDRAWN, 1), else_=0)
    return stmt.order_by(Participant.pemda_id, order, Participant.name, Participant.id)


def list_participants(viewer: User, program: Program) -> list[Participant]:
    """The program's participants ``viewer`` may see, in :func:`visible_participants` order."""
    return list(db.session.scalars(visible_participants(viewer, program)).unique())


def iter_participants(
    viewer: User, program: Program, batch: int = EXPORT_BATCH
) -> Iterator[Participant]:
    """The participants ``viewer`` may see, one by one, read ``batch`` at a time."""
    stmt = visible_participants(viewer, program).execution_options(yield_per=batch)
    yield from db.session.scalars(stmt)


def quota_use(
    viewer: User, program: Program, counts: dict[tuple[int, str], int] | None = None
) -> list[QuotaUse]:
    """Quota and places taken per partner Pemda (a Pemda user: their own only). ``counts``:
    participants per ``(Pemda id, status)`` when already known (e.g.
    :meth:`collab.programs.queries.Roster.counts`), else counted with one statement."""
    if counts is None:
        counts = {}
        for pemda_id, status, n in db.session.execute(
            sa.select(Participant.pemda_id, Participant.status, sa.func.count())
            .where(Participant.program_id == program.id)
            .group_by(Participant.pemda_id, Participant.status)
        ):
            counts[(pemda_id, str(status))] = n
    out = []
    for q in program.quotas:
        if viewer.is_pemda and q.org_id != viewer.pemda_id:
            continue
        out.append(
            QuotaUse(
                q.org_id,
                q.org.name,
                q.quota,
                counts.get((q.org_id, "nominated"), 0),
                counts.get((q.org_id, "enrolled"), 0),
            )
        )
    return out


def get_participant(viewer: User, program: Program, participant_id: int) -> Participant:
    """One of the program's participants ``viewer`` may see; :class:`NotFound` otherwise."""
    p = db.session.get(Participant, participant_id)
    if (
        p is None
        or p.program_id != program.id
        or (viewer.is_pemda and p.pemda_id != viewer.pemda_id)
    ):
        raise NotFound(_("Peserta tidak ditemukan."))
    return p


# --- checks -----------------------------------------------------------------------------------


def check_row(data: ParticipantData) -> CheckedRow:
    """Field checks of one participant (no database): NIP / NI PPPK, required texts, their
    length, golongan of the right kind. Errors are in ``CheckedRow.errors`` by field."""
    errors: dict[str, list[str]] = {}
    nip, kind = "", AsnKind.PNS
    try:
        info = validate_nip(data.nip, data.kind or None, today=local_today())
    except NipError as exc:
        errors["nip"] = [exc.message]
        if data.kind:
            kind = AsnKind(data.kind)
    else:
        nip, kind = info.nip, info.kind
    texts = {}
    for name in ("name", "jabatan", "unit"):
        value = " ".join(clean_text(str(getattr(data, name) or "")).split())
        if not value:
            errors[name] = [_("%(label)s wajib diisi.", label=FIELD_LABELS[name])]
        elif len(value) > TEXT_MAX:
            errors[name] = [_("Maksimal %(max)d karakter.", max=TEXT_MAX)]
        texts[name] = value
    golongan = None
    if "nip" not in errors or data.kind:
        try:
            golongan = normalize_golongan(data.golongan, kind)
        except ValueError as exc:
            errors["golongan"] = [str(exc)]
    return CheckedRow(nip, kind, golongan=golongan, errors=errors, **texts)


def _existing(program: Program, nips: list[str]) -> dict[str, Participant]:
    if not nips:
        return {}
    rows = db.session.scalars(
        sa.select(Participant).where(
            Participant.program_id == program.id, Participant.nip.in_(nips)
        )
    ).unique()
    return {p.nip: p for p in rows}


def _duplicate_message(actor: User, other: Participant) -> str:
    if other.pemda_id == actor.pemda_id:
        return _(
            "NIP ini sudah terdaftar pada program ini atas nama %(name)s.",
            name=other.name.rstrip("."),
        )
    return _("NIP ini sudah diusulkan Pemda lain pada program ini.")


def _lock_quota(program: Program, pemda_id: int) -> ProgramQuota | None:
    """The Pemda's quota row, locked for the rest of the transaction (``FOR UPDATE`` on
    PostgreSQL, the write lock on SQLite), so that two nominations at once are counted one
    after the other."""
    cond = sa.and_(ProgramQuota.program_id == program.id, ProgramQuota.org_id == pemda_id)
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            sa.update(ProgramQuota).where(cond).values(quota=ProgramQuota.quota),
            execution_options={"synchronize_session": False},
        )
    return db.session.scalars(
        sa.select(ProgramQuota)
        .where(cond)
        .with_for_update(of=ProgramQuota)
        .execution_options(populate_existing=True)
    ).first()


def _places_left(program: Program, pemda_id: int) -> int:
    quota = _lock_quota(program, pemda_id)
    used = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Participant)
        .where(
            Participant.program_id == program.id,
            Participant.pemda_id == pemda_id,
            Participant.status.in_(ACTIVE),
        )
    )
    return max((quota.quota if quota else 0) - used, 0)


def _quota_message(left: int, wanted: int) -> str:
    if left == 0:
        return _("Kuota Pemda Anda pada program ini sudah penuh.")
    return ngettext(
        "Sisa kuota Pemda Anda %(num)s peserta; yang diusulkan %(n)s.",
        "Sisa kuota Pemda Anda %(num)s peserta; yang diusulkan %(n)s.",
        left,
        n=wanted,
    )


def _store(actor: User, program: Program, row: CheckedRow, reuse: Participant | None, now):
    p = reuse or Participant(program_id=program.id, nip=row.nip)
    p.pemda_id = actor.pemda_id
    p.kind = row.kind
    p.name, p.jabatan, p.unit, p.golongan = row.name, row.jabatan, row.unit, row.golongan
    p.status = ParticipantStatus.NOMINATED
    p.nominated_by_id, p.nominated_at = actor.id, now
    p.enrolled_by_id = p.enrolled_at = None
    if reuse is None:
        db.session.add(p)
    return p


def _audit_nomination(actor, program, participants, source):
    record_event(
        actor,
        "program",
        program.id,
        "nominate",
        data={
            "count": len(participants),
            "participant_ids": [p.id for p in participants],
            "pemda": actor.org.pemda.name if actor.org.pemda else None,
            "source": source,
        },
    )


# --- writes -----------------------------------------------------------------------------------


def nominate(actor: User, program: Program, data: ParticipantData) -> Participant:
    """Nominate one ASN for ``actor``'s Pemda. Raises :class:`NotAllowed` (not a partner
    Pemda user), :class:`InvalidTransition` (program not approved/scheduled/in delivery),
    :class:`ValidationFailed` with field errors (``nip``, ``name``, ``jabatan``, ``unit``,
    ``golongan``; a NIP already in the program under ``nip``; a full quota under ``quota``).
    A NIP whose earlier nomination was withdrawn is nominated again on the same row."""
    check_nominate(actor, program)
    row = check_row(data)
    errors = dict(row.errors)
    reuse = None
    if "nip" not in errors:
        other = _existing(program, [row.nip]).get(row.nip)
        if other is not None and other.status in ACTIVE:
            errors["nip"] = [_duplicate_message(actor, other)]
        reuse = other
    if errors:
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), errors)
    left = _places_left(program, actor.pemda_id)
    if left < 1:
        raise ValidationFailed(_quota_message(left, 1), {"quota": [_quota_message(left, 1)]})
    p = _store(actor, program, row, reuse, utcnow())
    db.session.flush()
    _audit_nomination(actor, program, [p], "form")
    return p


def nominate_many(
    actor: User, program: Program, rows: list[tuple[int, ParticipantData]]
) -> list[Participant]:
    """Nominate every row of an import, or none. ``rows`` are ``(row number, data)`` as the
    file numbers them. Raises :class:`ValidationFailed` with every problem under ``file``,
    each naming its row and column ("Baris 4, kolom NIP: …"): field errors, a NIP twice in
    the file or already in the program, and, for the whole file, a quota too small."""
    check_nominate(actor, program)
    messages: list[str] = []
    checked: list[tuple[int, CheckedRow]] = []
    seen: dict[str, int] = {}
    for number, data in rows:
        row = check_row(data)
        for name in ("nip", "name", "jabatan", "unit", "golongan"):
            for msg in row.errors.get(name, []):
                messages.append(
                    _(
                        "Baris %(row)s, kolom %(col)s: %(msg)s",
                        row=number,
                        col=FIELD_LABELS[name],
                        msg=msg,
                    )
                )
        if "nip" not in row.errors:
            if row.nip in seen:
                messages.append(
                    _(
                        "Baris %(row)s, kolom NIP: NIP yang sama sudah ada di baris %(first)s.",
                        row=number,
                        first=seen[row.nip],
                    )
                )
            else:
                seen[row.nip] = number
        checked.append((number, row))
    if not rows:
        messages.append(_("Berkas tidak berisi satu baris peserta pun."))
    existing = _existing(program, list(seen))
    for nip, number in seen.items():
        other = existing.get(nip)
        if other is not None and other.status in ACTIVE:
            messages.append(
                _(
                    "Baris %(row)s, kolom NIP: %(msg)s",
                    row=number,
                    msg=_duplicate_message(actor, other),
                )
            )
    if rows:
        left = _places_left(program, actor.pemda_id)
        if len(rows) > left:
            messages.append(_quota_message(left, len(rows)))
    if messages:
        raise ValidationFailed(
            _("Berkas tidak diimpor; tidak ada peserta yang disimpan."), {"file": messages}
        )
    now = utcnow()
    out = [_store(actor, program, row, existing.get(row.nip), now) for _n, row in checked]
    db.session.flush()
    _audit_nomination(actor, program, out, "import")
    return out


def withdraw(
    actor: User, program: Program, participant: Participant, expected_version: int | None = None
) -> None:
    """Withdraw a nomination (or an enrolment) of ``actor``'s Pemda before delivery starts;
    the row stays, ``withdrawn``. :class:`NotAllowed` for anyone else, :class:`InvalidTransition`
    once delivery started or when already withdrawn, :class:`StaleObject` when the row changed
    since ``expected_version``."""
    if not is_partner_user(actor, program) or participant.pemda_id != actor.pemda_id:
        raise NotAllowed(_("Usulan peserta hanya dapat ditarik oleh Pemda pengusulnya."))
    if program.status not in WITHDRAW_STATES:
        raise InvalidTransition(
            _(
                "Peserta tidak dapat ditarik karena program berstatus %(status)s.",
                status=labels.PROGRAM_STATUS[program.status],
            )
        )
    if expected_version is not None and expected_version != participant.version:
        raise StaleObject(_("Data peserta telah berubah. Muat ulang halaman."))
    if participant.status not in ACTIVE:
        raise InvalidTransition(_("Peserta ini sudah ditarik."))
    source = participant.status
    participant.status = ParticipantStatus.WITHDRAWN
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "withdraw_participant",
        data={
            "count": 1,
            "participant_ids": [participant.id],
            "pemda": participant.pemda.name,
            "was": str(source),
        },
    )


def enrol(
    actor: User,
    program: Program,
    participant: Participant | None = None,
    *,
    expected_version: int | None = None,
    expected_program_version: int | None = None,
) -> list[Participant]:
    """Confirm ``participant`` (or, without one, every nominated participant) as enrolled.
    Only the owner designer, while the program is approved, scheduled or in delivery.
    ``expected_version`` is the participant's, ``expected_program_version`` the program's
    version the form carried (:class:`StaleObject` on a mismatch). Returns those enrolled
    (none when nobody waits)."""
    if Party.OWNER_DESIGNER not in parties_for(actor, program):
        raise NotAllowed(_("Peserta dikonfirmasi oleh perancang program."))
    if program.status not in NOMINATION_STATES:
        raise InvalidTransition(
            _(
                "Peserta tidak dapat dikonfirmasi karena program berstatus %(status)s.",
                status=labels.PROGRAM_STATUS[program.status],
            )
        )
    _check_version(program, expected_program_version)
    if participant is not None:
        if expected_version is not None and expected_version != participant.version:
            raise StaleObject(_("Data peserta telah berubah. Muat ulang halaman."))
        if participant.status != ParticipantStatus.NOMINATED:
            raise InvalidTransition(_("Hanya peserta berstatus diusulkan yang dapat dikonfirmasi."))
        targets = [participant]
    else:
        targets = list(
            db.session.scalars(
                sa.select(Participant)
                .where(
                    Participant.program_id == program.id,
                    Participant.status == ParticipantStatus.NOMINATED,
                )
                .order_by(Participant.id)
            ).unique()
        )
    if not targets:
        return []
    now = utcnow()
    for p in targets:
        p.status = ParticipantStatus.ENROLLED
        p.enrolled_by_id, p.enrolled_at = actor.id, now
    db.session.flush()
    record_event(
        actor,
        "program",
        program.id,
        "enrol",
        data={"count": len(targets), "participant_ids": [p.id for p in targets]},
    )
    return targets
