"""Bulk allotments as a whole: those of a month, one batch's allocations, and undoing a batch
while none of it has started (every allocation still allotted, no audit begun from any)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db
from qa_audit.rota.models import Allocation, AllocationStatus
from qa_audit.rota.services.checks import LOGGED


@dataclass(frozen=True)
class Batch:
    """One bulk allotment: its id, when it was made and by whom, and how many it made."""

    batch_id: str
    made_at: datetime
    made_by: str | None
    count: int


def month_batches(month: str) -> list[Batch]:
    """The bulk allotments of a month still on the rota, newest first."""
    rows = db.session.execute(
        select(
            Allocation.batch_id,
            func.min(Allocation.created_at),
            func.min(User.name),
            func.count(Allocation.id),
        )
        .outerjoin(User, User.id == Allocation.created_by_id)
        .where(Allocation.month == month, Allocation.batch_id.is_not(None))
        .group_by(Allocation.batch_id)
        .order_by(func.min(Allocation.created_at).desc(), Allocation.batch_id)
    )
    return [Batch(batch_id or "", made_at, by, n) for batch_id, made_at, by, n in rows]


def batch_allocations(batch_id: str) -> list[Allocation]:
    """The allocations of one bulk allotment (NotFound when there are none)."""
    allocations = list(
        db.session.scalars(
            select(Allocation).where(Allocation.batch_id == batch_id).order_by(Allocation.id)
        )
    )
    if not allocations:
        raise NotFound("No such allotment")
    return allocations


def started(allocations: list[Allocation]) -> list[Allocation]:
    """Those of ``allocations`` already under way: no longer allotted, or an audit begun."""
    begun = set(
        db.session.scalars(
            select(Audit.allocation_id).where(Audit.allocation_id.in_([a.id for a in allocations]))
        )
    )
    return [a for a in allocations if a.status != AllocationStatus.ALLOTTED.value or a.id in begun]


def undo_batch(actor: User | None, batch_id: str) -> int:
    """Remove every allocation of a bulk allotment, each removal in the change log; refused
    once any of them has started. Returns how many were removed."""
    allocations = batch_allocations(batch_id)
    under_way = started(allocations)
    if under_way:
        n = len(under_way)
        raise DomainError(
            f"This allotment cannot be undone: {n} of its {len(allocations)} audits "
            f"{'has' if n == 1 else 'have'} started, been completed or been exempted. "
            "Change those allocations one by one instead"
        )
    for allocation in allocations:
        record_change(actor, "allocation.undone", allocation, snapshot(allocation, LOGGED), None)
        db.session.delete(allocation)
    db.session.flush()
    return len(allocations)
