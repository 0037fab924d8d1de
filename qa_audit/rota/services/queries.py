"""Reading the rota: allocations by month, by auditor, overdue or due soon; completion
figures; audits already started from allocations."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from qa_audit.audits.models import Audit, AuditStatus
from qa_audit.auth.models import User, UserRole
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.core.records import get_or_not_found
from qa_audit.organisation.models import ServiceArea
from qa_audit.rota.models import Allocation, AllocationStatus

# How many days ahead an allocation counts as due soon (home page, reminders).
REMINDER_DAYS = 5


def get_allocation(allocation_id: int) -> Allocation:
    return get_or_not_found(Allocation, allocation_id, "allocation")


def active_auditors() -> list[User]:
    """Everyone who can be allotted an audit: active users holding the auditor role."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.AUDITOR.value, User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def month_allocations(month: str, service_area_id: int | None = None) -> list[Allocation]:
    """Every allocation of a month, by auditor then due date."""
    query = (
        select(Allocation)
        .join(User, User.id == Allocation.auditor_id)
        .where(Allocation.month == month)
        .order_by(User.name, Allocation.due_on, Allocation.id)
    )
    if service_area_id is not None:
        query = query.where(Allocation.service_area_id == service_area_id)
    return list(db.session.scalars(query))


def allocations_for(user: User, include_closed: bool = False) -> list[Allocation]:
    """The user's own allocations, soonest due first (open ones only unless asked)."""
    query = (
        select(Allocation)
        .where(Allocation.auditor_id == user.id)
        .order_by(Allocation.due_on, Allocation.id)
    )
    if not include_closed:
        query = query.where(Allocation.status == AllocationStatus.ALLOTTED.value)
    return list(db.session.scalars(query))


def overdue_allocations(today: date | None = None, month: str | None = None) -> list[Allocation]:
    """Allotted (not completed, not exempted) allocations whose due date has passed."""
    today = today or local_today()
    query = (
        select(Allocation)
        .where(Allocation.status == AllocationStatus.ALLOTTED.value, Allocation.due_on < today)
        .order_by(Allocation.due_on, Allocation.id)
    )
    if month is not None:
        query = query.where(Allocation.month == month)
    return list(db.session.scalars(query))


def due_soon(
    today: date | None = None, days: int = REMINDER_DAYS, auditor: User | None = None
) -> list[Allocation]:
    """Allotted allocations due within ``days`` days of today, overdue ones included."""
    today = today or local_today()
    query = (
        select(Allocation)
        .where(
            Allocation.status == AllocationStatus.ALLOTTED.value,
            Allocation.due_on <= date.fromordinal(today.toordinal() + days),
        )
        .order_by(Allocation.due_on, Allocation.id)
    )
    if auditor is not None:
        query = query.where(Allocation.auditor_id == auditor.id)
    return list(db.session.scalars(query))


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def rota_completion(
    from_month: str,
    to_month: str | None = None,
    service_area_id: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Allotted against completed, by auditor and by service area, for a month or a period.

    Plain dicts (for pages, reports and the API). ``percent_completed`` is completed out of
    allotted less exempted (an exempted allocation is not expected to be done), one decimal
    place, None when nothing is expected."""
    to_month = to_month or from_month
    today = today or local_today()
    status = Allocation.status
    counts = (
        func.count(Allocation.id),
        func.count(Allocation.id).filter(status == AllocationStatus.COMPLETED.value),
        func.count(Allocation.id).filter(status == AllocationStatus.EXEMPTED.value),
        func.count(Allocation.id).filter(
            status == AllocationStatus.ALLOTTED.value, Allocation.due_on < today
        ),
    )
    where = [Allocation.month >= from_month, Allocation.month <= to_month]
    if service_area_id is not None:
        where.append(Allocation.service_area_id == service_area_id)

    def grouped(key: Any, name: Any, on: Any) -> list[tuple[int, str, dict[str, Any]]]:
        result = db.session.execute(
            select(key, name, *counts)
            .select_from(Allocation)
            .join(key.table, on)
            .where(*where)
            .group_by(key, name)
            .order_by(name, key)
        )
        return [(id_, label, _completion_counts(*numbers)) for id_, label, *numbers in result]

    totals = db.session.execute(select(*counts).select_from(Allocation).where(*where)).one()
    return {
        "period": {"from": from_month, "to": to_month},
        "by_auditor": [
            {"auditor_id": id_, "auditor": label, **numbers}
            for id_, label, numbers in grouped(User.id, User.name, User.id == Allocation.auditor_id)
        ],
        "by_service_area": [
            {"service_area_id": id_, "service_area": label, **numbers}
            for id_, label, numbers in grouped(
                ServiceArea.id, ServiceArea.name, ServiceArea.id == Allocation.service_area_id
            )
        ],
        "total": _completion_counts(*totals),
    }


def _completion_counts(
    allotted: int, completed: int, exempted: int, overdue: int
) -> dict[str, Any]:
    expected = allotted - exempted
    return {
        "allotted": allotted,
        "completed": completed,
        "exempted": exempted,
        "outstanding": expected - completed,
        "overdue": overdue,
        "percent_completed": _percent(completed, expected),
    }


def draft_audit_for(allocation: Allocation) -> Audit | None:
    """An audit already started (not yet submitted) from this allocation, if any."""
    return db.session.scalar(
        select(Audit)
        .where(Audit.allocation_id == allocation.id, Audit.status == AuditStatus.DRAFT.value)
        .order_by(Audit.id.desc())
        .limit(1)
    )


def audits_to_continue(allocations: list[Allocation]) -> dict[int, tuple[int, str]]:
    """For these allocations, the audit already started from each and not yet submitted (a
    draft, or one returned to its auditor): allocation id -> (audit id, reference), so that
    the auditor continues it rather than starting another."""
    ids = [a.id for a in allocations]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Audit.allocation_id, Audit.id, Audit.reference)
        .where(
            Audit.allocation_id.in_(ids),
            Audit.status.in_([AuditStatus.DRAFT.value, AuditStatus.RETURNED.value]),
        )
        .order_by(Audit.id)
    )
    # Ordered by id, so the newest audit of an allocation is the one kept.
    return {
        allocation_id: (audit_id, ref)
        for allocation_id, audit_id, ref in rows
        if allocation_id is not None
    }
