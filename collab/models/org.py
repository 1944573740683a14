"""Organisations: BKN units, Pemda and their OPD, as one tree."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.extensions import db
from collab.models.base import UTCDateTime, enum_column, utcnow


class OrgKind(enum.StrEnum):
    """Kind of organisation (DESIGN.md §2)."""

    BKN = "bkn"
    PEMDA = "pemda"
    OPD = "opd"


class Organization(db.Model):
    """A node of the organisation tree.

    ``pemda_id`` is the Pemda at the root of this node's subtree (the node itself for a Pemda,
    NULL for BKN units); it is derived from the parent on save by
    :func:`collab.admin.services.create_organization` and lets visibility filters run as one
    equality. ``region_code`` is the Kemendagri code (``61.71`` for Kota Pontianak).
    """

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    pemda_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    region_code: Mapped[str | None] = mapped_column(sa.String(13), index=True)  # province filter
    region_name: Mapped[str | None] = mapped_column(sa.String(120))
    timezone: Mapped[str] = mapped_column(sa.String(40), default="Asia/Jakarta")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    parent: Mapped[Organization | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], lazy="joined", join_depth=2
    )
    pemda: Mapped[Organization | None] = relationship(remote_side=[id], foreign_keys=[pemda_id])

    __table_args__ = (
        # A Pemda's pemda_id is its own id, set right after its insert, so only the BKN side
        # of the rule can be a CHECK; create_organization() sets the rest in one transaction.
        sa.CheckConstraint("kind <> 'bkn' OR pemda_id IS NULL", name="bkn_has_no_pemda"),
    )

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"

    @property
    def is_bkn(self) -> bool:
        """True for BKN units (pusat, Kantor Regional, UPT)."""
        return self.kind == OrgKind.BKN

    def ancestors(self) -> list[Organization]:
        """This node's parents, nearest first (walks the loaded tree; a few levels deep)."""
        out, node = [], self.parent
        while node is not None and node not in out:
            out.append(node)
            node = node.parent
        return out

    def is_within(self, other: Organization) -> bool:
        """True when this node is ``other`` or lies in ``other``'s subtree."""
        return self.id == other.id or any(a.id == other.id for a in self.ancestors())
