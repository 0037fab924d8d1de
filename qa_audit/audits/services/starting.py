"""Starting an audit: the case, where and when, its kind, and (for closing the loop) the
earlier audit it follows; optionally from a rota allocation."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import func, select

from qa_audit.audit_tools.services import current_tool
from qa_audit.audits.access import can_view_audit, seen_scope
from qa_audit.audits.models import Audit, AuditDomainGrade, AuditStatus, AuditType
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core import signals
from qa_audit.core.case_refs import case_ref_problem
from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.organisation.models import ServiceArea, Team

EARLIEST_AUDIT_DATE = date(2000, 1, 1)
_DONE = (AuditStatus.SUBMITTED.value, AuditStatus.CLOSED.value)
START_LOGGED = [
    "reference",
    "case_ref",
    "service_area_id",
    "team_id",
    "auditor_id",
    "tool_id",
    "audit_type",
    "previous_audit_id",
    "audit_date",
    "status",
    "allocation_id",
]


def validate_case_ref(value: str) -> str:
    """The case reference cleaned, or DomainError (field case_ref) saying what is wrong."""
    problem = case_ref_problem(value or "")
    if problem:
        raise DomainError(problem, "case_ref")
    return value.strip()


def allocation_prefill(actor: User, allocation_id: int | None) -> dict[str, Any]:
    """What the start page fills in from the rota allocation the audit is started from (the
    rota answers: core.signals.audit_from_allocation); NotFound if nobody knows it, or the
    rota's DomainError when no audit may be started from it."""
    if allocation_id is not None:
        for _receiver, answer in signals.audit_from_allocation.send(
            actor, allocation_id=allocation_id
        ):
            if answer is not None:
                return dict(answer)
    raise NotFound("No such allocation")


def audit_started_from(actor: User, allocation_id: int | None) -> Audit | None:
    """The actor's audit already started from this rota allocation and not yet submitted
    (a draft, or returned to them): the one to continue, never to start again."""
    if allocation_id is None:
        return None
    return db.session.scalar(
        select(Audit)
        .where(
            Audit.allocation_id == allocation_id,
            Audit.auditor_id == actor.id,
            Audit.status.in_([AuditStatus.DRAFT.value, AuditStatus.RETURNED.value]),
        )
        .order_by(Audit.id.desc())
        .limit(1)
    )


def _check_allocation(actor: User, allocation_id: int) -> None:
    """The rota allocation an audit is started from must be the actor's, still open, and
    without an audit of its own in progress."""
    try:
        allocation_prefill(actor, allocation_id)
    except NotFound as error:
        raise DomainError(
            "The rota allocation for this audit no longer exists", "case_ref"
        ) from error
    except DomainError as error:
        raise DomainError(error.message, "case_ref") from error
    started = audit_started_from(actor, allocation_id)
    if started is not None:
        raise DomainError(
            f"Audit {started.reference} has already been started from this allocation: "
            "continue that audit",
            "case_ref",
        )


def _area_and_team(service_area_id: int | None, team_id: int | None) -> tuple[ServiceArea, Team]:
    area = db.session.get(ServiceArea, service_area_id) if service_area_id else None
    if area is None:
        raise DomainError("Select the service area", "service_area_id")
    team = db.session.get(Team, team_id) if team_id else None
    if team is None:
        raise DomainError("Select the team", "team_id")
    if team.service_area_id != area.id:
        raise DomainError(f"Select a team in {area.name}", "team_id")
    return area, team


def _check_audit_date(audit_date: date | None, today: date) -> date:
    if audit_date is None:
        raise DomainError("Enter the audit date", "audit_date")
    if audit_date > today:
        raise DomainError("The audit date must be today or in the past", "audit_date")
    if audit_date < EARLIEST_AUDIT_DATE:
        raise DomainError("The audit date must be after 1 January 2000", "audit_date")
    return audit_date


def _audit_by_reference(actor: User, reference: str) -> Audit:
    # An audit the actor may not see is answered as one that does not exist.
    previous = db.session.scalar(
        select(Audit).where(
            func.upper(Audit.reference) == reference.strip().upper(), seen_scope(actor)
        )
    )
    if previous is None:
        raise DomainError(
            f"There is no audit with the reference {reference.strip()}", "previous_audit_ref"
        )
    return previous


def _named_earlier_audit(
    actor: User, case_ref: str, audit_date: date, previous_audit_id: int
) -> Audit:
    previous = db.session.get(Audit, previous_audit_id)
    if previous is None or not can_view_audit(actor, previous):
        raise DomainError("The earlier audit does not exist", "previous_audit_ref")
    if previous.case_ref.upper() != case_ref.upper():
        raise DomainError(
            f"Audit {previous.reference} is of another case: a closing-the-loop audit links "
            "an earlier audit of the same case",
            "previous_audit_ref",
        )
    if previous.status not in _DONE or (previous.submitted_on or audit_date) > audit_date:
        raise DomainError(
            f"Audit {previous.reference} has not been submitted before this audit's date",
            "previous_audit_ref",
        )
    return previous


