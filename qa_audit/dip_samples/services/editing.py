"""Who may change a dip sample, what its change log keeps, and its allowed status moves."""

from __future__ import annotations

from typing import Any

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import snapshot
from qa_audit.core.concurrency import check_version
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.dip_samples.models import DIP_SAMPLE_TRANSITIONS, DipSample, DipSampleStatus

LOGGED = [
    "title",
    "period_from",
    "period_to",
    "sample_unit",
    "sample_size",
    "strengths",
    "areas_for_development",
    "status",
    "completed_on",
    "cases_not_reviewed_reason",
]
# Who may open the dip-sample pages; who may change a sample is narrower (may_edit).
READERS = (Role.QA_LEAD, Role.AUDITOR)
WHAT = "dip sample"
STALE = (
    "Someone else changed this dip sample since you opened it. "
    "Check its current state and make your change again if it is still needed."
)


def may_edit(user: User, sample: DipSample) -> bool:
    """The QA lead, and the sample's lead auditors, change a dip sample."""
    return user.has_role(Role.QA_LEAD) or any(u.id == user.id for u in sample.lead_auditors)


def must_edit(actor: User | None, sample: DipSample) -> None:
    if actor is not None and not may_edit(actor, sample):
        raise Forbidden("Only the QA lead and this dip sample's lead auditors can change it")
    if sample.completed:
        raise DomainError("This dip sample is completed: reopen it to change it")


def check_sample_version(sample: DipSample, expected_version: int | None) -> None:
    check_version(sample, expected_version, WHAT, message=STALE)


def sample_snapshot(sample: DipSample) -> dict[str, Any]:
    return {
        **snapshot(sample, LOGGED),
        "service_area_ids": sorted(a.id for a in sample.service_areas),
        "lead_auditor_ids": sorted(u.id for u in sample.lead_auditors),
        "learning_theme_ids": sorted(t.id for t in sample.learning_themes),
    }


def move(sample: DipSample, to: DipSampleStatus) -> None:
    if to not in DIP_SAMPLE_TRANSITIONS[sample.status_enum]:
        raise DomainError(
            f"A dip sample that is {sample.status_enum.label.lower()} cannot be "
            f"made {to.label.lower()}"
        )
    sample.status = to.value
