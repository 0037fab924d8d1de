"""What a bulk allotment would make, worked out before anything is allotted: the QA lead
checks it on a preview page, and allotting makes exactly this plan.

Re-running an allotment for a month tops every auditor up to the number asked: the
allocations they already have that month (from any allotment, one by one too) count. The
independence rule: an auditor given audits in their own service area could choose a case of
their own team, so that is always warned; with ``exclude_own_area`` they are given only
other areas."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import active_holders
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.months import month_label, parse_month
from qa_audit.organisation.models import ServiceArea
from qa_audit.rota.models import Allocation
from qa_audit.rota.services.checks import check_due, late_due_reason
from qa_audit.rota.services.warnings import own_area_warning

MAX_PER_AUDITOR = 20
# Roles whose holders may be allotted audits in bulk (each must also hold the auditor role).
BULK_ROLES = (Role.AUDITOR, Role.SERVICE_MANAGER, Role.MODERATOR, Role.QA_LEAD)


@dataclass
class AuditorPlan:
    """One auditor's share of a bulk allotment."""

    auditor: User
    already: int
    areas: list[ServiceArea] = field(default_factory=list)

    @property
    def own_area(self) -> bool:
        """Given audits in their own service area (where they could meet their own team)."""
        return any(a.id == self.auditor.service_area_id for a in self.areas)

    @property
    def own_area_warning(self) -> str | None:
        return own_area_warning(self.auditor) if self.own_area else None


@dataclass
class BulkPlan:
    """What allotting would make, and what the QA lead should read first (never blocks)."""

    month: str
    due_on: date
    due_on_reason: str | None
    per_auditor: int
    exclude_own_area: bool
    auditors: list[AuditorPlan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(p.areas) for p in self.auditors)

    @property
    def independence_warnings(self) -> list[str]:
        return [w for p in self.auditors if (w := p.own_area_warning)]


def plan_bulk(
    *,
    month: str,
    roles: list[Role | str],
    service_areas: list[ServiceArea],
    per_auditor: int | None,
    due_on: date | None,
    due_on_reason: str | None = None,
    exclude_own_area: bool = False,
) -> BulkPlan:
    """Top every active auditor holding any of ``roles`` up to ``per_auditor`` audits for the
    month, spread round-robin over ``service_areas`` (in the order given) across all the
    allocations made, auditors taken in name order. Nothing is written."""
    month = parse_month(month)
    wanted = _bulk_roles(roles)
    if not service_areas:
        raise DomainError("Select at least one service area", "service_area_ids")
    count = _per_auditor(per_auditor)
    due_on = check_due(month, due_on, due_on_reason)
    holders = active_holders(wanted)
    auditors = [u for u in holders if u.has_role(Role.AUDITOR)]
    if not auditors:
        raise DomainError(
            "No active auditor holds the roles you selected, so nothing was allotted", "roles"
        )
    plan = BulkPlan(
        month,
        due_on,
        late_due_reason(month, due_on, due_on_reason),
        count,
        exclude_own_area,
    )
    skipped = [u for u in holders if not u.has_role(Role.AUDITOR)]
    if skipped:
        plan.warnings.append(
            "Not allotted, because they do not hold the auditor role: " + _names(skipped) + "."
        )
    _share_out(plan, auditors, service_areas)
    if plan.count == 0:
        raise DomainError(
            f"Every auditor already has {count} audit{'s' if count != 1 else ''} for "
            f"{month_label(month)}: there is nothing more to allot",
            "per_auditor",
        )
    return plan


def _share_out(plan: BulkPlan, auditors: list[User], areas: list[ServiceArea]) -> None:
    held = _held(plan.month, auditors)
    topped_up: list[str] = []
    no_other_area: list[User] = []
    turn = 0
    for auditor in auditors:
        share = AuditorPlan(auditor, held[auditor.id])
        plan.auditors.append(share)
        if share.already:
            topped_up.append(f"{auditor.name} ({share.already})")
        for _ in range(max(0, plan.per_auditor - share.already)):
            index = _next_area(areas, turn, auditor, plan.exclude_own_area)
            if index is None:
                no_other_area.append(auditor)
                break
            share.areas.append(areas[index])
            turn = index + 1
    if topped_up:
        plan.warnings.append(
            f"Already allotted audits for {month_label(plan.month)}, so given only enough to "
            f"make {plan.per_auditor} each: " + _list(topped_up) + "."
        )
    if no_other_area:
        plan.warnings.append(
            "Not allotted, because every service area you selected is their own: "
            + _names(no_other_area)
            + "."
        )


def _next_area(areas: list[ServiceArea], turn: int, auditor: User, exclude: bool) -> int | None:
    """The index of the next area in turn, passing over the auditor's own if excluded."""
    for step in range(len(areas)):
        index = (turn + step) % len(areas)
        if not (exclude and areas[index].id == auditor.service_area_id):
            return index
    return None


def _held(month: str, auditors: list[User]) -> Counter[int]:
    """How many allocations each auditor already has in the month, whatever their status."""
    rows = db.session.execute(
        select(Allocation.auditor_id, func.count(Allocation.id))
        .where(Allocation.month == month, Allocation.auditor_id.in_([u.id for u in auditors]))
        .group_by(Allocation.auditor_id)
    )
    return Counter({auditor_id: n for auditor_id, n in rows})


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


def _names(users: list[User], limit: int = 10) -> str:
    return _list([u.name for u in users], limit)


def _list(items: list[str], limit: int = 10) -> str:
    shown = items[:limit]
    if len(items) > limit:
        shown.append(f"and {len(items) - limit} more")
    return ", ".join(shown)
