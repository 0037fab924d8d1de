"""Allotting audits on the rota: one to a named auditor (a named case where it is known), or
the same number to every auditor holding the chosen roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import active_holders
from qa_audit.changelog.services import record_added, record_change, snapshot
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.months import month_label, parse_month
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.rota.models import Allocation, AllocationStatus
from qa_audit.rota.services.checks import LOGGED, check_auditor, check_due, clean_case_ref
from qa_audit.rota.services.warnings import allocation_warnings

MAX_PER_AUDITOR = 20
# Roles whose holders may be allotted audits in bulk (each must also hold the auditor role).
BULK_ROLES = (Role.AUDITOR, Role.SERVICE_MANAGER, Role.MODERATOR, Role.QA_LEAD)


@dataclass
class AllotmentResult:
    """What an allotment made, and the warnings the QA lead should read (never blocks)."""

    allocations: list[Allocation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def allot(
    actor: User | None,
    *,
    month: str,
    auditor: User | None,
    service_area: ServiceArea | None,
    due_on: date | None,
    case_ref: str | None = None,
    team: Team | None = None,
) -> AllotmentResult:
    """Allot one audit to an auditor for a month (a named case where it is known)."""
    month = parse_month(month)
    auditor = check_auditor(auditor)
    if service_area is None:
        raise DomainError("Select the service area", "service_area_id")
    if team is not None and team.service_area_id != service_area.id:
        raise DomainError(f"{team.name} is not a team of {service_area.name}", "team_id")
    due_on = check_due(month, due_on)
    allocation = Allocation(
        month=month,
        auditor=auditor,
        service_area=service_area,
        team=team,
        case_ref=clean_case_ref(case_ref),
        due_on=due_on,
        status=AllocationStatus.ALLOTTED.value,
        created_by_id=actor.id if actor is not None else None,
    )
    record_added(actor, "allocation.allotted", allocation, LOGGED)
    return AllotmentResult([allocation], allocation_warnings(allocation))


def allot_bulk(
    actor: User | None,
    *,
    month: str,
    roles: list[Role | str],
    service_areas: list[ServiceArea],
    per_auditor: int | None,
    due_on: date | None,
) -> AllotmentResult:
    """Allot ``per_auditor`` audits to every active auditor holding any of ``roles``, spread
    round-robin over ``service_areas`` (in the order given) across all the allocations made,
    auditors taken in name order."""
    month = parse_month(month)
    wanted = _bulk_roles(roles)
    if not service_areas:
        raise DomainError("Select at least one service area", "service_area_ids")
    count = _per_auditor(per_auditor)
    due_on = check_due(month, due_on)
    holders = active_holders(wanted)
    auditors = [u for u in holders if u.has_role(Role.AUDITOR)]
    skipped = [u for u in holders if not u.has_role(Role.AUDITOR)]
    if not auditors:
        raise DomainError(
            "No active auditor holds the roles you selected, so nothing was allotted", "roles"
        )
    result = AllotmentResult()
    if skipped:
        result.warnings.append(
            "Not allotted, because they do not hold the auditor role: " + _names(skipped) + "."
        )
    already = _already_allotted(month, auditors)
    if already:
        result.warnings.append(
            f"Already allotted audits for {month_label(month)}, and now given {count} "
            f"more: " + _names(already) + "."
        )
    turns = [user for user in auditors for _ in range(count)]
    for k, user in enumerate(turns):
        allocation = Allocation(
            month=month,
            auditor=user,
            service_area=service_areas[k % len(service_areas)],
            due_on=due_on,
            status=AllocationStatus.ALLOTTED.value,
            created_by_id=actor.id if actor is not None else None,
        )
        db.session.add(allocation)
        result.allocations.append(allocation)
    db.session.flush()
    for allocation in result.allocations:
        record_change(actor, "allocation.allotted", allocation, None, snapshot(allocation, LOGGED))
    return result


def _bulk_roles(roles: list[Role | str]) -> set[Role]:
    try:
        wanted = {Role(r) for r in roles}
    except ValueError as error:
        raise DomainError("Select roles from the list", "roles") from error
    if not wanted:
        raise DomainError("Select whose audits to allot: at least one role", "roles")
    return wanted


def _per_auditor(per_auditor: int | None) -> int:
    if per_auditor is None or per_auditor < 1:
        raise DomainError("Enter how many audits each auditor gets: 1 or more", "per_auditor")
    if per_auditor > MAX_PER_AUDITOR:
        raise DomainError(
            f"Allot no more than {MAX_PER_AUDITOR} audits to each auditor in one go",
            "per_auditor",
        )
    return per_auditor


def _already_allotted(month: str, auditors: list[User]) -> list[User]:
    """Those of ``auditors`` who already have allocations in ``month``."""
    having = set(
        db.session.scalars(
            select(Allocation.auditor_id).where(
                Allocation.month == month, Allocation.auditor_id.in_([u.id for u in auditors])
            )
        )
    )
    return [u for u in auditors if u.id in having]


def _names(users: list[User], limit: int = 10) -> str:
    names = [u.name for u in users[:limit]]
    if len(users) > limit:
        names.append(f"and {len(users) - limit} more")
    return ", ".join(names)
