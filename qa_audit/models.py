"""Every model, imported so that the metadata (and Alembic) sees every table."""

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.actions.models import Action
from qa_audit.api.models import ApiToken
from qa_audit.audit_tools.models import AuditTool, AuditToolDomain
from qa_audit.audits.models import (
    Audit,
    AuditDomainGrade,
    FeedbackConversation,
    PractitionerComment,
    SafeguardingConcern,
)
from qa_audit.auth.models import User, UserRole
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.data_version import DataVersion
from qa_audit.dip_samples.models import (
    DipSample,
    DipSampleAnswer,
    DipSampleCase,
    DipSampleQuestion,
)
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.moderation.models import (
    Moderation,
    ModerationGrade,
    ReflectiveConversation,
    SamplingDecision,
    SamplingSettings,
)
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.rota.models import Allocation

__all__ = [
    "AccessLogEntry",
    "ApiToken",
    "Action",
    "Allocation",
    "DipSample",
    "DipSampleAnswer",
    "DipSampleCase",
    "DipSampleQuestion",
    "Audit",
    "AuditDomainGrade",
    "FeedbackConversation",
    "LearningTheme",
    "Moderation",
    "ModerationGrade",
    "PractitionerComment",
    "SafeguardingConcern",
    "ReflectiveConversation",
    "SamplingDecision",
    "SamplingSettings",
    "AuditTool",
    "AuditToolDomain",
    "ChangeLogEntry",
    "DataVersion",
    "ServiceArea",
    "Team",
    "User",
    "UserRole",
]
