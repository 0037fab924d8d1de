"""The auditor's journey: start an audit, save drafts, feedback and actions, submit, return.

Services take the acting user explicitly, raise DomainError (field = the form field at fault),
log every change with before and after, and only flush: the request (or command) commits.
Each job has its module; the names callers use are gathered here."""

from __future__ import annotations

from qa_audit.audits.services.audit_actions import add_action, remove_action
from qa_audit.audits.services.drafting import (
    EVIDENCE_FIELDS,
    EVIDENCE_LABELS,
    STALE_MESSAGE,
    TEXT_MAX,
    DomainEntry,
    DraftData,
    differences,
    save_draft,
)
from qa_audit.audits.services.feedback import SAID_MAX, add_feedback, remove_feedback
from qa_audit.audits.services.lifecycle import (
    REASON_MAX,
    IncompleteAudit,
    completeness_problems,
    return_audit,
    submit,
)
from qa_audit.audits.services.reading import (
    AUDIT_PAGE,
    active_themes_for,
    can_view,
    get_audit,
    get_audit_for,
    may_edit,
    my_open_audits,
    tool_used_by_audits,
)
from qa_audit.audits.services.starting import (
    EARLIEST_AUDIT_DATE,
    allocation_prefill,
    audit_started_from,
    start_audit,
    validate_case_ref,
)

__all__ = [
    "AUDIT_PAGE",
    "EARLIEST_AUDIT_DATE",
    "EVIDENCE_FIELDS",
    "EVIDENCE_LABELS",
    "REASON_MAX",
    "SAID_MAX",
    "STALE_MESSAGE",
    "TEXT_MAX",
    "DomainEntry",
    "DraftData",
    "IncompleteAudit",
    "active_themes_for",
    "add_action",
    "add_feedback",
    "allocation_prefill",
    "audit_started_from",
    "can_view",
    "completeness_problems",
    "differences",
    "get_audit",
    "get_audit_for",
    "may_edit",
    "my_open_audits",
    "remove_action",
    "remove_feedback",
    "return_audit",
    "save_draft",
    "start_audit",
    "submit",
    "tool_used_by_audits",
    "validate_case_ref",
]
