"""Who may see which audits: one audit (case-level access) and the rows of the audit lists."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from qa_audit.actions.models import Action
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role

# Roles that may open the All audits list; the rows they see are narrowed by list_scope.
LIST_ROLES = (Role.QA_LEAD, Role.MODERATOR, Role.SERVICE_MANAGER)


def list_scope(user: User) -> ColumnElement[bool]:
    """Which audits the All audits list shows: every audit to the QA lead and moderators, the
    audits of their own service area to a service manager, nothing to anyone else."""
    if user.has_role(Role.QA_LEAD, Role.MODERATOR):
        return true()
    if user.has_role(Role.SERVICE_MANAGER) and user.service_area_id is not None:
        return Audit.service_area_id == user.service_area_id
    return false()


def manages_area(user: User, service_area_id: int | None) -> bool:
    """True for a service manager of this service area."""
    return (
        user.has_role(Role.SERVICE_MANAGER)
        and user.service_area_id is not None
        and user.service_area_id == service_area_id
    )


def is_its_auditor(user: User, audit: Audit) -> bool:
    """True for the audit's own auditor."""
    return user.has_role(Role.AUDITOR) and audit.auditor_id == user.id


def can_view_audit(user: User, audit: Audit) -> bool:
    """Case-level access: QA lead and moderators see every audit, a service manager their own
    area's, an auditor their own; viewers and administrators never see case detail."""
    return (
        user.has_role(Role.QA_LEAD, Role.MODERATOR)
        or manages_area(user, audit.service_area_id)
        or is_its_auditor(user, audit)
    )


def seen_scope(user: User) -> ColumnElement[bool]:
    """``can_view_audit`` as a condition on Audit."""
    if user.has_role(Role.AUDITOR):
        return or_(list_scope(user), Audit.auditor_id == user.id)
    return list_scope(user)


def actions_seen_by(user: User) -> ColumnElement[bool]:
    """The actions set on (or from the moderation of) audits ``user`` may see."""
    return Action.audit.has(seen_scope(user))
