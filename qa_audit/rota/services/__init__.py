"""The monthly rota's services: allotting audits, changing allocations (reassign, extend,
exempt), following them to completion, warnings, reminders and the rota's figures. Plain
functions; the acting user is passed explicitly. Importers use this package's names; each
job lives in its own module."""

from __future__ import annotations

from qa_audit.rota.services.allotting import (
    AllotmentResult,
    allot,
    allot_bulk,
    allotment_warnings,
)
from qa_audit.rota.services.audits import (
    allocation_for_audit,
    answer_audit_from_allocation,
    complete_allocation,
    reopen_allocation,
    start_prefill,
)
from qa_audit.rota.services.batches import (
    Batch,
    batch_allocations,
    month_batches,
    started,
    undo_batch,
)
from qa_audit.rota.services.bulk_plan import (
    BULK_ROLES,
    MAX_PER_AUDITOR,
    AuditorPlan,
    BulkPlan,
    plan_bulk,
)
from qa_audit.rota.services.changes import exempt, extend, reassign, reassign_warnings
from qa_audit.rota.services.checks import LOGGED, due_window
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
    WARNINGS_READ,
    allocation_warnings,
    own_area_warning,
    own_team_warning,
    recent_audit_warning,
    warnings_digest,
)

__all__ = [
    "BULK_ROLES",
    "LOGGED",
    "MAX_PER_AUDITOR",
    "REMINDER_DAYS",
    "WARNINGS_READ",
    "AllotmentResult",
    "AuditorPlan",
    "Batch",
    "BulkPlan",
    "ReminderRun",
    "active_auditors",
    "allocation_for_audit",
    "allocation_warnings",
    "allocations_for",
    "allot",
    "allot_bulk",
    "allotment_warnings",
    "answer_audit_from_allocation",
    "audits_to_continue",
    "batch_allocations",
    "complete_allocation",
    "draft_audit_for",
    "due_soon",
    "due_window",
    "exempt",
    "extend",
    "get_allocation",
    "month_allocations",
    "month_batches",
    "overdue_allocations",
    "own_area_warning",
    "own_team_warning",
    "plan_bulk",
    "reassign",
    "reassign_warnings",
    "recent_audit_warning",
    "reopen_allocation",
    "rota_completion",
    "send_reminders",
    "start_prefill",
    "started",
    "undo_batch",
    "warnings_digest",
]
