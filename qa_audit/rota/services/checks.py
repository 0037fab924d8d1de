"""What every rota change checks and logs: who may be allotted, the due date, the case
reference, and the allowed status moves."""

from __future__ import annotations

from datetime import date

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.case_refs import case_ref_problem
from qa_audit.core.errors import DomainError
from qa_audit.core.months import first_day, long_date
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
]
# Completing and reopening also log when the allocation was completed.
LOGGED_WITH_COMPLETION = [*LOGGED, "completed_at"]


def check_due(month: str, due_on: date | None) -> date:
    if due_on is None:
        raise DomainError("Enter the date the audit is due", "due_on")
    if due_on < first_day(month):
        raise DomainError(
            f"The due date must be on or after the start of the month: "
            f"{long_date(first_day(month))} or later",
            "due_on",
        )
    return due_on


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
