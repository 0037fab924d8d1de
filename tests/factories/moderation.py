"""Moderations: waiting in the queue, or completed (one builder, ``completed_moderation``, for
every test that needs an outcome); the installation's sampling salt."""

from __future__ import annotations

from datetime import UTC, date, datetime

from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.clock import utcnow
from qa_audit.core.extensions import db
from qa_audit.moderation.models import (
    Moderation,
    ModerationGrade,
    ModerationPriority,
    ModerationStatus,
    outcome_of,
)
from qa_audit.moderation.sampling import get_settings
from tests.factories.auth import moderator, user

__all__ = ["completed", "completed_moderation", "moderation", "moderator", "salt", "selected"]


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


def completed_moderation(
    audit: Audit,
    overall: str,
    moderator: User | None = None,
    *,
    grades: dict[str, str] | None = None,
    domain_grades: bool = True,
    moderated_on: date | None = None,
    completed_at: datetime | None = None,
    source: str = "app",
    rationale: str = "Moderated in a test",
    selection_reason: str | None = None,
) -> Moderation:
    """A completed moderation of ``audit`` with the moderated overall grade ``overall``, the
    outcome worked out from the auditor's grade. Domains not in ``grades`` agree with the
    auditor (``domain_grades=False``: no domain judgements at all). Moderated on the audit's
    submission day unless told; completed at noon UTC that day unless told."""
    moderator = moderator or user(Role.MODERATOR)
    moderated_on = moderated_on or audit.submitted_on
    assert moderated_on is not None, "a completed moderation needs a submitted audit or a date"
    row = Moderation(
        audit_id=audit.id,
        status=ModerationStatus.COMPLETED.value,
        priority=ModerationPriority.NORMAL.value,
        selection_reason=selection_reason
        or ("Imported" if source == "import" else "Selected in a test"),
        moderator_id=moderator.id,
        overall_grade=overall,
        overall_rationale=rationale,
        outcome=outcome_of(Grade(audit.overall_grade), Grade(overall)).value,
        moderated_on=moderated_on,
        completed_at=completed_at
        or datetime(moderated_on.year, moderated_on.month, moderated_on.day, 12, tzinfo=UTC),
        source=source,
    )
    chosen = grades or {}
    if domain_grades:
        for domain_grade in audit.grades:
            key = domain_grade.domain_key
            row.grades.append(
                ModerationGrade(
                    domain_key=key,
                    grade=chosen.get(key, domain_grade.grade or Grade.NOT_APPLICABLE.value),
                    rationale="Regraded" if key in chosen else "",
                )
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
    """A completed moderation by ``moderator_user`` (the moderation tests' spelling)."""
    return completed_moderation(
        audit,
        overall,
        moderator_user,
        grades=grades,
        source=source,
        moderated_on=moderated_on,
        rationale=rationale,
    )


def moderation(
    audit: Audit,
    overall: str,
    *,
    grades: dict[str, str] | None = None,
    moderated_on: date | None = None,
    by: User | None = None,
    status: str = "completed",
) -> Moderation:
    """A moderation of ``audit`` by ``by`` (the report tests' spelling): completed with
    ``overall`` unless ``status`` says otherwise (then it holds no judgement)."""
    by = by or moderator()
    if status == ModerationStatus.COMPLETED.value:
        return completed_moderation(
            audit, overall, by, grades=grades, moderated_on=moderated_on, completed_at=utcnow()
        )
    row = Moderation(
        audit_id=audit.id, status=status, selection_reason="Chosen for a test", moderator_id=by.id
    )
    db.session.add(row)
    db.session.flush()
    return row
