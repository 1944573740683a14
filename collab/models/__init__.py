"""All models, importable from one place."""

from collab.models.audit import AuditEvent, AuditLogImmutable
from collab.models.base import UTCDateTime, utcnow
from collab.models.need import CompetencyGap, CompetencyKind, Need, NeedStatus, Urgency
from collab.models.org import Organization, OrgKind
from collab.models.user import BKN_ROLES, PEMDA_ROLES, Role, User

__all__ = [
    "AuditEvent",
    "AuditLogImmutable",
    "BKN_ROLES",
    "CompetencyGap",
    "CompetencyKind",
    "Need",
    "NeedStatus",
    "Organization",
    "OrgKind",
    "PEMDA_ROLES",
    "Role",
    "Urgency",
    "User",
    "UTCDateTime",
    "utcnow",
]
