"""Allotting audits on the rota: one to a named auditor (a named case where it is known), or
every auditor holding the chosen roles topped up to the same number (planned in bulk_plan)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import uuid4

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_added, record_change, snapshot
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.months import parse_month
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.rota.models import Allocation, AllocationStatus
from qa_audit.rota.services.bulk_plan import plan_bulk
from qa_audit.rota.services.checks import (
    LOGGED,
    check_auditor,
    check_due,
    clean_case_ref,
    late_due_reason,
)
from qa_audit.rota.services.warnings import (
    Proposed,
    allocation_warnings,
    record_warnings_read,
    warnings_before,
)


@dataclass
class AllotmentResult:
    """What an allotment made, and the warnings the QA lead should read (never blocks)."""

    allocations: list[Allocation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Auditors given their own service area (the independence rule, warned before allotting).
    independence: list[str] = field(default_factory=list)
    # The bulk allotment's batch id (None for one allotted by hand).
    batch_id: str | None = None


def _checked(
    *,
    month: str,
    auditor: User | None,
    service_area: ServiceArea | None,
    due_on: date | None,
    case_ref: str | None,
    team: Team | None,
    due_on_reason: str | None,
) -> dict[str, Any]:
    """One allotment's choices, checked (a DomainError says what is wrong) and cleaned."""
    month = parse_month(month)
    auditor = check_auditor(auditor)
    if service_area is None:
        raise DomainError("Select the service area", "service_area_id")
    if team is not None and team.service_area_id != service_area.id:
        raise DomainError(f"{team.name} is not a team of {service_area.name}", "team_id")
    due_on = check_due(month, due_on, due_on_reason)
    return {
        "month": month,
        "auditor": auditor,
        "service_area": service_area,
        "team": team,
        "case_ref": clean_case_ref(case_ref),
        "due_on": due_on,
        "due_on_reason": late_due_reason(month, due_on, due_on_reason),
    }


def allotment_warnings(
    *,
    month: str,
    auditor: User | None,
    service_area: ServiceArea | None,
    due_on: date | None,
    case_ref: str | None = None,
    team: Team | None = None,
    due_on_reason: str | None = None,
) -> list[str]:
    """What the QA lead should read before this audit is allotted (nothing is written): the
    same checks as ``allot`` first, so that a mistake is shown before any warning."""
    checked = _checked(
        month=month,
        auditor=auditor,
        service_area=service_area,
        due_on=due_on,
        case_ref=case_ref,
        team=team,
        due_on_reason=due_on_reason,
    )
    return warnings_before(
        Proposed(
            auditor=checked["auditor"],
            service_area=checked["service_area"],
            month=checked["month"],
            team=checked["team"],
            case_ref=checked["case_ref"],
        )
    )


def allot(
    actor: User | None,
    *,
    month: str,
    auditor: User | None,
    service_area: ServiceArea | None,
    due_on: date | None,
    case_ref: str | None = None,
    team: Team | None = None,
    due_on_reason: str | None = None,
    warnings_read: list[str] | None = None,
) -> AllotmentResult:
    """Allot one audit to an auditor for a month (a named case where it is known).
    ``warnings_read``: the warnings the QA lead read before allotting, kept in the change log."""
    checked = _checked(
        month=month,
        auditor=auditor,
        service_area=service_area,
        due_on=due_on,
        case_ref=case_ref,
        team=team,
        due_on_reason=due_on_reason,
    )
    allocation = Allocation(
        **checked,
        status=AllocationStatus.ALLOTTED.value,
        created_by_id=actor.id if actor is not None else None,
    )
    record_added(actor, "allocation.allotted", allocation, LOGGED)
    record_warnings_read(actor, allocation, warnings_read or [])
    return AllotmentResult([allocation], allocation_warnings(allocation))


def allot_bulk(
    actor: User | None,
    *,
    month: str,
    roles: list[Role | str],
    service_areas: list[ServiceArea],
    per_auditor: int | None,
    due_on: date | None,
    due_on_reason: str | None = None,
    exclude_own_area: bool = False,
) -> AllotmentResult:
    """Make what ``plan_bulk`` plans for these choices (the preview the QA lead checked),
    every allocation marked with one new batch id so that the allotment can be undone."""
    plan = plan_bulk(
        month=month,
        roles=roles,
        service_areas=service_areas,
        per_auditor=per_auditor,
        due_on=due_on,
        due_on_reason=due_on_reason,
        exclude_own_area=exclude_own_area,
    )
    batch_id = uuid4().hex
    result = AllotmentResult(
        warnings=list(plan.warnings),
        independence=plan.independence_warnings,
        batch_id=batch_id,
    )
    for share in plan.auditors:
        for area in share.areas:
            allocation = Allocation(
                month=plan.month,
                auditor=share.auditor,
                service_area=area,
                due_on=plan.due_on,
                due_on_reason=plan.due_on_reason,
                status=AllocationStatus.ALLOTTED.value,
                created_by_id=actor.id if actor is not None else None,
                batch_id=batch_id,
            )
            db.session.add(allocation)
            result.allocations.append(allocation)
    db.session.flush()
    for allocation in result.allocations:
        record_change(actor, "allocation.allotted", allocation, None, snapshot(allocation, LOGGED))
    return result
