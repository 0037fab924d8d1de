"""The actions an audit sets while it is being written: what, who owns it, when it is due.
(The actions themselves, wherever they come from, live in qa_audit.actions.)"""

from __future__ import annotations

from datetime import date

from qa_audit.actions import services as actions
from qa_audit.actions.models import Action, ActionSource
from qa_audit.audits.access import can_view_audit
from qa_audit.audits.models import Audit
from qa_audit.audits.services.reading import require_editor
from qa_audit.auth.models import User
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db


def _logged(action: Action) -> dict[str, object]:
    logged: dict[str, object] = {
        "action_id": action.id,
        "description": action.description,
        "owner": action.owner.name,
        "due_on": action.due_on,
    }
    if action.practitioner:
        logged["done_by"] = action.practitioner
    return logged


def add_action(
    actor: User,
    audit: Audit,
    description: str | None,
    owner_id: int | None,
    due_on: date | None,
    *,
    today: date | None = None,
    practitioner_role: str | None = None,
    practitioner_name: str | None = None,
) -> Action:
    """Set an action on the audit: what, who owns it (an active user who may see the audit),
    when it is due; optionally a practitioner who is not a user does it, the owner responsible."""
    require_editor(actor, audit)
    try:
        action = actions.add_action(
            actor,
            source=ActionSource.AUDIT,
            description=description or "",
            owner_id=owner_id,
            due_on=due_on,
            audit_id=audit.id,
            today=today or local_today(),
            may_own=("audit", lambda owner: can_view_audit(owner, audit)),
            practitioner_role=practitioner_role,
            practitioner_name=practitioner_name,
        )
    except DomainError as error:
        if error.field in (
            "description",
            "owner_id",
            "due_on",
            "practitioner_role",
            "practitioner_name",
        ):
            error.field = f"action-{error.field}"
        raise
    if action not in audit.actions:
        audit.actions.append(action)
    record_change(actor, "audit.action_added", audit, None, _logged(action))
    return action


def remove_action(actor: User, audit: Audit, action_id: int) -> None:
    """Take an action off a draft (its content stays in the change log)."""
    require_editor(actor, audit)
    action = next((a for a in audit.actions if a.id == action_id), None)
    if action is None:
        raise NotFound("This action is not on the audit (it may have been removed already)")
    if action.done:
        raise DomainError("This action has been done and cannot be removed")
    before = _logged(action)
    record_change(actor, "action.removed", action, snapshot(action, actions.LOGGED), None)
    audit.actions.remove(action)
    db.session.delete(action)
    record_change(actor, "audit.action_removed", audit, before, None)
    db.session.flush()
