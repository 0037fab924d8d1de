"""An auditor's own allocations, every one of them: filtered by month and status, paged. Open
ones first, soonest due first (the order of the home page); then the closed, latest due first."""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Select, case, func, select

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.core.paging import Paging
from qa_audit.rota.models import Allocation, AllocationStatus
from qa_audit.rota.services import REMINDER_DAYS

PER_PAGE = 25


class AllocationState(Enum):
    """Which of the auditor's allocations the list shows: the open ones unless asked."""

    OPEN = "open"
    DUE_SOON = "due_soon"
    COMPLETED = "completed"
    EXEMPTED = "exempted"
    ANY = "any"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AllocationState.OPEN: "Open",
    AllocationState.DUE_SOON: f"Due within {REMINDER_DAYS} days or overdue",
    AllocationState.COMPLETED: "Completed",
    AllocationState.EXEMPTED: "Exempted",
    AllocationState.ANY: "Any status",
}


def _wanted(
    query: Select[*tuple[Any, ...]], state: AllocationState, today: date
) -> Select[*tuple[Any, ...]]:
    status = Allocation.status
    if state in (AllocationState.OPEN, AllocationState.DUE_SOON):
        query = query.where(status == AllocationStatus.ALLOTTED.value)
    if state is AllocationState.DUE_SOON:
        # As the reminders on the home page: due within REMINDER_DAYS days, overdue included.
        query = query.where(Allocation.due_on <= today + timedelta(days=REMINDER_DAYS))
    if state in (AllocationState.COMPLETED, AllocationState.EXEMPTED):
        query = query.where(status == state.value)
    return query


def own_allocations(
    auditor: User,
    state: AllocationState = AllocationState.OPEN,
    month: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
    today: date | None = None,
) -> tuple[list[Allocation], Paging]:
    """One page of the auditor's allocations in ``state`` (of one month if given)."""
    is_open = Allocation.status == AllocationStatus.ALLOTTED.value
    query = _wanted(
        select(Allocation).where(Allocation.auditor_id == auditor.id), state, today or local_today()
    ).order_by(
        case((is_open, 0), else_=1),
        case((is_open, Allocation.due_on), else_=None),
        Allocation.due_on.desc(),
        Allocation.id,
    )
    if month:
        query = query.where(Allocation.month == month)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    paging = Paging.clamp(page, per_page, total)
    return list(db.session.scalars(query.limit(per_page).offset(paging.offset))), paging


def months_of(auditor: User) -> list[str]:
    """The months the auditor has allocations in, newest first (the month filter's choices)."""
    return list(
        db.session.scalars(
            select(Allocation.month)
            .where(Allocation.auditor_id == auditor.id)
            .distinct()
            .order_by(Allocation.month.desc())
        )
    )


def audits_done(allocations: list[Allocation]) -> dict[int, tuple[int, str]]:
    """For the completed among these allocations, the audit that completed each: allocation id
    -> (audit id, reference), the newest where there are several."""
    ids = [a.id for a in allocations if a.status == AllocationStatus.COMPLETED.value]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Audit.allocation_id, Audit.id, Audit.reference)
        .where(Audit.allocation_id.in_(ids))
        .order_by(Audit.id)
    )
    return {
        allocation_id: (audit_id, ref)
        for allocation_id, audit_id, ref in rows
        if allocation_id is not None
    }