def _latest_earlier_audit(actor: User, case_ref: str, audit_date: date) -> Audit:
    # Only audits the actor may see: whether another area's case was audited stays unsaid.
    previous = db.session.scalar(
        select(Audit)
        .where(
            func.upper(Audit.case_ref) == case_ref.upper(),
            Audit.status.in_(_DONE),
            Audit.submitted_on <= audit_date,
            seen_scope(actor),
        )
        .order_by(Audit.submitted_on.desc(), Audit.id.desc())
        .limit(1)
    )
    if previous is None:
        raise DomainError(
            f"There is no earlier submitted audit of case {case_ref} to close the loop on: "
            "choose a deep dive, or check the case reference",
            "audit_type",
        )
    return previous


def _earlier_audit(
    actor: User,
    case_ref: str,
    audit_date: date,
    previous_audit_id: int | None,
    previous_audit_ref: str | None,
) -> Audit:
    """The earlier submitted audit of the same case, one the actor may see, that a
    closing-the-loop audit links."""
    if previous_audit_id is None and previous_audit_ref:
        previous_audit_id = _audit_by_reference(actor, previous_audit_ref).id
    if previous_audit_id is not None:
        return _named_earlier_audit(actor, case_ref, audit_date, previous_audit_id)
    return _latest_earlier_audit(actor, case_ref, audit_date)


def _previous_audit(
    actor: User,
    kind: AuditType,
    case_ref: str,
    audit_date: date,
    previous_audit_id: int | None,
    previous_audit_ref: str | None,
) -> Audit | None:
    if kind is AuditType.CLOSING_THE_LOOP:
        return _earlier_audit(actor, case_ref, audit_date, previous_audit_id, previous_audit_ref)
    if previous_audit_id is not None or previous_audit_ref:
        raise DomainError(
            "Only a closing-the-loop audit links an earlier audit", "previous_audit_ref"
        )
    return None


def start_audit(
    actor: User,
    case_ref: str,
    service_area_id: int | None,
    team_id: int | None,
    audit_date: date | None,
    audit_type: AuditType | str,
    previous_audit_id: int | None = None,
    allocation_id: int | None = None,
    *,
    previous_audit_ref: str | None = None,
    today: date | None = None,
) -> Audit:
    """Start a draft audit on the current tool version, with an empty grade for each domain."""
    if not actor.has_role(Role.AUDITOR):
        raise Forbidden("Only auditors start audits")
    today = today or local_today()
    case_ref = validate_case_ref(case_ref)
    area, team = _area_and_team(service_area_id, team_id)
    audit_date = _check_audit_date(audit_date, today)
    try:
        kind = AuditType(audit_type)
    except ValueError as error:
        raise DomainError("Select the type of audit", "audit_type") from error
    previous = _previous_audit(
        actor, kind, case_ref, audit_date, previous_audit_id, previous_audit_ref
    )
    if allocation_id is not None:
        _check_allocation(actor, allocation_id)
    try:
        tool = current_tool(today)
    except NotFound as error:
        raise DomainError(error.message, "case_ref") from error
    audit = Audit(
        # a unique placeholder until the id is known
        reference=f"new-{uuid.uuid4().hex[:24]}",
        case_ref=case_ref,
        service_area=area,
        team=team,
        auditor=actor,
        tool=tool,
        audit_type=kind.value,
        previous_audit=previous,
        audit_date=audit_date,
        status=AuditStatus.DRAFT.value,
        overall_rationale="",
        allocation_id=allocation_id,
    )
    for position, domain in enumerate(tool.domains):
        audit.grades.append(
            AuditDomainGrade(
                tool_domain_id=domain.id,
                domain_key=domain.key,
                position=position,
                grade=None,
                working_well="",
                needs_improvement="",
                impact="",
            )
        )
    db.session.add(audit)
    db.session.flush()
    audit.reference = _reference_for(audit.id)
    db.session.flush()
    record_change(actor, "audit.started", audit, None, snapshot(audit, START_LOGGED))
    return audit


def _reference_for(audit_id: int) -> str:
    """QA-000123 from the id; an imported audit may already hold that text, then -2, -3 …"""
    base = f"QA-{audit_id:06d}"
    candidate, n = base, 1
    while db.session.scalar(select(Audit.id).where(Audit.reference == candidate)) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
