"""An audit's way through its states: submitted (once complete), returned to its auditor by
the QA lead, submitted again."""

from __future__ import annotations

from datetime import date

from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import AUDIT_TRANSITIONS, Audit, AuditStatus
from qa_audit.audits.services.drafting import clean_text, flush_audit
from qa_audit.audits.services.reading import require_editor
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core import signals
from qa_audit.core.clock import LOCAL_TZ, utcnow
from qa_audit.core.concurrency import check_version
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.notifications import send_after_commit

REASON_MAX = 2_000
STALE_CHECK = (
    "This audit was changed in another window or by someone else since you opened this page. "
    "It has not been submitted: check your answers again."
)
SUBMISSION_LOGGED = ["status", "submitted_at", "submitted_on", "submitted_month", "returned_reason"]
RETURN_LOGGED = ["status", "returned_reason"]


class IncompleteAudit(DomainError):
    """Submission refused: ``problems`` lists every (field, message) at once."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("The audit is not complete", problems[0][0] if problems else None)
        self.problems = problems


def _transition(audit: Audit, to: AuditStatus) -> None:
    if to not in AUDIT_TRANSITIONS[audit.status_enum]:
        raise DomainError(
            f"Audit {audit.reference} is {audit.status_enum.label.lower()}: "
            f"it cannot be {to.label.lower()}"
        )
    audit.status = to.value


def completeness_problems(audit: Audit) -> list[tuple[str, str]]:
    """Every reason the audit cannot yet be submitted, as (field, message), in page order."""
    problems: list[tuple[str, str]] = []
    rows = {row.domain_key: row for row in audit.grades}
    grades = []
    for domain in audit.tool.domains:
        row = rows.get(domain.key)
        grade = row.grade_enum if row else None
        if grade is None:
            extra = ", or Not applicable" if domain.allows_na else ""
            problems.append((f"{domain.key}-grade", f"Select a grade for {domain.title}{extra}"))
        grades.append(grade)
    if audit.overall is None:
        problems.append(("overall_grade", "Select the overall grade"))
    grades.append(audit.overall)
    if not audit.overall_rationale.strip():
        problems.append(("overall_rationale", "Enter the rationale for the overall grade"))
    if Grade.INADEQUATE in grades and not audit.actions:
        problems.append(
            ("actions", "Add at least one action: a grade of Inadequate needs an action")
        )
    return problems


def submit(
    actor: User, audit: Audit, *, today: date | None = None, expected_version: int | None = None
) -> Audit:
    """Submit (or resubmit) a complete audit; IncompleteAudit lists every problem at once.
    ``expected_version``: the version the auditor checked their answers on (ConcurrentEdit
    if it has changed since)."""
    require_editor(actor, audit)
    if expected_version is not None:
        check_version(audit, expected_version, "audit", message=STALE_CHECK, field="version")
    problems = completeness_problems(audit)
    if problems:
        raise IncompleteAudit(problems)
    before = snapshot(audit, SUBMISSION_LOGGED)
    resubmission = audit.status == AuditStatus.RETURNED.value
    _transition(audit, AuditStatus.SUBMITTED)
    if audit.submitted_on is None:
        # The month it counts in is fixed by the first submission: a resubmission after a
        # return does not move it (published monthly figures stay put).
        now = utcnow()
        submitted_on = today or now.astimezone(LOCAL_TZ).date()
        audit.submitted_at = now
        audit.submitted_on = submitted_on
        audit.submitted_month = submitted_on.strftime("%Y-%m")
    audit.returned_reason = None
    flush_audit()
    action = "audit.resubmitted" if resubmission else "audit.submitted"
    record_change(actor, action, audit, before, snapshot(audit, SUBMISSION_LOGGED))
    signals.audit_submitted.send(audit, actor=actor)
    return audit


def return_audit(actor: User, audit: Audit, reason: str | None) -> Audit:
    """The QA lead sends a submitted audit back to its auditor with a reason."""
    if not actor.has_role(Role.QA_LEAD):
        raise Forbidden("Only the QA lead can return an audit")
    text = clean_text(reason, REASON_MAX, "reason", "The reason")
    if not text:
        raise DomainError("Enter why the audit is being returned", "reason")
    before = snapshot(audit, RETURN_LOGGED)
    _transition(audit, AuditStatus.RETURNED)
    audit.returned_reason = text
    flush_audit()
    record_change(actor, "audit.returned", audit, before, snapshot(audit, RETURN_LOGGED))
    signals.audit_returned.send(audit, actor=actor)
    # No reason in the e-mail: it is free text and could name someone.
    send_after_commit(
        [audit.auditor.email],
        f"Audit {audit.reference} has been returned to you",
        f"{actor.name} has returned audit {audit.reference} (case {audit.case_ref}) to you.\n"
        "Sign in to qa-audit to see the reason, change the audit and submit it again.",
    )
    return audit
