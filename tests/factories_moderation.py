"""Factories for moderation tests: moderators, selected and completed moderations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.moderation.models import (
    Moderation,
    ModerationGrade,
    ModerationPriority,
    ModerationStatus,
    outcome_of,
)
from qa_audit.moderation.sampling import get_settings
from tests import factories


def moderator(**kwargs: object) -> User:
    return factories.user(Role.MODERATOR, **kwargs)  # type: ignore[arg-type]


def salt(value: str = "test-salt") -> None:
    """Fix the installation's salt so that draws are known in a test."""
    get_settings().salt = value
    db.session.flush()


def selected(
    audit: Audit,
    *,
    priority: str = "normal",
    due_on: date | None = None,
    moderator_user: User | None = None,
) -> Moderation:
    """A moderation waiting in the queue (built directly, as the sampling rule would)."""
    row = Moderation(
        audit_id=audit.id,
        status=ModerationStatus.SELECTED.value,
        priority=ModerationPriority(priority).value,
        selection_reason="Selected in a test",
        due_on=due_on or date(2024, 5, 13),
        moderator_id=moderator_user.id if moderator_user else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def completed(
    audit: Audit,
    *,
    moderator_user: User,
    overall: str,
    grades: dict[str, str] | None = None,
    source: str = "app",
    moderated_on: date = date(2024, 5, 1),
    rationale: str = "Moderated in a test",
) -> Moderation:
    """A completed moderation: domains not in ``grades`` agree with the auditor."""
    row = Moderation(
        audit_id=audit.id,
        status=ModerationStatus.COMPLETED.value,
        priority=ModerationPriority.NORMAL.value,
        selection_reason="Imported" if source == "import" else "Selected in a test",
        moderator_id=moderator_user.id,
        overall_grade=overall,
        overall_rationale=rationale,
        outcome=outcome_of(Grade(audit.overall_grade), Grade(overall)).value,
        moderated_on=moderated_on,
        completed_at=datetime(
            moderated_on.year, moderated_on.month, moderated_on.day, 12, tzinfo=UTC
        ),
        source=source,
    )
    grades = grades or {}
    for domain_grade in audit.grades:
        row.grades.append(
            ModerationGrade(
                domain_key=domain_grade.domain_key,
                grade=grades.get(domain_grade.domain_key, domain_grade.grade or "not_applicable"),
                rationale="Regraded" if domain_grade.domain_key in grades else "",
            )
        )
    db.session.add(row)
    db.session.flush()
    return row
