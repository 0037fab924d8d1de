"""Reflective conversations: when moderation leaves the overall grade Inadequate (kept, or
downgraded to it), the service manager of the area holds one and records the date, who took
part, the learning and remedial actions (which join the action list). Tracked until held;
overdue shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from qa_audit.actions.models import Action, ActionSource, ActionStatus
from qa_audit.actions.services import practitioner
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import users_with_role
from qa_audit.changelog.services import record_added, record_change, snapshot
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.extensions import db
from qa_audit.core.notifications import send_after_commit
from qa_audit.core.records import get_or_not_found
from qa_audit.core.working_days import add_working_days
from qa_audit.moderation.models import (
    Moderation,
    ReflectiveConversation,
    ReflectiveStatus,
)
from qa_audit.moderation.sampling import get_settings

FIELDS = ["status", "due_on", "held_on", "participants", "learning", "recorded_by_id"]
ACTION_FIELDS = [
    "source",
    "audit_id",
    "reflective_conversation_id",
    "description",
    "owner_id",
    "practitioner_role",
    "practitioner_name",
    "due_on",
]


@dataclass(frozen=True)
class RemedialAction:
    description: str
    due_on: date | None
    # A practitioner who is not a user may do it; the person recording stays responsible.
    practitioner_role: str | None = None
    practitioner_name: str | None = None

    @property
    def blank(self) -> bool:
        typed = (self.description, self.practitioner_role, self.practitioner_name)
        return self.due_on is None and not any((text or "").strip() for text in typed)


def open_reflective_conversation(
    actor: User | None, moderation: Moderation
) -> ReflectiveConversation:
    """A reflective conversation due within the configured working days of the moderation."""
    existing = db.session.scalar(
        select(ReflectiveConversation).where(ReflectiveConversation.moderation_id == moderation.id)
    )
    if existing is not None:
        return existing
    start = moderation.moderated_on or local_today()
    conversation = ReflectiveConversation(
        moderation_id=moderation.id,
        audit_id=moderation.audit_id,
        service_area_id=moderation.audit.service_area_id,
        status=ReflectiveStatus.DUE.value,
        due_on=add_working_days(start, get_settings().reflective_deadline_days),
    )
    record_added(
        actor,
        "reflective_conversation.due",
        conversation,
        ["audit_id", "service_area_id", "status", "due_on"],
    )
    return conversation


def conversation_for(moderation: Moderation) -> ReflectiveConversation | None:
    return db.session.scalar(
        select(ReflectiveConversation).where(ReflectiveConversation.moderation_id == moderation.id)
    )


def notify_due(conversation: ReflectiveConversation, link: str) -> None:
    """E-mail the area's service managers that a reflective conversation is due, once it is
    committed."""
    audit = conversation.audit
    due = f"{conversation.due_on.day} {conversation.due_on:%B %Y}"
    body = "\n".join(
        [
            f"The moderation of audit {audit.reference} (case {audit.case_ref}) in "
            f"{conversation.service_area.name} has kept an overall grade of Inadequate.",
            "",
            f"A reflective conversation is due by {due}. Record who took part, the learning "
            "and any remedial actions:",
            link,
        ]
    )
    managers = service_managers_of(conversation.service_area_id)
    send_after_commit(
        [m.email for m in managers],
        f"Reflective conversation due by {due}: audit {audit.reference}",
        body,
    )


def get_conversation(conversation_id: int) -> ReflectiveConversation:
    return get_or_not_found(ReflectiveConversation, conversation_id, "reflective conversation")


def service_managers_of(service_area_id: int) -> list[User]:
    """Active service managers of a service area."""
    return users_with_role(Role.SERVICE_MANAGER, service_area_id)


def may_see(user: User, conversation: ReflectiveConversation) -> bool:
    if user.has_role(Role.QA_LEAD, Role.MODERATOR):
        return True
    return may_record(user, conversation)


def may_record(user: User, conversation: ReflectiveConversation) -> bool:
    """The area's service manager records it (the QA lead may, on their behalf)."""
    if user.has_role(Role.QA_LEAD):
        return True
    return (
        user.has_role(Role.SERVICE_MANAGER) and user.service_area_id == conversation.service_area_id
    )


