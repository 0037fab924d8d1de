"""Actions from audits, dip samples and reflective conversations: set, changed, done.

add_action and complete_action are the only ways to create and finish an action; the
audit, dip-sample and reflective-conversation parts call them. The lists are in
qa_audit.actions.lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from qa_audit.actions.models import (
    PRACTITIONER_NAME_MAX,
    Action,
    ActionSource,
    ActionStatus,
    PractitionerRole,
)
from qa_audit.actions.visibility import may_see
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_added, record_change, snapshot
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.extensions import db
from qa_audit.core.records import get_or_not_found

DESCRIPTION_MAX = 2000
NOTE_MAX = 4000
# What an action is set on, and who may see it: only they may own the action.
OwnerCheck = tuple[str, Callable[[User], bool]]
LOGGED = [
    "source",
    "audit_id",
    "description",
    "owner_id",
    "practitioner_role",
    "practitioner_name",
    "due_on",
    "status",
    "completion_note",
]


def get_action(action_id: int) -> Action:
    return get_or_not_found(Action, action_id, "action")


def _owner(owner_id: int | None, may_own: OwnerCheck | None = None) -> User:
    owner = db.session.get(User, owner_id) if owner_id is not None else None
    if owner is None:
        raise DomainError("Select who owns the action", "owner_id")
    if not owner.active:
        raise DomainError(
            f"{owner.name}'s account is deactivated: choose an active owner", "owner_id"
        )
    if may_own is not None and not may_own[1](owner):
        raise DomainError(
            f"{owner.name} cannot see this {may_own[0]}: choose an owner who can", "owner_id"
        )
    return owner


def _audit_exists(audit_id: int) -> bool:
    # The audit model is reached through the relationship: the audits part sits above this one.
    return db.session.get(Action.audit.property.mapper.class_, audit_id) is not None


def practitioner(role: str | None, name: str | None) -> tuple[str | None, str | None]:
    """The practitioner who does the action when not its owner: a known role (or none), and a
    name, needed for "another practitioner", allowed only with a role."""
    role = (role or "").strip() or None
    name = (name or "").strip() or None
    if role is None:
        if name is not None:
            raise DomainError("Select the practitioner's role", "practitioner_role")
        return None, None
    try:
        known = PractitionerRole(role)
    except ValueError as error:
        raise DomainError("Select the practitioner's role", "practitioner_role") from error
    if known is PractitionerRole.OTHER and name is None:
        raise DomainError("Enter the practitioner's name", "practitioner_name")
    if name is not None and len(name) > PRACTITIONER_NAME_MAX:
        raise DomainError(
            f"The name must be {PRACTITIONER_NAME_MAX} characters or fewer", "practitioner_name"
        )
    return known.value, name


def _description(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("Enter what needs to be done", "description")
    if len(text) > DESCRIPTION_MAX:
        raise DomainError(
            f"The action must be {DESCRIPTION_MAX} characters or fewer", "description"
        )
    return text


def add_action(
    actor: User | None,
    *,
    source: ActionSource | str,
    description: str,
    owner_id: int | None,
    due_on: date | None,
    audit_id: int | None = None,
    today: date | None = None,
    may_own: OwnerCheck | None = None,
    practitioner_role: str | None = None,
    practitioner_name: str | None = None,
) -> Action:
    """Set an action: what, owner (an active user who may see what it is set on: ``may_own``;
    responsible for it when a practitioner who is not a user does it), due date (today or
    later), where from. The caller checks that ``actor`` may set actions on the audit or dip
    sample."""
    try:
        source = ActionSource(source)
    except ValueError as error:
        raise DomainError(f"Unknown action source '{source}'", "source") from error
    description = _description(description)
    owner = _owner(owner_id, may_own)
    role, name = practitioner(practitioner_role, practitioner_name)
    if due_on is None:
        raise DomainError("Enter the date the action is due", "due_on")
    if due_on < (today or local_today()):
        raise DomainError("The due date must be today or in the future", "due_on")
    if audit_id is not None and not _audit_exists(audit_id):
        raise DomainError("No such audit", "audit_id")
    if source is ActionSource.AUDIT and audit_id is None:
        raise DomainError("An action set by an audit must name the audit", "audit_id")
    action = Action(
        source=source.value,
        audit_id=audit_id,
        description=description,
        owner_id=owner.id,
        practitioner_role=role,
        practitioner_name=name,
        due_on=due_on,
        status=ActionStatus.OPEN.value,
        created_by_id=actor.id if actor is not None else None,
    )
    record_added(actor, "action.added", action, LOGGED)
    return action


def update_action(
    actor: User | None,
    action: Action,
    *,
    description: str,
    owner_id: int | None,
    due_on: date | None,
    expected_version: int,
    today: date | None = None,
) -> Action:
    """Change an open action's wording, owner or due date (a new due date is today or later;
    a new owner is an active user who may see what the action was set on)."""
    check_version(action, expected_version, "action")
    if action.done:
        raise DomainError("This action is done and can no longer be changed")
    before = snapshot(action, LOGGED)
    description = _description(description)
    # A reflective conversation's actions carry its audit's text, as the audit's own do.
    set_on = "dip sample" if action.source == ActionSource.DIP_SAMPLE.value else "audit"
    owner = (
        _owner(owner_id, (set_on, lambda user: may_see(user, action)))
        if owner_id != action.owner_id
        else action.owner
    )
    if due_on is None:
        raise DomainError("Enter the date the action is due", "due_on")
    if due_on != action.due_on and due_on < (today or local_today()):
        raise DomainError("The due date must be today or in the future", "due_on")
    action.description = description
    action.owner_id = owner.id
    action.due_on = due_on
    flush_or_conflict("action")
    record_change(actor, "action.updated", action, before, snapshot(action, LOGGED))
    return action


def may_complete(user: User, action: Action) -> bool:
    """Only the owner (while they may see what it was set on) or a QA lead marks an action
    done."""
    if user.has_role(Role.QA_LEAD):
        return True
    return action.owner_id == user.id and may_see(user, action)


def complete_action(actor: User, action: Action, note: str, expected_version: int | None) -> Action:
    """Mark an action done with a completion note (owner or QA lead only)."""
    if not may_complete(actor, action):
        raise Forbidden("Only the action's owner or a QA lead can mark it done")
    check_version(action, expected_version, "action")
    if action.done:
        raise DomainError("This action is already done")
    note = (note or "").strip()
    if not note:
        raise DomainError("Enter a completion note: what was done", "note")
    if len(note) > NOTE_MAX:
        raise DomainError(f"The note must be {NOTE_MAX} characters or fewer", "note")
    before = snapshot(action, [*LOGGED, "completed_at", "completed_by_id"])
    action.status = ActionStatus.DONE.value
    action.completion_note = note
    action.completed_at = utcnow()
    action.completed_by_id = actor.id
    flush_or_conflict("action")
    record_change(
        actor,
        "action.completed",
        action,
        before,
        snapshot(action, [*LOGGED, "completed_at", "completed_by_id"]),
    )
    return action
