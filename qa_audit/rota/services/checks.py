"""What every rota change checks and logs: who may be allotted, the due date, the case
reference, and the allowed status moves."""

from __future__ import annotations

from datetime import date, timedelta

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.case_refs import case_ref_problem
from qa_audit.core.errors import DomainError
from qa_audit.core.months import add_months, first_day, long_date
from qa_audit.rota.models import ALLOCATION_TRANSITIONS, Allocation, AllocationStatus

# The allocation's fields kept in the change log.
LOGGED = [
    "month",
    "auditor_id",
    "service_area_id",
    "team_id",
    "case_ref",
    "due_on",
    "status",
    "exemption_reason",
    "exemption_approved_by",
    "exemption_approved_by_id",
    "due_on_reason",
]
LATE_REASON_MAX = 500
# Completing and reopening also log when the allocation was completed.
LOGGED_WITH_COMPLETION = [*LOGGED, "completed_at"]


def due_window(month: str) -> tuple[date, date]:
    """The month's window for due dates: from its first day to the last day of the month
    after it (an audit allotted late in a month may fall due early in the next)."""
    return first_day(month), first_day(add_months(month, 2)) - timedelta(days=1)


def check_due(month: str, due_on: date | None, late_reason: str | None = None) -> date:
    """The due date, within the month's window; a later one only with ``late_reason``."""
    if due_on is None:
        raise DomainError("Enter the date the audit is due", "due_on")
    start, end = due_window(month)
    if due_on < start:
        raise DomainError(
            f"The due date must be on or after the start of the month: {long_date(start)} or later",
            "due_on",
        )
    if due_on > end and not (late_reason or "").strip():
        raise DomainError(
            f"The due date must be between {long_date(start)} and {long_date(end)}, or give "
            "the reason for a later one",
            "due_on",
        )
    return due_on


def late_due_reason(month: str, due_on: date, late_reason: str | None) -> str | None:
    """The reason kept with an allocation: only where its due date is past the window."""
    reason = " ".join((late_reason or "").split())
    if due_on <= due_window(month)[1] or not reason:
        return None
    if len(reason) > LATE_REASON_MAX:
        raise DomainError(
            f"The reason for a later due date must be {LATE_REASON_MAX} characters or fewer",
            "due_on_reason",
        )
    return reason


def check_auditor(user: User | None, field: str = "auditor_id") -> User:
    if user is None:
        raise DomainError("Select the auditor", field)
    if not user.active:
        raise DomainError(
            f"{user.name}'s account is deactivated: allot the audit to an active auditor", field
        )
    if not user.has_role(Role.AUDITOR):
        raise DomainError(
            f"{user.name} does not hold the auditor role: allot the audit to an auditor", field
        )
    return user


def clean_case_ref(case_ref: str | None) -> str | None:
    case_ref = (case_ref or "").strip()
    if not case_ref:
        return None
    problem = case_ref_problem(case_ref)
    if problem:
        raise DomainError(problem, "case_ref")
    return case_ref


def must_be_open(allocation: Allocation, doing: str) -> None:
    if allocation.status == AllocationStatus.COMPLETED.value:
        raise DomainError(f"This allocation is completed: it cannot be {doing}")
    if allocation.status == AllocationStatus.EXEMPTED.value:
        raise DomainError(f"This allocation is exempted: it cannot be {doing}")


def move(allocation: Allocation, to: AllocationStatus) -> None:
    if to not in ALLOCATION_TRANSITIONS[allocation.status_enum]:
        raise DomainError(f"An allocation that is {allocation.status} cannot become {to.value}")
    allocation.status = to.value
