"""All models, importable from one place."""

from collab.models.attachment import Attachment
from collab.models.audit import AuditEvent, AuditLogImmutable
from collab.models.base import UTCDateTime, utcnow
from collab.models.comment import Comment, Visibility
from collab.models.evaluation import (
    FollowUp,
    IndicatorMeasurement,
    ReactionResponse,
    ReactionToken,
)
from collab.models.need import CompetencyGap, CompetencyKind, Need, NeedStatus, Urgency
from collab.models.notification import EmailOutbox, Notification
from collab.models.org import Organization, OrgKind
from collab.models.participant import (
    AsnKind,
    Attendance,
    AttendanceStatus,
    JpYearTotal,
    Participant,
    ParticipantStatus,
)
from collab.models.program import (
    BudgetLine,
    CurriculumModule,
    Decision,
    DeliveryMethod,
    FundingSource,
    Program,
    ProgramCompetency,
    ProgramQuota,
    ProgramRevision,
    ProgramSession,
    ProgramStatus,
    SignOff,
    program_need,
)
from collab.models.user import BKN_ROLES, PEMDA_ROLES, Role, User

__all__ = [
    "FollowUp",
    "IndicatorMeasurement",
    "ReactionResponse",
    "ReactionToken",
    "AsnKind",
    "Attendance",
    "AttendanceStatus",
    "JpYearTotal",
    "Participant",
    "ParticipantStatus",
    "Attachment",
    "EmailOutbox",
    "Notification",
    "Comment",
    "Visibility",
    "BudgetLine",
    "CurriculumModule",
    "Decision",
    "DeliveryMethod",
    "FundingSource",
    "Program",
    "ProgramCompetency",
    "ProgramQuota",
    "ProgramRevision",
    "ProgramSession",
    "ProgramStatus",
    "SignOff",
    "program_need",
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