def list_conversations(user: User) -> list[ReflectiveConversation]:
    """The conversations this user may see: due first (earliest deadline), then held."""
    query = select(ReflectiveConversation).order_by(
        ReflectiveConversation.status, ReflectiveConversation.due_on, ReflectiveConversation.id
    )
    if not user.has_role(Role.QA_LEAD, Role.MODERATOR):
        if not user.has_role(Role.SERVICE_MANAGER) or user.service_area_id is None:
            return []
        query = query.where(ReflectiveConversation.service_area_id == user.service_area_id)
    return list(db.session.scalars(query).unique())


def due_for(user: User) -> list[ReflectiveConversation]:
    """Conversations due (not yet held) in this service manager's area, earliest first."""
    if user.service_area_id is None:
        return []
    return list(
        db.session.scalars(
            select(ReflectiveConversation)
            .where(
                ReflectiveConversation.service_area_id == user.service_area_id,
                ReflectiveConversation.status == ReflectiveStatus.DUE.value,
            )
            .order_by(ReflectiveConversation.due_on, ReflectiveConversation.id)
        ).unique()
    )


def _check_remedial_actions(actions: list[RemedialAction], held_on: date) -> None:
    """Each remedial action filled in has a description and a due date, not before the
    conversation; a slot left wholly blank is ignored."""
    for index, action in enumerate(actions, start=1):
        if action.blank:
            continue
        if not action.description.strip():
            raise DomainError(f"Describe remedial action {index}", f"action_{index}_description")
        if action.due_on is None:
            raise DomainError(
                f"Enter the due date of remedial action {index}", f"action_{index}_due_on"
            )
        if action.due_on < held_on:
            raise DomainError(
                f"Remedial action {index} cannot be due before the conversation was held",
                f"action_{index}_due_on",
            )
        _check_practitioner(action, index)


def _check_practitioner(action: RemedialAction, index: int) -> None:
    """The actions' own check, its message naming which remedial action it is about."""
    try:
        practitioner(action.practitioner_role, action.practitioner_name)
    except DomainError as error:
        raise DomainError(
            f"{error.message} for remedial action {index}", f"action_{index}_{error.field}"
        ) from error


def _add_remedial_actions(
    actor: User, conversation: ReflectiveConversation, actions: list[RemedialAction]
) -> None:
    """The remedial actions join the action list, owned by the person recording them."""
    for action in actions:
        if not action.description.strip():
            continue
        assert action.due_on is not None
        role, name = practitioner(action.practitioner_role, action.practitioner_name)
        row = Action(
            source=ActionSource.REFLECTIVE_CONVERSATION.value,
            audit_id=conversation.audit_id,
            reflective_conversation_id=conversation.id,
            description=action.description.strip(),
            owner_id=actor.id,
            practitioner_role=role,
            practitioner_name=name,
            due_on=action.due_on,
            status=ActionStatus.OPEN.value,
            created_by_id=actor.id,
        )
        db.session.add(row)
        record_change(actor, "action.created", row, None, snapshot(row, ACTION_FIELDS))


def record_conversation(
    actor: User,
    conversation: ReflectiveConversation,
    version: int | None,
    *,
    held_on: date | None,
    participants: str,
    learning: str,
    actions: list[RemedialAction],
) -> ReflectiveConversation:
    """Record a reflective conversation as held, with its remedial actions (owned by actor)."""
    if not may_record(actor, conversation):
        raise Forbidden("Only the service manager of the area can record this conversation")
    if conversation.held:
        raise DomainError("This reflective conversation has already been recorded")
    check_version(
        conversation,
        version,
        "reflective conversation",
        message="Someone else recorded this conversation while you had it open: nothing was saved",
    )
    if held_on is None:
        raise DomainError("Enter the date the conversation was held", "held_on")
    if held_on > local_today():
        raise DomainError("The date held must be today or in the past", "held_on")
    participants = participants.strip()
    if not participants:
        raise DomainError("Say who took part", "participants")
    learning = learning.strip()
    if not learning:
        raise DomainError("Record the learning from the conversation", "learning")
    _check_remedial_actions(actions, held_on)
    before = snapshot(conversation, FIELDS)
    conversation.status = ReflectiveStatus.HELD.value
    conversation.held_on = held_on
    conversation.participants = participants
    conversation.learning = learning
    conversation.recorded_by_id = actor.id
    conversation.recorded_at = utcnow()
    flush_or_conflict(
        "reflective conversation",
        message="Someone else recorded this conversation at the same moment: nothing was saved",
    )
    record_change(
        actor, "reflective_conversation.held", conversation, before, snapshot(conversation, FIELDS)
    )
    _add_remedial_actions(actor, conversation, actions)
    db.session.flush()
    db.session.expire(conversation, ["actions"])
    return conversation
