"""Actions from audits, dip samples and reflective conversations: set, followed up, done.

add_action and complete_action are the only ways to create and finish an action; the
audit, dip-sample and reflective-conversation parts call them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import aliased

from qa_audit.actions.models import Action, ActionSource, ActionStatus
from qa_audit.audits.models import Audit, AuditStatus, AuditType
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.home import Link, Section, sections_receiver
from qa_audit.core.paging import Paging
from qa_audit.core.spreadsheets import csv_text, record_export
from qa_audit.organisation.models import ServiceArea

PER_PAGE = 50
DESCRIPTION_MAX = 2000
NOTE_MAX = 4000
LOGGED = ["source", "audit_id", "description", "owner_id", "due_on", "status", "completion_note"]


def get_action(action_id: int) -> Action:
    action = db.session.get(Action, action_id)
    if action is None:
        raise NotFound("No such action")
    return action


def _owner(owner_id: int | None) -> User:
    owner = db.session.get(User, owner_id) if owner_id is not None else None
    if owner is None:
        raise DomainError("Select who owns the action", "owner_id")
    if not owner.active:
        raise DomainError(
            f"{owner.name}'s account is deactivated: choose an active owner", "owner_id"
        )
    return owner


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
) -> Action:
    """Set an action: what, owner (an active user), due date (today or later), where from.
    The caller checks that ``actor`` may set actions on the audit or dip sample."""
    try:
        source = ActionSource(source)
    except ValueError as error:
        raise DomainError(f"Unknown action source '{source}'", "source") from error
    description = _description(description)
    owner = _owner(owner_id)
    if due_on is None:
        raise DomainError("Enter the date the action is due", "due_on")
    if due_on < (today or local_today()):
        raise DomainError("The due date must be today or in the future", "due_on")
    if audit_id is not None and db.session.get(Audit, audit_id) is None:
        raise DomainError("No such audit", "audit_id")
    if source is ActionSource.AUDIT and audit_id is None:
        raise DomainError("An action set by an audit must name the audit", "audit_id")
    action = Action(
        source=source.value,
        audit_id=audit_id,
        description=description,
        owner_id=owner.id,
        due_on=due_on,
        status=ActionStatus.OPEN.value,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(action)
    db.session.flush()
    record_change(actor, "action.added", action, None, snapshot(action, LOGGED))
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
    """Change an open action's wording, owner or due date (a new due date is today or later)."""
    _check_version(action, expected_version)
    if action.done:
        raise DomainError("This action is done and can no longer be changed")
    before = snapshot(action, LOGGED)
    description = _description(description)
    owner = _owner(owner_id) if owner_id != action.owner_id else action.owner
    if due_on is None:
        raise DomainError("Enter the date the action is due", "due_on")
    if due_on != action.due_on and due_on < (today or local_today()):
        raise DomainError("The due date must be today or in the future", "due_on")
    action.description = description
    action.owner_id = owner.id
    action.due_on = due_on
    _flush()
    record_change(actor, "action.updated", action, before, snapshot(action, LOGGED))
    return action


def may_complete(user: User, action: Action) -> bool:
    """Only the owner or a QA lead marks an action done."""
    return action.owner_id == user.id or user.has_role(Role.QA_LEAD)


def complete_action(actor: User, action: Action, note: str, expected_version: int) -> Action:
    """Mark an action done with a completion note (owner or QA lead only)."""
    if not may_complete(actor, action):
        raise Forbidden("Only the action's owner or a QA lead can mark it done")
    _check_version(action, expected_version)
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
    _flush()
    record_change(
        actor,
        "action.completed",
        action,
        before,
        snapshot(action, [*LOGGED, "completed_at", "completed_by_id"]),
    )
    return action


def _check_version(action: Action, expected_version: int) -> None:
    check_version(action, expected_version, "action")


def _flush() -> None:
    flush_or_conflict("action")


# Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """One line of an actions list."""

    id: int
    version: int
    source: ActionSource
    description: str
    owner_id: int
    owner: str
    due_on: date
    status: ActionStatus
    completed_at: datetime | None
    completion_note: str | None
    audit_id: int | None
    audit_reference: str | None
    case_ref: str | None
    service_area: str | None
    today: date

    @property
    def done(self) -> bool:
        return self.status is ActionStatus.DONE

    @property
    def overdue(self) -> bool:
        return not self.done and self.due_on < self.today


@dataclass
class ActionFilters:
    """The actions-centre filters; None (or False) means "any"."""

    owner_id: int | None = None
    source: ActionSource | None = None
    status: ActionStatus | None = None
    overdue: bool = False
    service_area_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "owner_id": self.owner_id,
            "source": self.source.value if self.source else None,
            "status": self.status.value if self.status else None,
            "overdue": self.overdue,
            "service_area_id": self.service_area_id,
        }


def _rows_query() -> Any:
    return (
        select(
            Action.id,
            Action.version,
            Action.source,
            Action.description,
            Action.owner_id,
            User.name,
            Action.due_on,
            Action.status,
            Action.completed_at,
            Action.completion_note,
            Action.audit_id,
            Audit.reference,
            Audit.case_ref,
            ServiceArea.name,
        )
        .join(User, User.id == Action.owner_id)
        .outerjoin(Audit, Audit.id == Action.audit_id)
        .outerjoin(ServiceArea, ServiceArea.id == Audit.service_area_id)
    )


