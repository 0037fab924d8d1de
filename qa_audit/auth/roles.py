"""The roles of docs/domain.md; one person may hold several."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    AUDITOR = "auditor"
    MODERATOR = "moderator"
    SERVICE_MANAGER = "service_manager"
    QA_LEAD = "qa_lead"
    VIEWER = "viewer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]


# The roles that see case records: nobody may add one of them to their own account.
CASE_LEVEL_ROLES = frozenset({Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER, Role.QA_LEAD})

ROLE_LABELS = {
    Role.AUDITOR: "Auditor",
    Role.MODERATOR: "Moderator",
    Role.SERVICE_MANAGER: "Service manager",
    Role.QA_LEAD: "QA lead",
    Role.VIEWER: "Viewer",
    Role.ADMIN: "Administrator",
}

ROLE_DESCRIPTIONS = {
    Role.AUDITOR: "Completes the deep-dive audits allotted on the rota and runs dip samples",
    Role.MODERATOR: "Re-reviews a sample of submitted audits; upholds or regrades them",
    Role.SERVICE_MANAGER: "Sees their service area's audits; holds reflective conversations",
    Role.QA_LEAD: "Runs the rota, tools, sampling and learning themes; produces reports",
    Role.VIEWER: "Sees aggregate reports only, never case-level detail",
    Role.ADMIN: "Manages users, roles, service areas and teams",
}
