"""Audits started from an allocation: which allocation an auditor may start from, what the
start page fills in, and the allocation following its audit (completed when the audit is
submitted, allotted again when it is returned)."""

from __future__ import annotations

from typing import Any

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.clock import utcnow
from qa_audit.core.errors import DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.rota.models import Allocation, AllocationStatus
from qa_audit.rota.services.checks import LOGGED_WITH_COMPLETION, move
from qa_audit.rota.services.queries import get_allocation


def allocation_for_audit(actor: User, allocation_id: int | None) -> Allocation:
    """The allocation an audit is being started from: the actor's own, still allotted.
    The audit start page and start_audit call this."""
    if allocation_id is None:
        raise NotFound("No such allocation")
    allocation = get_allocation(allocation_id)
    if allocation.auditor_id != actor.id:
        raise Forbidden("This allocation is not yours: only its auditor can start its audit")
    if allocation.status == AllocationStatus.COMPLETED.value:
        raise DomainError("The audit for this allocation has already been submitted")
    if allocation.status == AllocationStatus.EXEMPTED.value:
        raise DomainError("This allocation is exempted: there is no audit to start")
    return allocation


def start_prefill(actor: User, allocation_id: int | None) -> dict[str, Any]:
    """What the audit start page fills in from an allocation (checked as above)."""
    allocation = allocation_for_audit(actor, allocation_id)
    return {
        "allocation_id": allocation.id,
        "case_ref": allocation.case_ref or "",
        "service_area_id": allocation.service_area_id,
        "team_id": allocation.team_id,
        "due_on": allocation.due_on,
    }


def answer_audit_from_allocation(actor: User, *, allocation_id: int | None) -> dict[str, Any]:
    """Receiver of audit_from_allocation: what the start page fills in, or the DomainError
    saying why no audit may be started from the allocation."""
    return start_prefill(actor, allocation_id)


def complete_allocation(audit: Audit, actor: User | None) -> None:
    """An audit started from an allocation has been submitted: the allocation is completed
    (an exempted one too: the audit was done after all). Receiver of audit_submitted."""
    allocation = _allocation_of(audit)
    if allocation is None or allocation.status == AllocationStatus.COMPLETED.value:
        return
    before = snapshot(allocation, LOGGED_WITH_COMPLETION)
    move(allocation, AllocationStatus.COMPLETED)
    allocation.completed_at = utcnow()
    _log_followed(actor, "allocation.completed", allocation, before, audit)


def reopen_allocation(audit: Audit, actor: User | None) -> None:
    """The audit that completed an allocation was returned to its auditor: it is not done
    until resubmitted, so the allocation is allotted again. Receiver of audit_returned."""
    allocation = _allocation_of(audit)
    if allocation is None or allocation.status != AllocationStatus.COMPLETED.value:
        return
    before = snapshot(allocation, LOGGED_WITH_COMPLETION)
    move(allocation, AllocationStatus.ALLOTTED)
    allocation.completed_at = None
    _log_followed(actor, "allocation.reopened", allocation, before, audit)


def _allocation_of(audit: Audit) -> Allocation | None:
    if audit.allocation_id is None:
        return None
    return db.session.get(Allocation, audit.allocation_id)


def _log_followed(
    actor: User | None, event: str, allocation: Allocation, before: dict[str, Any], audit: Audit
) -> None:
    db.session.flush()
    after = {**snapshot(allocation, LOGGED_WITH_COMPLETION), "audit_id": audit.id}
    record_change(actor, event, allocation, before, after)
