"""Participants (peserta) of a program and their attendance (presensi)."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, enum_column, utcnow
from collab.models.org import Organization


class ParticipantStatus(enum.StrEnum):
    """``nominated`` by the Pemda → ``enrolled`` when the designer confirms; ``withdrawn``
    when the Pemda takes the nomination back (the row stays for the record)."""

    NOMINATED = "nominated"
    ENROLLED = "enrolled"
    WITHDRAWN = "withdrawn"


class AsnKind(enum.StrEnum):
    """PNS/CPNS (NIP) or PPPK (NI PPPK); both 18 digits (reference/README.md)."""

    PNS = "pns"
    PPPK = "pppk"


class AttendanceStatus(enum.StrEnum):
    """Presensi: Hadir, Izin, Sakit, Tanpa Keterangan (reference/README.md)."""

    HADIR = "hadir"
    IZIN = "izin"
    SAKIT = "sakit"
    TANPA_KETERANGAN = "tanpa_keterangan"


class Participant(db.Model):
    """One ASN in one program. ``nip`` is the 18-digit NIP or NI PPPK as text (never a
    number); ``pemda_id`` the nominating Pemda (counts against its quota). Scores are 0–100
    (``pre_score``/``post_score``, L2); ``passed`` and ``jp_earned`` (JP) are set when the
    program completes: attendance ≥ the program's minimum and post-test ≥ its pass mark.

    ``jp_year`` is derived, for the JP ledger (``/jp``): the calendar year this participation
    counts toward — the year in which the program's last session ended, read in the program's
    zone (:func:`collab.jp.years.program_jp_year`) — set on enrolled participants when the
    program completes (``delivered``) by :func:`collab.attendance.services.compute_completion`;
    NULL for a participation that does not count (not enrolled, program not delivered or
    evaluated). It never changes afterwards: sessions, the zone and enrolment are frozen from
    ``in_delivery`` on, and no transition leaves ``delivered``/``evaluated``."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(sa.ForeignKey("program.id", ondelete="CASCADE"))
    pemda_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    nip: Mapped[str] = mapped_column(sa.String(18), index=True)
    kind: Mapped[AsnKind] = mapped_column(enum_column(AsnKind, "asn_kind"), default=AsnKind.PNS)
    name: Mapped[str] = mapped_column(sa.String(200))
    jabatan: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(200))
    golongan: Mapped[str | None] = mapped_column(sa.String(10))
    status: Mapped[ParticipantStatus] = mapped_column(
        enum_column(ParticipantStatus, "participant_status"), default=ParticipantStatus.NOMINATED
    )
    nominated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    nominated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    enrolled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pre_score: Mapped[int | None]
    post_score: Mapped[int | None]
    passed: Mapped[bool | None]
    jp_earned: Mapped[int | None]
    jp_year: Mapped[int | None]
    certificate_no: Mapped[str | None] = mapped_column(sa.String(60), unique=True)
    version: Mapped[int] = mapped_column(default=1)

    pemda: Mapped[Organization] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("program_id", "nip", name="uq_participant_program_nip"),
        sa.Index("ix_participant_program", "program_id", "status"),
        sa.Index("ix_participant_jp_year_nip", "jp_year", "nip"),  # the JP ledger, by year
        sa.Index("ix_participant_pemda_jp_year_nip", "pemda_id", "jp_year", "nip"),  # per Pemda
        sa.CheckConstraint("pre_score BETWEEN 0 AND 100", name="pre_score_range"),
        sa.CheckConstraint("post_score BETWEEN 0 AND 100", name="post_score_range"),
        sa.CheckConstraint("jp_earned >= 0", name="jp_earned_non_negative"),
    )


class JpYearTotal(db.Model):
    """Derived, for the JP ledger's row count (``/jp``): per calendar year, how many ASN
    (distinct NIP) have a participation counting toward it (``participant.jp_year``) — the
    number of ledger rows of that year without other filters, read instead of counting tens of
    thousands of participations per request. Refreshed from the participants (never
    incremented) by :func:`collab.jp.years.refresh_year_total` whenever a program's completion
    gives participations their ``jp_year``; the migration and the benchmark dataset fill it the
    same way."""

    __tablename__ = "jp_year_total"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    asn: Mapped[int] = mapped_column(default=0)


class Attendance(db.Model):
    """A participant's presence at one session, set by the designer (or the Pemda's
    approver for their own ASN). ``version`` is the optimistic-lock counter of the cell (a
    cell with no row yet is version 0 to the grid, see ``collab.attendance.services``)."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("program_session.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_column(AttendanceStatus, "attendance_status")
    )
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint(
            "session_id", "participant_id", name="uq_attendance_session_participant"
        ),
    )
