"""Safeguarding concerns: raising one (its service managers are e-mailed once it is saved),
recording the response, and the concerns still open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from qa_audit.audits.access import is_its_auditor, manages_area
from qa_audit.audits.links import audit_url
from qa_audit.audits.models import Audit, SafeguardingConcern
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import users_with_role
from qa_audit.changelog.services import record_added, record_change, snapshot
from qa_audit.core.clock import utcnow
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.extensions import db
from qa_audit.core.notifications import send_after_commit
from qa_audit.core.records import get_or_not_found
from qa_audit.organisation.models import ServiceArea

TEXT_MAX = 5000
LOGGED = ["audit_id", "service_area_id", "description", "response", "responded_by_id"]


def get_concern(concern_id: int) -> SafeguardingConcern:
    return get_or_not_found(SafeguardingConcern, concern_id, "safeguarding concern")


def may_raise(user: User, audit: Audit) -> bool:
    """The audit's auditor, a QA lead or a moderator may raise a concern on it."""
    return user.has_role(Role.QA_LEAD, Role.MODERATOR) or is_its_auditor(user, audit)


def may_respond(user: User, concern: SafeguardingConcern) -> bool:
    """A service manager of the concern's area, or a QA lead, records the response."""
    return user.has_role(Role.QA_LEAD) or manages_area(user, concern.service_area_id)


def _text(value: str, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(missing, field)
    if len(value) > TEXT_MAX:
        raise DomainError(f"Use {TEXT_MAX} characters or fewer", field)
    return value


def raise_concern(actor: User, audit: Audit, description: str) -> SafeguardingConcern:
    """Record a concern on ``audit`` whatever its status, and e-mail the area's service
    managers once it is saved (when SMTP is configured)."""
    if not may_raise(actor, audit):
        raise Forbidden("Only the auditor, a QA lead or a moderator can raise a concern here")
    description = _text(description, "description", "Describe the safeguarding concern")
    concern = SafeguardingConcern(
        audit_id=audit.id,
        raised_by_id=actor.id,
        raised_at=utcnow(),
        description=description,
        service_area_id=audit.service_area_id,
    )
    record_added(actor, "safeguarding_concern.raised", concern, LOGGED)
    _notify(audit, concern)
    return concern


def _notify(audit: Audit, concern: SafeguardingConcern) -> None:
    link = audit_url(audit.id, external=True)
    raised = concern.raised_at.strftime("%-d %B %Y")
    # Case reference and links only: the concern itself and every name stay in the app.
    for manager in users_with_role(Role.SERVICE_MANAGER, audit.service_area_id):
        send_after_commit(
            [manager.email],
            f"Safeguarding concern raised: case {audit.case_ref}",
            f"Dear {manager.name},\n\n"
            f"A safeguarding concern was raised on {raised} during the quality-assurance "
            f"audit of case {audit.case_ref} (audit {audit.reference}) in "
            f"{audit.service_area.name}.\n\n"
            f"Sign in to read the concern and record your response:\n{link}\n\n"
            "The concern stays open on your home page until a response is recorded.\n"
            "This e-mail does not contain the details of the concern; please do not forward it.\n",
        )


def respond_to_concern(
    actor: User, concern: SafeguardingConcern, response: str
) -> SafeguardingConcern:
    """Record the service manager's response; the concern is then resolved."""
    if not may_respond(actor, concern):
        raise Forbidden("Only a service manager of the area or a QA lead can respond")
    response = _text(response, "response", "Enter the response to the concern")
    before = snapshot(concern, LOGGED)
    # Only the first response counts, even when two managers answer at the same moment.
    result = db.session.execute(
        update(SafeguardingConcern)
        .where(SafeguardingConcern.id == concern.id, SafeguardingConcern.responded_at.is_(None))
        .values(response=response, responded_at=utcnow(), responded_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(concern)
        raise DomainError("A response to this concern has already been recorded", "response")
    db.session.refresh(concern)
    record_change(
        actor, "safeguarding_concern.responded", concern, before, snapshot(concern, LOGGED)
    )
    return concern


@dataclass(frozen=True)
class OpenConcern:
    concern_id: int
    audit_id: int
    audit_reference: str
    case_ref: str
    service_area: str
    raised_at: datetime


def open_concerns(service_area_id: int | None = None) -> list[OpenConcern]:
    """Concerns with no response yet, oldest first (of one service area, if given)."""
    query = (
        select(
            SafeguardingConcern.id,
            Audit.id,
            Audit.reference,
            Audit.case_ref,
            ServiceArea.name,
            SafeguardingConcern.raised_at,
        )
        .join(Audit, Audit.id == SafeguardingConcern.audit_id)
        .join(ServiceArea, ServiceArea.id == SafeguardingConcern.service_area_id)
        .where(SafeguardingConcern.responded_at.is_(None))
        .order_by(SafeguardingConcern.raised_at, SafeguardingConcern.id)
    )
    if service_area_id is not None:
        query = query.where(SafeguardingConcern.service_area_id == service_area_id)
    return [OpenConcern(*values) for values in db.session.execute(query)]