def _row(values: Any, today: date) -> ActionRow:
    (
        id_,
        version,
        source,
        description,
        owner_id,
        owner,
        due_on,
        status,
        completed_at,
        note,
        audit_id,
        reference,
        case_ref,
        area,
    ) = values
    return ActionRow(
        id=id_,
        version=version,
        source=ActionSource(source),
        description=description,
        owner_id=owner_id,
        owner=owner,
        due_on=due_on,
        status=ActionStatus(status),
        completed_at=completed_at,
        completion_note=note,
        audit_id=audit_id,
        audit_reference=reference,
        case_ref=case_ref,
        service_area=area,
        today=today,
    )


def _where(filters: ActionFilters, today: date) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if filters.owner_id is not None:
        clauses.append(Action.owner_id == filters.owner_id)
    if filters.source is not None:
        clauses.append(Action.source == filters.source.value)
    if filters.status is not None:
        clauses.append(Action.status == filters.status.value)
    if filters.overdue:
        clauses.append(and_(Action.status == ActionStatus.OPEN.value, Action.due_on < today))
    if filters.service_area_id is not None:
        clauses.append(Audit.service_area_id == filters.service_area_id)
    return clauses


def _order() -> tuple[Any, ...]:
    # Open before done, then soonest due first.
    return (Action.status.desc(), Action.due_on, Action.id)


def my_actions(user: User, today: date | None = None) -> list[ActionRow]:
    """The user's own actions: open ones first (soonest due first), then done."""
    today = today or local_today()
    result = db.session.execute(_rows_query().where(Action.owner_id == user.id).order_by(*_order()))
    return [_row(values, today) for values in result]


def actions_centre(
    filters: ActionFilters, page: int = 1, today: date | None = None
) -> tuple[list[ActionRow], Paging]:
    """One page of every action matching the filters, and the paging (two queries)."""
    today = today or local_today()
    where = _where(filters, today)
    total = db.session.scalar(
        select(func.count(Action.id))
        .select_from(Action)
        .outerjoin(Audit, Audit.id == Action.audit_id)
        .where(*where)
    )
    paging = Paging.clamp(page, PER_PAGE, total or 0)
    if not total:
        return [], paging
    result = db.session.execute(
        _rows_query().where(*where).order_by(*_order()).limit(PER_PAGE).offset(paging.offset)
    )
    return [_row(values, today) for values in result], paging


EXPORT_HEADER = [
    "Action id",
    "Source",
    "Audit",
    "Case reference",
    "Service area",
    "Action",
    "Owner",
    "Due",
    "Status",
    "Overdue",
    "Completed",
    "Completion note",
]


def export_actions_csv(actor: User, filters: ActionFilters, today: date | None = None) -> str:
    """Every action matching the filters as CSV (formula-safe cells); the export is logged."""
    today = today or local_today()
    result = db.session.execute(_rows_query().where(*_where(filters, today)).order_by(*_order()))
    rows = [_row(values, today) for values in result]
    text = csv_text(
        EXPORT_HEADER,
        (
            [
                r.id,
                r.source.label,
                r.audit_reference,
                r.case_ref,
                r.service_area,
                r.description,
                r.owner,
                r.due_on,
                "Done" if r.done else "Open",
                r.overdue,
                r.completed_at.date() if r.completed_at else None,
                r.completion_note,
            ]
            for r in rows
        ),
    )
    record_export(actor, "action", file_format="csv", rows=len(rows), filters=filters.as_dict())
    return text


def owner_choices() -> list[tuple[str, str]]:
    """Everyone who owns at least one action, for the owner filter."""
    result = db.session.execute(
        select(User.id, User.name)
        .where(exists().where(Action.owner_id == User.id))
        .order_by(User.name)
    )
    return [(str(i), name) for i, name in result]


@dataclass(frozen=True)
class LoopToClose:
    audit_id: int
    reference: str
    case_ref: str
    last_done: datetime | None


def audits_with_all_actions_done() -> list[LoopToClose]:
    """Submitted audits whose every action is done and whose case has no closing-the-loop
    audit linked to them yet: the QA lead should schedule one."""
    later = aliased(Audit)
    result = db.session.execute(
        select(Audit.id, Audit.reference, Audit.case_ref, func.max(Action.completed_at))
        .join(Action, Action.audit_id == Audit.id)
        .where(
            Audit.status != AuditStatus.DRAFT.value,
            ~exists().where(
                later.previous_audit_id == Audit.id,
                later.audit_type == AuditType.CLOSING_THE_LOOP.value,
            ),
        )
        .group_by(Audit.id, Audit.reference, Audit.case_ref)
        .having(
            func.count(Action.id)
            == func.count(Action.id).filter(Action.status == ActionStatus.DONE.value)
        )
        .order_by(func.max(Action.completed_at).desc(), Audit.id)
    )
    return [LoopToClose(*values) for values in result]


def closing_the_loop_prompts(user: User) -> Section:
    """QA lead's home page: audits whose actions are all done."""
    from flask import url_for

    from qa_audit.audits.links import audit_url

    loops = audits_with_all_actions_done()
    return Section(
        title="Closing-the-loop audits to schedule",
        count=len(loops),
        rows=[
            [
                f"All actions for audit {loop.reference} are done: "
                "schedule a closing-the-loop audit",
                loop.case_ref,
            ]
            for loop in loops
        ],
        head=["Prompt", "Case reference"] if loops else [],
        empty="No audit has all its actions done without a closing-the-loop audit.",
        links=[
            *(Link(f"Open audit {loop.reference}", audit_url(loop.audit_id)) for loop in loops),
            Link("Go to the actions centre", url_for("actions.centre")),
        ],
    )


# This part's sections of the home page (connected to signals.home_sections in init_app).
home_sections = sections_receiver(
    (Role.QA_LEAD, closing_the_loop_prompts),
)
