"""Factories for actions, safeguarding concerns and completed moderations (for tests of what
reads them)."""

from __future__ import annotations

from datetime import date

from qa_audit.actions.models import Action
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.clock import utcnow
from qa_audit.core.extensions import db
from tests import factories


def action(
    *,
    owner: User | None = None,
    audit_id: int | None = None,
    source: str = "audit",
    description: str = "Update the child's plan",
    due_on: date = date(2030, 1, 31),
    done: bool = False,
) -> Action:
    """An action row built directly (any due date, even past), optionally already done."""
    owner = owner or factories.user(Role.AUDITOR)
    if source == "audit" and audit_id is None:
        audit_id = factories.audit().id
    row = Action(
        source=source,
        audit_id=audit_id,
        description=description,
        owner_id=owner.id,
        due_on=due_on,
        status="done" if done else "open",
        completed_at=utcnow() if done else None,
        completed_by_id=owner.id if done else None,
        completion_note="Done" if done else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def completed_moderation(audit, overall: str, moderator: User | None = None):  # type: ignore[no-untyped-def]
    """A completed Moderation of ``audit`` with the moderated overall grade ``overall``."""
    from qa_audit.audit_tools.grades import Grade
    from qa_audit.moderation.models import Moderation, outcome_of

    moderator = moderator or factories.user(Role.MODERATOR)
    row = Moderation(
        audit_id=audit.id,
        status="completed",
        priority="normal",
        selection_reason="Sampled for the test",
        moderator_id=moderator.id,
        overall_grade=overall,
        overall_rationale="Moderator's rationale",
        outcome=outcome_of(Grade(audit.overall_grade), Grade(overall)).value,
        moderated_on=audit.submitted_on,
        completed_at=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    return row
