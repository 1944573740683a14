"""Competency-development programs, their content, revisions, sign-offs and sessions."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, enum_column, utcnow
from collab.models.need import CompetencyKind, Need
from collab.models.org import Organization
from collab.models.user import User


class ProgramStatus(enum.StrEnum):
    """Program states (DESIGN.md §3, proposal → joint approval → delivery → evaluation)."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    IN_DELIVERY = "in_delivery"
    DELIVERED = "delivered"
    EVALUATED = "evaluated"
    CANCELLED = "cancelled"


class DeliveryMethod(enum.StrEnum):
    """How a program is delivered: in person, online, or blended."""

    LURING = "luring"
    DARING = "daring"
    BAURAN = "bauran"


class FundingSource(enum.StrEnum):
    """Who pays: APBN (BKN's budget), APBD (the Pemda's), or another source."""

    APBN = "apbn"
    APBD = "apbd"
    OTHER = "lainnya"


class Decision(enum.StrEnum):
    """A party's decision on one revision of a proposal."""

    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


program_need = sa.Table(
    "program_need",
    db.metadata,
    sa.Column("program_id", sa.ForeignKey("program.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("need_id", sa.ForeignKey("need.id"), primary_key=True),
    # "programs serving a need of this Pemda / urusan" (Pemda visibility, the Pemda filter):
    # need ids to program ids from the index alone
    sa.Index("ix_program_need_need_program", "need_id", "program_id"),
)
"""Which needs a program serves (many-to-many: one program may serve several Pemda)."""


class Program(db.Model):
    """A program designed by BKN for one or more needs.

    Units: JP (1 JP = 45 minutes) on modules and sessions; money in whole rupiah on budget
    lines; ``min_attendance_pct`` and ``pass_mark`` 0–100; planned dates are calendar dates in
    the venue's zone (``timezone``). ``current_revision`` is the number of the last proposed
    revision (0 before the first proposal). ``version`` is the optimistic-lock counter.
    """

    __tablename__ = "program"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    objectives: Mapped[str] = mapped_column(sa.Text)
    development_type_id: Mapped[int]
    method: Mapped[DeliveryMethod] = mapped_column(enum_column(DeliveryMethod, "delivery_method"))
    planned_start: Mapped[date | None]
    planned_end: Mapped[date | None]
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    timezone: Mapped[str] = mapped_column(sa.String(40), default="Asia/Pontianak")
    min_attendance_pct: Mapped[int] = mapped_column(default=80)
    pass_mark: Mapped[int] = mapped_column(default=70)
    fiscal_year: Mapped[int] = mapped_column(index=True)
    status: Mapped[ProgramStatus] = mapped_column(
        enum_column(ProgramStatus, "program_status"), default=ProgramStatus.DRAFT, index=True
    )
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    current_revision: Mapped[int] = mapped_column(default=0)
    signoff_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the sign-offs on the current proposal are due (5 working days after it, UTC)."""
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    owner_org_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")
    owner_org: Mapped[Organization] = relationship(foreign_keys=[owner_org_id])
    needs: Mapped[list[Need]] = relationship(secondary=program_need, order_by="Need.id")
    competencies: Mapped[list[ProgramCompetency]] = relationship(
        cascade="all, delete-orphan", order_by="ProgramCompetency.position"
    )
    modules: Mapped[list[CurriculumModule]] = relationship(
        cascade="all, delete-orphan", order_by="CurriculumModule.position"
    )
    quotas: Mapped[list[ProgramQuota]] = relationship(
        cascade="all, delete-orphan", order_by="ProgramQuota.org_id"
    )
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        cascade="all, delete-orphan", order_by="BudgetLine.position"
    )
    sessions: Mapped[list[ProgramSession]] = relationship(
        cascade="all, delete-orphan", order_by="ProgramSession.starts_at"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_program_status_signoff_due_at", "status", "signoff_due_at"),  # overdue
        # the status board: each column's first cards in index order (collab.board.queries)
        sa.Index("ix_program_status_changed", "status", "status_changed_at", "id"),
        # the program list's order, latest change first (collab.programs.queries)
        sa.Index("ix_program_changed", "status_changed_at", "id"),
        sa.CheckConstraint("min_attendance_pct BETWEEN 0 AND 100", name="attendance_pct_range"),
        sa.CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark_range"),
        sa.CheckConstraint("development_type_id BETWEEN 1 AND 25", name="development_type"),
        sa.CheckConstraint(
            "planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start",
            name="planned_dates_order",
        ),
        sa.CheckConstraint("current_revision >= 0", name="revision_non_negative"),
    )

    def __repr__(self) -> str:
        return f"<Program {self.id} {self.status}>"

    @property
    def total_jp(self) -> int:
        """Total JP: the sum of the curriculum modules' JP."""
        return sum(m.jp for m in self.modules)

    @property
    def total_budget(self) -> int | None:
        """Total budget in whole rupiah; None when no budget line is given (shown "—", never
        a made-up 0)."""
        if not self.budget_lines:
            return None
        return sum(b.amount for b in self.budget_lines)

    @property
    def partner_ids(self) -> list[int]:
        """Ids of the partner Pemda: those whose needs the program serves, in id order."""
        return sorted({n.pemda_id for n in self.needs})


class ProgramCompetency(db.Model):
    """A competency the program develops, with the level it aims at (1–5)."""

    __tablename__ = "program_competency"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[CompetencyKind] = mapped_column(enum_column(CompetencyKind, "competency_kind"))
    code: Mapped[str | None] = mapped_column(sa.String(10))
    name: Mapped[str] = mapped_column(sa.String(200))
    target_level: Mapped[int]

    __table_args__ = (
        sa.CheckConstraint("target_level BETWEEN 1 AND 5", name="target_level_range"),
    )


class CurriculumModule(db.Model):
    """One curriculum module: a title and its JP (whole hours of 45 minutes, > 0)."""

    __tablename__ = "curriculum_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    jp: Mapped[int]

    __table_args__ = (sa.CheckConstraint("jp > 0", name="jp_positive"),)


class ProgramQuota(db.Model):
    """Participant places reserved for one partner Pemda."""

    __tablename__ = "program_quota"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    quota: Mapped[int]

    org: Mapped[Organization] = relationship(lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("program_id", "org_id", name="uq_program_quota_program_org"),
        sa.CheckConstraint("quota >= 0", name="quota_non_negative"),
    )


class BudgetLine(db.Model):
    """Part of the budget: whole rupiah from one funding source (APBN / APBD / other)."""

    __tablename__ = "budget_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    source: Mapped[FundingSource] = mapped_column(enum_column(FundingSource, "funding_source"))
    description: Mapped[str | None] = mapped_column(sa.String(200))
    amount: Mapped[int] = mapped_column(sa.BigInteger)

    __table_args__ = (sa.CheckConstraint("amount >= 0", name="amount_non_negative"),)


class ProgramSession(db.Model):
    """A session (sesi): start/end stored in UTC (entered and shown in the program's zone),
    a venue or an online link, a topic and its JP."""

    __tablename__ = "program_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(sa.String(300))
    topic: Mapped[str] = mapped_column(sa.String(200))
    jp: Mapped[int]

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("jp > 0", name="jp_positive"),
    )


class ProgramRevision(db.Model):
    """Revision N of a proposal: an immutable snapshot (JSON) of its content when proposed."""

    __tablename__ = "program_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    proposed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposed_by: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("program_id", "number", name="uq_program_revision_number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )


class SignOff(db.Model):
    """One party's decision on revision N. ``party`` is ``"bkn"`` or the partner Pemda's id as
    text; one decision per party per revision (a unique constraint, so concurrent clicks cannot
    record two)."""

    __tablename__ = "sign_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        sa.ForeignKey("program.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int]
    party: Mapped[str] = mapped_column(sa.String(20))
    org_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, "decision"))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
    org: Mapped[Organization] = relationship(lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("program_id", "revision", "party", name="uq_sign_off_party"),
    )
