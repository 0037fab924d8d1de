"""Factories for what reports read: moderations, feedback, learning-theme tags and actions,
built as rows (no workflow rules), beside tests/factories.py's audit()."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from qa_audit.actions.models import Action
from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import Audit, FeedbackConversation
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.learning_themes.models import LearningTheme, audit_learning_theme
from qa_audit.moderation.models import Moderation, ModerationGrade, outcome_of
from tests import factories


def moderator() -> User:
    return factories.user(Role.MODERATOR)


def moderation(
    audit: Audit,
    overall: str,
    *,
    grades: dict[str, str] | None = None,
    moderated_on: date | None = None,
    by: User | None = None,
    status: str = "completed",
) -> Moderation:
    """A moderation of ``audit``: completed with ``overall`` (the outcome worked out from the
    auditor's grade) unless ``status`` says otherwise. Domains not in ``grades`` are agreed."""
    by = by or moderator()
    completed = status == "completed"
    row = Moderation(
        audit_id=audit.id,
        status=status,
        selection_reason="Chosen for a test",
        moderator_id=by.id,
        overall_grade=overall if completed else None,
        outcome=outcome_of(Grade(audit.overall_grade), Grade(overall)).value if completed else None,
        moderated_on=(moderated_on or audit.submitted_on) if completed else None,
        completed_at=datetime.now(UTC) if completed else None,
    )
    grades = grades or {}
    if completed:
        for g in audit.grades:
            row.grades.append(
                ModerationGrade(domain_key=g.domain_key, grade=grades.get(g.domain_key, g.grade))
            )
    db.session.add(row)
    db.session.flush()
    return row


def feedback(
    audit: Audit, who: str, tone: str = "positive", said: str = "Said", consent: bool = False
) -> FeedbackConversation:
    row = FeedbackConversation(
        audit_id=audit.id, who=who, how="visit", said=said, tone=tone, consent_to_quote=consent
    )
    db.session.add(row)
    db.session.flush()
    return row


def theme(audit: Audit, name: str) -> None:
    theme_id = db.session.scalar(select(LearningTheme.id).where(LearningTheme.name == name))
    assert theme_id is not None, f"seeded learning theme {name!r} missing"
    db.session.execute(
        insert(audit_learning_theme).values(audit_id=audit.id, learning_theme_id=theme_id)
    )


def action(audit: Audit, due_on: date, done: bool = False, owner: User | None = None) -> Action:
    owner = owner or audit.auditor
    row = Action(
        audit_id=audit.id,
        description="Do the thing",
        owner_id=owner.id,
        due_on=due_on,
        status="done" if done else "open",
        completed_at=datetime.now(UTC) if done else None,
    )
    db.session.add(row)
    db.session.flush()
    return row
