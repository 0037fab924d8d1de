"""Every model, imported so that the metadata (and Alembic) sees every table."""

from qa_audit.audit_tools.models import AuditTool, AuditToolDomain
from qa_audit.auth.models import User, UserRole
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.organisation.models import ServiceArea, Team

__all__ = [
    "AuditTool",
    "AuditToolDomain",
    "ChangeLogEntry",
    "ServiceArea",
    "Team",
    "User",
    "UserRole",
]
