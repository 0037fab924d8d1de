"""Thematic dip samples' services: set one up, add checklist questions, record each sampled
case's answers, write the findings, set actions, complete it; the checklist results; the
completed samples of a period for reports. Importers use this package's names; each job lives
in its own module."""

from __future__ import annotations

from qa_audit.dip_samples.services.checklist import (
    QUESTION_MAX,
    add_question,
    record_case,
    remove_case,
    remove_question,
)
from qa_audit.dip_samples.services.completed import dip_samples_completed
from qa_audit.dip_samples.services.editing import LOGGED, READERS, may_edit
from qa_audit.dip_samples.services.follow_up import add_dip_sample_action
from qa_audit.dip_samples.services.queries import (
    QuestionResult,
    actions_seen_by,
    checklist_results,
    get_dip_sample,
    lead_auditor_choices,
    list_dip_samples,
    may_read,
    readable_scope,
)
from qa_audit.dip_samples.services.samples import (
    FINDINGS_MAX,
    SAMPLE_SIZE_MAX,
    TITLE_MAX,
    SampleDetails,
    complete_dip_sample,
    create_dip_sample,
    reopen_dip_sample,
    update_dip_sample,
)

__all__ = [
    "FINDINGS_MAX",
    "LOGGED",
    "QUESTION_MAX",
    "READERS",
    "SAMPLE_SIZE_MAX",
    "TITLE_MAX",
    "QuestionResult",
    "SampleDetails",
    "actions_seen_by",
    "add_dip_sample_action",
    "add_question",
    "checklist_results",
    "complete_dip_sample",
    "create_dip_sample",
    "dip_samples_completed",
    "get_dip_sample",
    "lead_auditor_choices",
    "list_dip_samples",
    "may_edit",
    "may_read",
    "readable_scope",
    "record_case",
    "remove_case",
    "remove_question",
    "reopen_dip_sample",
    "update_dip_sample",
]
