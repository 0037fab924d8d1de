"""The QA lead changes the sampling rules: the rate per grade and the deadlines in working days."""

from __future__ import annotations

from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.moderation.models import SamplingSettings

# Per grade, the setting that makes a sampled audit of that grade a blind moderation.
BLIND_FIELDS = {
    Grade.OUTSTANDING: "blind_outstanding",
    Grade.GOOD: "blind_good",
    Grade.REQUIRES_IMPROVEMENT: "blind_requires_improvement",
    Grade.INADEQUATE: "blind_inadequate",
}
SETTINGS_FIELDS = [
    "rate_outstanding",
    "rate_good",
    "rate_requires_improvement",
    "inadequate_deadline_days",
    "normal_deadline_days",
    "reflective_deadline_days",
    *BLIND_FIELDS.values(),
]
MAX_DEADLINE_DAYS = 60


def update_settings(
    actor: User,
    settings: SamplingSettings,
    version: int | None,
    *,
    rate_outstanding: float,
    rate_good: float,
    rate_requires_improvement: float,
    inadequate_deadline_days: int,
    normal_deadline_days: int,
    reflective_deadline_days: int,
    blind_grades: set[Grade] | None = None,
) -> SamplingSettings:
    """The QA lead changes the sampling rates, the deadlines and, per grade, whether sampled
    audits are moderated blind (``blind_grades``; None leaves that as it is). Logged."""
    if not actor.has_role(Role.QA_LEAD):
        raise Forbidden("Only the QA lead can change the sampling rules")
    check_version(
        settings,
        version,
        "sampling rules",
        message="Someone else changed the sampling rules while you had this page open. "
        "The current rules are shown: check them and save again.",
        field="version",
    )
    rates = {
        "rate_outstanding": rate_outstanding,
        "rate_good": rate_good,
        "rate_requires_improvement": rate_requires_improvement,
    }
    for field, rate in rates.items():
        if not 0 <= rate <= 1:
            raise DomainError("Enter a rate between 0% and 100%", field)
    days = {
        "inadequate_deadline_days": inadequate_deadline_days,
        "normal_deadline_days": normal_deadline_days,
        "reflective_deadline_days": reflective_deadline_days,
    }
    for field, value in days.items():
        if not 1 <= value <= MAX_DEADLINE_DAYS:
            raise DomainError(
                f"Enter a number of working days from 1 to {MAX_DEADLINE_DAYS}", field
            )
    before = snapshot(settings, SETTINGS_FIELDS)
    for field, rate in rates.items():
        setattr(settings, field, rate)
    for field, value in days.items():
        setattr(settings, field, value)
    if blind_grades is not None:
        for grade, field in BLIND_FIELDS.items():
            setattr(settings, field, grade in blind_grades)
    settings.updated_by_id = actor.id
    flush_or_conflict(
        "sampling rules",
        message="Someone else changed the sampling rules at the same moment: nothing was saved. "
        "Open the page again to see the current rules.",
        field="version",
    )
    record_change(
        actor, "moderation.sampling_settings", settings, before, snapshot(settings, SETTINGS_FIELDS)
    )
    return settings
