"""Needs (usulan kebutuhan pengembangan kompetensi) and their competency gaps."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from collab.extensions import db
from collab.models.base import UTCDateTime, enum_column, utcnow
from collab.models.org import Organization
from collab.models.user import User


class NeedStatus(enum.StrEnum):
    """Need states (DESIGN.md §3)."""

    DRAFT = "draft"
    VERIFYING = "verifying"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    INFO_REQUESTED = "info_requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    FULFILLED = "fulfilled"


class Urgency(enum.StrEnum):
    """Urgency of a need; drives the first-response SLA (critical 2 … low 20 working days)."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


URGENCY_RANK = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.MEDIUM: 2, Urgency.LOW: 3}
"""Sort key of each urgency, most urgent first (stored as ``need.urgency_rank``)."""


def urgency_rank(urgency: str | None) -> int:
    """``urgency``'s place in the list order: 0 critical … 3 low, 4 for anything else."""
    return URGENCY_RANK.get(urgency, 4)


def _default_urgency_rank(context) -> int:
    # Core inserts (the demo seed, the benchmark's bulk load) give only ``urgency``
    return urgency_rank(context.get_current_parameters().get("urgency"))


class CompetencyKind(enum.StrEnum):
    """Competency groups of PermenPANRB 38/2017: technical, managerial, socio-cultural."""

    TEKNIS = "teknis"
    MANAJERIAL = "manajerial"
    SOSIAL_KULTURAL = "sosial_kultural"


class Need(db.Model):
    """A Pemda's urgent competency-development need for a failing public service.

    Units: ``asn_affected`` in persons; indicator baseline/target in the indicator's own
    ``indicator_unit``; ``needed_by`` a calendar date; timestamps aware UTC. ``version`` is
    SQLAlchemy's optimistic-lock counter, carried in every edit and transition form.
    """

    __tablename__ = "need"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    pemda_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    form_nonce: Mapped[str | None] = mapped_column(sa.String(40))

    title: Mapped[str] = mapped_column(sa.String(200))
    urusan_code: Mapped[str] = mapped_column(sa.String(5), index=True)
    spm_service_no: Mapped[int | None]
    affected_service: Mapped[str | None] = mapped_column(sa.String(200))
    problem_statement: Mapped[str] = mapped_column(sa.Text)
    indicator_name: Mapped[str] = mapped_column(sa.String(300))
    indicator_unit: Mapped[str | None] = mapped_column(sa.String(40))
    indicator_baseline: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    indicator_target: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    target_jabatan: Mapped[str] = mapped_column(sa.String(200))
    asn_affected: Mapped[int]
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency, "urgency"), index=True)
    urgency_rank: Mapped[int] = mapped_column(default=_default_urgency_rank)
    urgency_justification: Mapped[str] = mapped_column(sa.Text)
    needed_by: Mapped[date | None]
    fiscal_year: Mapped[int] = mapped_column(index=True)

    status: Mapped[NeedStatus] = mapped_column(
        enum_column(NeedStatus, "need_status"), default=NeedStatus.DRAFT
    )
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    assigned_designer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id"), index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    org: Mapped[Organization] = relationship(foreign_keys=[org_id], lazy="joined")
    pemda: Mapped[Organization] = relationship(foreign_keys=[pemda_id], lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    assigned_designer: Mapped[User | None] = relationship(
        foreign_keys=[assigned_designer_id], lazy="joined"
    )
    gaps: Mapped[list[CompetencyGap]] = relationship(
        back_populates="need", cascade="all, delete-orphan", order_by="CompetencyGap.position"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_need_pemda_status", "pemda_id", "status"),
        sa.Index("ix_need_status_sla_due_at", "status", "sla_due_at"),  # status, overdue filters
        sa.Index("ix_need_submitted_at", "submitted_at"),  # what BKN sees (sent to BKN)
        # the lists' order (most urgent, then longest waiting): unfiltered and per status
        sa.Index("ix_need_urgency_order", "urgency_rank", "status_changed_at", "id"),
        sa.Index(
            "ix_need_status_urgency_order", "status", "urgency_rank", "status_changed_at", "id"
        ),
        # dashboard counts (per status, overdue, a designer's queue) from the index alone
        sa.Index(
            "ix_need_status_counts", "status", "submitted_at", "sla_due_at", "assigned_designer_id"
        ),
        sa.UniqueConstraint("created_by_id", "form_nonce", name="uq_need_created_by_nonce"),
        sa.CheckConstraint("asn_affected > 0", name="asn_affected_positive"),
        sa.CheckConstraint("fiscal_year BETWEEN 2000 AND 2100", name="fiscal_year_range"),
        sa.CheckConstraint(
            "status NOT IN ('in_review', 'info_requested', 'accepted') "
            "OR assigned_designer_id IS NOT NULL",
            name="designer_when_reviewed",
        ),
    )

    @validates("urgency")
    def _keep_urgency_rank(self, _key: str, value: str) -> str:
        self.urgency_rank = urgency_rank(value)
        return value

    def __repr__(self) -> str:
        return f"<Need {self.id} {self.status}>"


class CompetencyGap(db.Model):
    """One competency a need's ASN lack: current and target level on the 1–5 scale.

    Technical competencies are free text; managerial and socio-cultural ones carry the code of
    ``collab/reference/kompetensi.csv`` (PermenPANRB 38/2017).
    """

    __tablename__ = "competency_gap"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(sa.ForeignKey("need.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[CompetencyKind] = mapped_column(enum_column(CompetencyKind, "competency_kind"))
    code: Mapped[str | None] = mapped_column(sa.String(10))
    name: Mapped[str] = mapped_column(sa.String(200))
    current_level: Mapped[int]
    target_level: Mapped[int]

    need: Mapped[Need] = relationship(back_populates="gaps")

    __table_args__ = (
        sa.CheckConstraint("current_level BETWEEN 1 AND 5", name="current_level_range"),
        sa.CheckConstraint("target_level BETWEEN 1 AND 5", name="target_level_range"),
        sa.CheckConstraint("target_level > current_level", name="target_above_current"),
    )
