"""Actions: rows built directly (any due date, even past), open or done."""

from __future__ import annotations

from datetime import date

from qa_audit.actions.models import Action
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.clock import utcnow
from qa_audit.core.extensions import db
from tests.factories.audits import audit
from tests.factories.auth import user


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
    owner = owner or user(Role.AUDITOR)
    if source == "audit" and audit_id is None:
        # An owner sees the action only while they may see its audit: their own, by default.
        audit_id = audit(auditor=owner).id if owner.has_role(Role.AUDITOR) else audit().id
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
