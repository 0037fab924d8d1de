"""The monthly rota's services: allotting audits, changing allocations (reassign, extend,
exempt), following them to completion, warnings, reminders and the rota's figures. Plain
functions; the acting user is passed explicitly. Importers use this package's names; each
job lives in its own module."""

from __future__ import annotations

from qa_audit.rota.services.allotting import (
    BULK_ROLES,
    MAX_PER_AUDITOR,
    AllotmentResult,
    allot,
    allot_bulk,
)
from qa_audit.rota.services.audits import (
    allocation_for_audit,
    answer_audit_from_allocation,
    complete_allocation,
    reopen_allocation,
    start_prefill,
)
from qa_audit.rota.services.changes import exempt, extend, reassign
from qa_audit.rota.services.checks import LOGGED
from qa_audit.rota.services.queries import (
    REMINDER_DAYS,
    active_auditors,
    allocations_for,
    audits_to_continue,
    draft_audit_for,
    due_soon,
    get_allocation,
    month_allocations,
    overdue_allocations,
    rota_completion,
)
from qa_audit.rota.services.reminders import ReminderRun, send_reminders
from qa_audit.rota.services.warnings import (
    allocation_warnings,
    own_team_warning,
    recent_audit_warning,
)

__all__ = [
    "BULK_ROLES",
    "LOGGED",
    "MAX_PER_AUDITOR",
    "REMINDER_DAYS",
    "AllotmentResult",
    "ReminderRun",
    "active_auditors",
    "allocation_for_audit",
    "allocation_warnings",
    "allocations_for",
    "allot",
    "allot_bulk",
    "answer_audit_from_allocation",
    "audits_to_continue",
    "complete_allocation",
    "draft_audit_for",
    "due_soon",
    "exempt",
    "extend",
    "get_allocation",
    "month_allocations",
    "overdue_allocations",
    "own_team_warning",
    "reassign",
    "recent_audit_warning",
    "reopen_allocation",
    "rota_completion",
    "send_reminders",
    "start_prefill",
]
