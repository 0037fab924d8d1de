"""Changing an allotted allocation: reassigning it, extending its due date, exempting it.
Each refuses a change made on a stale page (optimistic concurrency)."""

from __future__ import annotations

from datetime import date

from qa_audit.auth.models import User
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError
from qa_audit.core.months import long_date
from qa_audit.rota.models import Allocation, AllocationStatus
from qa_audit.rota.services.checks import (
    LOGGED,
    check_auditor,
    check_due,
    late_due_reason,
    move,
    must_be_open,
)
from qa_audit.rota.services.warnings import (
    Proposed,
    allocation_warnings,
    record_warnings_read,
    warnings_before,
)

WHAT = "allocation"


def _new_auditor(allocation: Allocation, auditor: User | None) -> User:
    must_be_open(allocation, "reassigned")
    auditor = check_auditor(auditor)
    if auditor.id == allocation.auditor_id:
        raise DomainError(f"This allocation is already {auditor.name}'s", "auditor_id")
    return auditor


def reassign_warnings(
    allocation: Allocation, auditor: User | None, expected_version: int | None = None
) -> list[str]:
    """What the QA lead should read before the allocation is given to ``auditor`` (nothing is
    written): the same checks as ``reassign`` first."""
    check_version(allocation, expected_version, WHAT)
    return warnings_before(Proposed.change_of(allocation, _new_auditor(allocation, auditor)))


def reassign(
    actor: User | None,
    allocation: Allocation,
    auditor: User | None,
    expected_version: int | None = None,
    warnings_read: list[str] | None = None,
) -> list[str]:
    """Give an allotted allocation to another active auditor; returns the warnings that now
    apply. The change log keeps who had it before, and the warnings read before."""
    check_version(allocation, expected_version, WHAT)
    auditor = _new_auditor(allocation, auditor)
    before = snapshot(allocation, LOGGED)
    allocation.auditor = auditor
    allocation.last_reminded_on = None
    flush_or_conflict(WHAT)
    record_change(actor, "allocation.reassigned", allocation, before, snapshot(allocation, LOGGED))
    record_warnings_read(actor, allocation, warnings_read or [])
    return allocation_warnings(allocation)


def extend(
    actor: User | None,
    allocation: Allocation,
    due_on: date | None,
    expected_version: int | None = None,
    due_on_reason: str | None = None,
) -> Allocation:
    """Move an allotted allocation's due date later: within the month's window, as when it
    was allotted, unless ``due_on_reason`` says why it is later (kept with it)."""
    check_version(allocation, expected_version, WHAT)
    must_be_open(allocation, "extended")
    if due_on is None:
        raise DomainError("Enter the new due date", "due_on")
    if due_on <= allocation.due_on:
        raise DomainError(
            f"The new due date must be after the current one, {long_date(allocation.due_on)}",
            "due_on",
        )
    due_on = check_due(allocation.month, due_on, due_on_reason)
    before = snapshot(allocation, LOGGED)
    allocation.due_on = due_on
    allocation.due_on_reason = late_due_reason(allocation.month, due_on, due_on_reason)
    allocation.last_reminded_on = None
    flush_or_conflict(WHAT)
    record_change(actor, "allocation.extended", allocation, before, snapshot(allocation, LOGGED))
    return allocation


def exempt(
    actor: User | None,
    allocation: Allocation,
    *,
    reason: str | None,
    approved_by: str | User | None,
    expected_version: int | None = None,
) -> Allocation:
    """Record that an allotted audit need not be done: why, and who approved it."""
    check_version(allocation, expected_version, WHAT)
    must_be_open(allocation, "exempted")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter the reason for the exemption", "reason")
    approver_name, approver_id = _approver(approved_by)
    before = snapshot(allocation, LOGGED)
    move(allocation, AllocationStatus.EXEMPTED)
    allocation.exemption_reason = reason
    allocation.exemption_approved_by = approver_name
    allocation.exemption_approved_by_id = approver_id
    flush_or_conflict(WHAT)
    record_change(actor, "allocation.exempted", allocation, before, snapshot(allocation, LOGGED))
    return allocation


def _approver(approved_by: str | User | None) -> tuple[str, int | None]:
    """Who approved an exemption: always a name; the account too where they have one."""
    if isinstance(approved_by, User):
        approver_name, approver_id = approved_by.name, approved_by.id
    else:
        approver_name, approver_id = " ".join((approved_by or "").split()), None
    if not approver_name:
        raise DomainError("Enter who approved the exemption", "approved_by")
    if len(approver_name) > 200:
        raise DomainError("The approver's name must be 200 characters or fewer", "approved_by")
    return approver_name, approver_id
