"""SQLAlchemy 2 typed models. No business policy lives here."""
from .audit import AuditChain, AuditEntry
from .calendar import CalendarDay
from .certificates import Certificate, CertificateKind
from .entry import ENTRY_STATUS_LABELS, Entry, EntryStatus, Person
from .event import (
    Aggregation,
    AggregationLevel,
    Criterion,
    CriterionKind,
    Event,
    EventKind,
    EventStatus,
    Module,
    ModuleKind,
    OPEN_TO_LABELS,
    OpenTo,
    PanelMember,
    PUBLISHED_STATES,
    event_invitations,
)
from .league import (REWARD_KIND_LABELS, REWARD_STATE_LABELS, CompetitionLevel, Delegate, ExternalCompetition, Reward,
                     RewardKind, RewardState)
from .marks import MEASUREMENT_KEY, Mark, MarkChange, ResultSnapshot, TieOrder
from .nominations import (NOMINATION_STATE_LABELS, ROUTE_LABELS, ExpertTitle, Nomination, NominationRoute,
                          NominationState)
from .objections import CHANNEL_LABELS, OBJECTION_STATE_LABELS, Objection, ObjectionChannel, ObjectionState
from .organisation import Enterprise, Season
from .policy import FIRST_POLICY_DATE, FOUNDING_FIGURES, PolicyVersion
from .subsidy import CLAIM_STATE_LABELS, ClaimState, SubsidyClaim
from .types import UTCDateTime, utcnow
from .jobs import Job, JobState
from .uploads import StagedUpload
from .user import ROLE_LABELS, ApiToken, LoginThrottle, Role, User

__all__ = [
    "CompetitionLevel",
    "Delegate",
    "ExternalCompetition",
    "REWARD_KIND_LABELS",
    "REWARD_STATE_LABELS",
    "Reward",
    "RewardKind",
    "RewardState",
    "Aggregation",
    "CalendarDay",
    "Certificate",
    "CertificateKind",
    "Job",
    "JobState",
    "AggregationLevel",
    "Criterion",
    "CriterionKind",
    "ENTRY_STATUS_LABELS",
    "Entry",
    "EntryStatus",
    "Event",
    "PUBLISHED_STATES",
    "ExpertTitle",
    "EventKind",
    "EventStatus",
    "Module",
    "ModuleKind",
    "OpenTo",
    "OPEN_TO_LABELS",
    "event_invitations",
    "NOMINATION_STATE_LABELS",
    "CHANNEL_LABELS",
    "OBJECTION_STATE_LABELS",
    "Objection",
    "ObjectionChannel",
    "ObjectionState",
    "Nomination",
    "ROUTE_LABELS",
    "NominationRoute",
    "NominationState",
    "PanelMember",
    "Person",
    "ApiToken",
    "LoginThrottle",
    "AuditChain",
    "AuditEntry",
    "Enterprise",
    "FIRST_POLICY_DATE",
    "FOUNDING_FIGURES",
    "MEASUREMENT_KEY",
    "Mark",
    "MarkChange",
    "PolicyVersion",
    "ROLE_LABELS",
    "ResultSnapshot",
    "Role",
    "Season",
    "StagedUpload",
    "SubsidyClaim",
    "ClaimState",
    "CLAIM_STATE_LABELS",
    "TieOrder",
    "User",
    "UTCDateTime",
    "utcnow",
]
