"""Safeguarding concerns: raising one (its service managers are e-mailed once it is saved),
acknowledging it, interim notes, resolving it with an outcome, and the concerns still open."""

from __future__ import annotations

from sqlalchemy import update

from qa_audit.audits.access import is_its_auditor, manages_area
from qa_audit.audits.links import audit_url
from qa_audit.audits.models import Audit, SafeguardingConcern
from qa_audit.audits.safeguarding.models import (
    CONCERN_TRANSITIONS,
    ConcernOutcome,
    ConcernStatus,
    SafeguardingNote,
)
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import users_with_role
from qa_audit.changelog.services import record_added, record_change, snapshot
from qa_audit.core.clock import utcnow
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.extensions import db
from qa_audit.core.notifications import send_after_commit
from qa_audit.core.records import get_or_not_found

TEXT_MAX = 5000
LOGGED = [
    "audit_id",
    "service_area_id",
    "description",
    "status",
    "acknowledged_by_id",
    "outcome",
    "outcome_detail",
    "response",
    "responded_by_id",
]


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
            "Please acknowledge it in the service as soon as you can. It stays open on your "
            "home page until it is resolved with an outcome.\n"
            "This e-mail does not contain the details of the concern; please do not forward it.\n",
        )


def _move(
    actor: User, concern: SafeguardingConcern, to: ConcernStatus, field: str, **values: object
) -> None:
    """Move ``concern`` on to ``to`` with ``values``, only from the status the workflow allows
    before it: when two people act at the same moment, the first counts and the second is
    told what happened."""
    allowed_from = [s.value for s, after in CONCERN_TRANSITIONS.items() if to in after]
    before = snapshot(concern, LOGGED)
    result = db.session.execute(
        update(SafeguardingConcern)
        .where(
            SafeguardingConcern.id == concern.id,
            SafeguardingConcern.status.in_(allowed_from),
        )
        .values(status=to.value, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(concern)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError(_ALREADY[ConcernStatus(concern.status)], field)
    record_change(
        actor, f"safeguarding_concern.{to.value}", concern, before, snapshot(concern, LOGGED)
    )


_ALREADY = {
    ConcernStatus.RAISED: "Acknowledge the concern before resolving it",
    ConcernStatus.ACKNOWLEDGED: "This concern has already been acknowledged",
    ConcernStatus.RESOLVED: "This concern has already been resolved",
}


def _check_responder(actor: User, concern: SafeguardingConcern) -> None:
    if not may_respond(actor, concern):
        raise Forbidden("Only a service manager of the area or a QA lead can act on a concern")


def acknowledge_concern(actor: User, concern: SafeguardingConcern) -> SafeguardingConcern:
    """Say the concern has been taken on: it stays open, and is no longer escalated."""
    _check_responder(actor, concern)
    _move(
        actor,
        concern,
        ConcernStatus.ACKNOWLEDGED,
        "acknowledge",
        acknowledged_at=utcnow(),
        acknowledged_by_id=actor.id,
    )
    return concern


def add_note(actor: User, concern: SafeguardingConcern, text: str) -> SafeguardingNote:
    """An interim note on an acknowledged concern (any number, until it is resolved)."""
    _check_responder(actor, concern)
    text = _text(text, "text", "Enter the note")
    if not concern.acknowledged:
        raise DomainError(
            "Acknowledge the concern before adding a note"
            if concern.status == ConcernStatus.RAISED.value
            else "This concern has been resolved: no more notes can be added",
            "text",
        )
    note = SafeguardingNote(concern_id=concern.id, author_id=actor.id, text=text)
    record_added(actor, "safeguarding_concern.noted", note, ["concern_id", "text"])
    db.session.refresh(concern, ["notes"])
    return note


def resolve_concern(
    actor: User,
    concern: SafeguardingConcern,
    outcome: str | None,
    response: str,
    detail: str | None = None,
) -> SafeguardingConcern:
    """Resolve an acknowledged concern: its outcome (with the detail when "Other") and what
    was done. Only this resolves a concern."""
    _check_responder(actor, concern)
    try:
        chosen = ConcernOutcome(outcome or "")
    except ValueError as error:
        raise DomainError("Select the outcome", "outcome") from error
    detail = (detail or "").strip() or None
    if chosen is ConcernOutcome.OTHER:
        detail = _text(detail or "", "outcome_detail", "Say what the outcome was")
    elif detail is not None:
        detail = None  # the detail box belongs to "Other" alone
    response = _text(response, "response", "Enter what was done")
    _move(
        actor,
        concern,
        ConcernStatus.RESOLVED,
        "outcome",
        outcome=chosen.value,
        outcome_detail=detail,
        response=response,
        responded_at=utcnow(),
        responded_by_id=actor.id,
    )
    return concern
