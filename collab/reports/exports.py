"""What each list's download contains: needs, programs, a program's participants and the JP
ledger as :class:`collab.core.export.Table` s, written as CSV or XLSX by
:mod:`collab.core.export`.

Each table reads through the same visibility and filters as its list page
(:func:`collab.needs.queries.visible_needs`, :func:`collab.programs.queries.visible_programs`,
the participant and ledger rules), in the list's order, in batches (related data — partner
names, JP, budgets, pending sign-offs — loaded in bulk per batch). Headers are in the viewer's
language; date-time columns are in the viewer's zone (``user.zone``), named in the header
(``Diperbarui (WIB)``). Units: JP as integers, money in whole rupiah, indicator values as
decimals.
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from collab import labels, reference
from collab.core.export import CODE, DATE, DATETIME, DECIMAL, INT, MONEY, Column, Table
from collab.core.export import zoned_header as zoned
from collab.jp.queries import LedgerFilters, iter_ledger
from collab.models import Program, User, utcnow
from collab.needs.queries import NeedFilters, iter_needs
from collab.participants.services import iter_participants
from collab.programs import queries as programs
from collab.programs.services import program_turn


def _stamp(user: User) -> str:
    """Today in the viewer's zone for file names: ``2026-11-30``."""
    return utcnow().astimezone(ZoneInfo(user.zone)).date().isoformat()


def needs_table(user: User, filters: NeedFilters) -> Table:
    """The needs ``user`` sees on the needs list with ``filters``, one row per need."""
    zone = user.zone
    urusan = reference.urusan()
    columns = [
        Column(_("ID"), INT, 8),
        Column(_("Judul"), width=50),
        Column(_("Pemda"), width=32),
        Column(_("Pengusul"), width=32),
        Column(_("Kode urusan"), CODE),
        Column(_("Urusan"), width=24),
        Column(_("Layanan terdampak"), width=32),
        Column(_("Indikator"), width=40),
        Column(_("Satuan")),
        Column(_("Kondisi awal"), DECIMAL),
        Column(_("Target"), DECIMAL),
        Column(_("Jabatan sasaran"), width=24),
        Column(_("Jumlah ASN"), INT),
        Column(_("Urgensi")),
        Column(_("Status"), width=16),
        Column(_("Tahun anggaran"), INT),
        Column(_("Dibutuhkan sebelum"), DATE),
        Column(_("Perancang BKN"), width=24),
        Column(zoned(_("Diajukan ke BKN"), zone), DATETIME, 18),
        Column(zoned(_("Tenggat tanggapan"), zone), DATETIME, 18),
        Column(zoned(_("Status sejak"), zone), DATETIME, 18),
        Column(zoned(_("Diperbarui"), zone), DATETIME, 18),
    ]

    def rows() -> Iterator[tuple]:
        for batch in iter_needs(user, filters):
            for n in batch:
                yield (
                    n.id,
                    n.title,
                    n.pemda.name,
                    n.org.name,
                    n.urusan_code,
                    urusan[n.urusan_code].name if n.urusan_code in urusan else None,
                    n.affected_service,
                    n.indicator_name,
                    n.indicator_unit,
                    n.indicator_baseline,
                    n.indicator_target,
                    n.target_jabatan,
                    n.asn_affected,
                    labels.URGENCY[n.urgency],
                    labels.NEED_STATUS[n.status],
                    n.fiscal_year,
                    n.needed_by,
                    n.assigned_designer.name if n.assigned_designer else None,
                    n.submitted_at,
                    n.sla_due_at,
                    n.status_changed_at,
                    n.updated_at,
                )

    return Table(f"usulan-kebutuhan-{_stamp(user)}", _("Usulan Kebutuhan"), columns, rows(), zone)


