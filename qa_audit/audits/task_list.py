"""The audit as a GOV.UK task list: its sections in order, each with its status, and which
section follows which (https://design-system.service.gov.uk/patterns/complete-multiple-tasks/)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import Audit
from qa_audit.audits.services import EVIDENCE_FIELDS, completeness_problems

NOT_STARTED = "Not yet started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
CANNOT_START = "Cannot start yet"
# The sections after the domains, in the order of the task list (safeguarding is its own
# page, shared with everyone who may see the audit).
LATER_SECTIONS = ("overall", "feedback", "themes", "actions")
OPTIONAL = "Optional"


@dataclass(frozen=True)
class Task:
    """One row of the task list."""

    key: str
    title: str
    status: str
    hint: str | None = None

    @property
    def status_params(self) -> dict[str, Any]:
        """The status as the GOV.UK task list shows it: a tag while something is left to do,
        plain text once completed, grey text when it cannot start yet."""
        return status_params(self.status)


def status_params(status: str) -> dict[str, Any]:
    """GOV.UK task list status parameters for ``status``."""
    if status == CANNOT_START:
        return {"text": status, "classes": "govuk-task-list__status--cannot-start-yet"}
    if status == IN_PROGRESS:
        return {"tag": {"text": status, "classes": "govuk-tag--light-blue"}}
    if status == NOT_STARTED:
        return {"tag": {"text": status, "classes": "govuk-tag--blue"}}
    if status.endswith(" open"):
        return {"tag": {"text": status, "classes": "govuk-tag--red"}}
    return {"text": status}


def _progress(started: bool, done: bool) -> str:
    if done:
        return COMPLETED
    return IN_PROGRESS if started else NOT_STARTED


def _inadequate_somewhere(audit: Audit) -> bool:
    grades = [row.grade_enum for row in audit.grades] + [audit.overall]
    return Grade.INADEQUATE in grades


def _domain_tasks(audit: Audit) -> list[Task]:
    rows = {row.domain_key: row for row in audit.grades}
    tasks = []
    for domain in audit.tool.domains:
        row = rows.get(domain.key)
        written = row is not None and any(getattr(row, name) for name in EVIDENCE_FIELDS)
        graded = row is not None and row.grade is not None
        tasks.append(Task(domain.key, domain.title, _progress(written or graded, graded)))
    return tasks


def _actions_task(audit: Audit) -> Task:
    if audit.actions:
        count = len(audit.actions)
        return Task("actions", "Actions", COMPLETED, f"{count} action{'s' if count != 1 else ''}")
    if _inadequate_somewhere(audit):
        return Task("actions", "Actions", NOT_STARTED, "Needed: a grade of Inadequate needs one")
    return Task("actions", "Actions", NOT_STARTED, OPTIONAL)


def tasks(audit: Audit) -> list[Task]:
    """The sections of the audit in page order, each with its status."""
    overall_started = bool(audit.overall_grade or audit.overall_rationale)
    overall_done = bool(audit.overall_grade and audit.overall_rationale.strip())
    feedback = len(audit.feedback)
    return [
        *_domain_tasks(audit),
        Task("overall", audit.tool.overall_title, _progress(overall_started, overall_done)),
        Task(
            "feedback",
            "The child's and family's feedback",
            COMPLETED if feedback else NOT_STARTED,
            f"{feedback} conversation{'s' if feedback != 1 else ''}" if feedback else OPTIONAL,
        ),
        Task(
            "themes",
            "Learning themes",
            COMPLETED if audit.learning_themes else NOT_STARTED,
            None if audit.learning_themes else OPTIONAL,
        ),
        _actions_task(audit),
    ]


def section_keys(audit: Audit) -> list[str]:
    """The sections that have a page of their own, in order."""
    return [domain.key for domain in audit.tool.domains] + list(LATER_SECTIONS)


def following(audit: Audit, key: str) -> str | None:
    """The section after ``key``; None after the last (then comes Check your answers)."""
    keys = section_keys(audit)
    position = keys.index(key)
    return keys[position + 1] if position + 1 < len(keys) else None


def safeguarding_status(audit: Audit) -> tuple[str, str | None]:
    """The safeguarding row's status and hint: how many concerns are open, if any."""
    concerns = audit.safeguarding_concerns
    if not concerns:
        return "None raised", "Flag a concern found during this audit"
    still_open = sum(1 for c in concerns if not c.resolved)
    if still_open:
        return f"{still_open} open", f"{len(concerns)} raised"
    return "All resolved", f"{len(concerns)} raised"


def ready_to_submit(audit: Audit) -> bool:
    """Check your answers can start once nothing stands in the way of submitting."""
    return not completeness_problems(audit)


def completed_count(audit: Audit) -> tuple[int, int]:
    """(sections completed, sections) for the line above the task list."""
    listed = tasks(audit)
    return sum(1 for t in listed if t.status == COMPLETED), len(listed)
