"""The actions lists: the person's own actions, the QA lead's actions centre and its CSV export.

The audit an action came from is read through ``Action.audit`` (the audits part sits above
this one, so its model is never imported here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import joinedload

from qa_audit.access_log.exports import record_export
from qa_audit.actions.models import Action, ActionSource, ActionStatus
from qa_audit.actions.visibility import seen_by
from qa_audit.auth.models import User
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.core.paging import Paging
from qa_audit.core.spreadsheets import csv_text

PER_PAGE = 50


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
    # Who does it when not the owner ("The child's social worker (Sam Lee)"); else blank.
    practitioner: str = ""

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


def _row(action: Action, today: date) -> ActionRow:
    audit = action.audit
    return ActionRow(
        id=action.id,
        version=action.version,
        source=ActionSource(action.source),
        description=action.description,
        owner_id=action.owner_id,
        owner=action.owner.name,
        due_on=action.due_on,
        status=ActionStatus(action.status),
        completed_at=action.completed_at,
        completion_note=action.completion_note,
        audit_id=action.audit_id,
        audit_reference=audit.reference if audit else None,
        case_ref=audit.case_ref if audit else None,
        service_area=audit.service_area.name if audit else None,
        today=today,
        practitioner=action.practitioner,
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
        clauses.append(Action.audit.has(service_area_id=filters.service_area_id))
    return clauses


def _rows(
    where: Sequence[ColumnElement[bool]], today: date, paging: Paging | None = None
) -> list[ActionRow]:
    """The matching actions, open before done, then soonest due first."""
    query = (
        select(Action)
        .where(*where)
        # The audit's own columns only: its service area comes from the session's identity
        # map after the first row of each area, and nothing else of the audit is shown.
        .options(joinedload(Action.audit).lazyload("*"))
        .order_by(Action.status.desc(), Action.due_on, Action.id)
    )
    if paging is not None:
        query = query.limit(paging.per_page).offset(paging.offset)
    return [_row(action, today) for action in db.session.scalars(query)]


def my_actions(user: User, today: date | None = None) -> list[ActionRow]:
    """The user's own actions that they may still see: open ones first (soonest due first),
    then done."""
    return _rows([Action.owner_id == user.id, seen_by(user)], today or local_today())


def actions_centre(
    filters: ActionFilters, page: int = 1, today: date | None = None
) -> tuple[list[ActionRow], Paging]:
    """One page of every action matching the filters, and the paging."""
    today = today or local_today()
    where = _where(filters, today)
    total = db.session.scalar(select(func.count(Action.id)).where(*where))
    paging = Paging.clamp(page, PER_PAGE, total or 0)
    if not total:
        return [], paging
    return _rows(where, today, paging), paging


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
    rows = _rows(_where(filters, today), today)
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