def programs_table(user: User, filters: programs.ProgramFilters) -> Table:
    """The programs ``user`` sees on the program list with ``filters``, one row each."""
    zone = user.zone
    types = reference.development_types()
    columns = [
        Column(_("ID"), INT, 8),
        Column(_("Judul"), width=50),
        Column(_("Status"), width=16),
        Column(_("Menunggu"), width=22),
        Column(_("Pemda mitra"), width=40),
        Column(_("Perancang"), width=24),
        Column(_("Tahun anggaran"), INT),
        Column(_("Jenis pengembangan"), width=28),
        Column(_("Metode"), width=16),
        Column(_("Rencana mulai"), DATE, 12),
        Column(_("Rencana selesai"), DATE, 12),
        Column(_("Sesi pertama"), DATE, 12),
        Column(_("Sesi terakhir"), DATE, 12),
        Column(_("Total JP"), INT),
        Column(_("Anggaran (Rp)"), MONEY, 16),
        Column(_("Revisi"), INT),
        Column(zoned(_("Status sejak"), zone), DATETIME, 18),
        Column(zoned(_("Diperbarui"), zone), DATETIME, 18),
    ]

    def rows() -> Iterator[tuple]:
        for batch in programs.iter_programs(user, filters):
            ids = [p.id for p in batch]
            partners = programs.partner_names(ids)
            jp = programs.total_jp(ids)
            budget = programs.total_budget(ids)
            spans = programs.session_span(ids)
            pending = programs.list_pending_parties(batch)
            for p in batch:
                turn = program_turn(p, list(pending.get(p.id, {})))
                dev = types.get(str(p.development_type_id))
                span = spans.get(p.id)
                first = last = None
                if span:
                    local = ZoneInfo(p.timezone)
                    first, last = (t.astimezone(local).date() for t in span)
                yield (
                    p.id,
                    p.title,
                    labels.PROGRAM_STATUS[p.status],
                    labels.TURN[turn] if turn else None,
                    ", ".join(partners.get(p.id, [])),
                    p.owner.name,
                    p.fiscal_year,
                    dev["name"] if dev else None,
                    labels.METHOD[p.method],
                    p.planned_start,
                    p.planned_end,
                    first,
                    last,
                    jp.get(p.id, 0),
                    budget.get(p.id),
                    p.current_revision,
                    p.status_changed_at,
                    p.updated_at,
                )

    return Table(f"program-{_stamp(user)}", _("Program"), columns, rows(), zone)


def participants_table(user: User, program: Program) -> Table:
    """The participants of ``program`` that ``user`` may see (a Pemda user: their own
    Pemda's), one row each; ``program`` must already be one ``user`` may see."""
    zone = user.zone
    columns = [
        Column(_("NIP"), CODE, 22),
        Column(_("Jenis ASN")),
        Column(_("Nama"), width=32),
        Column(_("Jabatan"), width=28),
        Column(_("Unit Kerja"), width=32),
        Column(_("Golongan")),
        Column(_("Pemda"), width=32),
        Column(_("Status"), width=14),
        Column(_("Nilai pre-test"), INT),
        Column(_("Nilai post-test"), INT),
        Column(_("Lulus")),
        Column(_("JP diperoleh"), INT),
        Column(_("Nomor sertifikat"), CODE, 24),
        Column(zoned(_("Diusulkan"), zone), DATETIME, 18),
        Column(zoned(_("Dikonfirmasi"), zone), DATETIME, 18),
    ]

    def rows() -> Iterator[tuple]:
        for p in iter_participants(user, program):
            yield (
                p.nip,
                str(p.kind).upper(),
                p.name,
                p.jabatan,
                p.unit,
                p.golongan,
                p.pemda.name,
                labels.PARTICIPANT_STATUS[p.status],
                p.pre_score,
                p.post_score,
                p.passed,
                p.jp_earned,
                p.certificate_no,
                p.nominated_at,
                p.enrolled_at,
            )

    return Table(
        f"peserta-program-{program.id}-{_stamp(user)}", _("Peserta"), columns, rows(), zone
    )


def ledger_table(user: User, filters: LedgerFilters, target: int) -> Table:
    """The JP ledger ``user`` sees with ``filters``: one row per ASN (NIP) and calendar year;
    ``target`` is the yearly JP an ASN should reach."""
    columns = [
        Column(_("NIP"), CODE, 22),
        Column(_("Nama"), width=32),
        Column(_("Pemda"), width=32),
        Column(_("Unit kerja"), width=32),
        Column(_("Tahun"), INT),
        Column(_("Program diikuti"), INT),
        Column(_("Program lulus"), INT),
        Column(_("JP"), INT),
        Column(_("Memenuhi %(n)s JP", n=target)),
    ]

    def rows() -> Iterator[tuple]:
        for r in iter_ledger(user, filters, target):
            yield (
                r.nip,
                r.name,
                r.pemda,
                r.unit,
                r.year,
                r.programs,
                r.passed,
                r.jp,
                r.jp >= target,
            )

    return Table(f"jp-asn-{_stamp(user)}", _("JP ASN"), columns, rows(), user.zone)
