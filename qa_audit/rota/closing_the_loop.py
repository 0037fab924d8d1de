"""Closing-the-loop prompts as the QA lead's work: an audit whose every action is done waits
for a closing-the-loop audit. The QA lead schedules it (an allocation of the case on the
rota, for a chosen auditor and month) or dismisses the prompt with a reason; both are in the
change log. Scheduled and dismissed prompts leave the list of those to schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from qa_audit.audits.closing_the_loop import loops_to_close
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.changelog.services import record_added
from qa_audit.core.enums import LabelledEnum
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.paging import Paging
from qa_audit.organisation.models import ServiceArea
from qa_audit.rota.loop_models import ClosingTheLoopDecision, LoopDecision
from qa_audit.rota.services import AllotmentResult, allot, allotment_warnings

PER_PAGE = 25
REASON_MAX = 2000
DECISION_LOGGED = ["audit_id", "decision", "reason", "allocation_id"]


class PromptState(LabelledEnum):
    """The list's filter: prompts still to schedule (the default), scheduled or dismissed."""

    TO_SCHEDULE = "to_schedule"
    SCHEDULED = "scheduled"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class Prompt:
    """One audit waiting for (or given) a closing-the-loop audit."""

    audit_id: int
    reference: str
    case_ref: str
    service_area: str
    last_done: datetime | None
    decision: str | None
    reason: str | None
    allocation_id: int | None


def _with_decisions(loops: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """The loops with their service area's name and any decision taken on them."""
    found = loops.subquery()
    return (
        select(
            found.c.id,
            found.c.reference,
            found.c.case_ref,
            ServiceArea.name,
            found.c.last_done,
            ClosingTheLoopDecision.decision,
            ClosingTheLoopDecision.reason,
            ClosingTheLoopDecision.allocation_id,
        )
        .join(ServiceArea, ServiceArea.id == found.c.service_area_id)
        .outerjoin(ClosingTheLoopDecision, ClosingTheLoopDecision.audit_id == found.c.id)
        # Waiting longest first: the most urgent at the top of the home page and the list.
        .order_by(found.c.last_done, found.c.id)
    )


def _prompts(state: PromptState, service_area_id: int | None) -> Select[*tuple[Any, ...]]:
    loops = loops_to_close()
    if service_area_id is not None:
        loops = loops.where(Audit.service_area_id == service_area_id)
    decided = ClosingTheLoopDecision.decision
    wanted: ColumnElement[bool] = (
        decided.is_(None) if state is PromptState.TO_SCHEDULE else decided == state.value
    )
    return _with_decisions(loops).where(wanted)


def prompts(
    state: PromptState = PromptState.TO_SCHEDULE,
    service_area_id: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> tuple[list[Prompt], Paging]:
    """One page of the prompts in ``state`` (of one service area if given), and its paging."""
    query = _prompts(state, service_area_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    paging = Paging.clamp(page, per_page, total)
    rows = db.session.execute(query.limit(per_page).offset(paging.offset))
    return [Prompt(*row) for row in rows.all()], paging


def prompt_for(audit_id: int) -> Prompt:
    """The prompt of this audit, whatever was decided; NotFound when its loop is not open."""
    loops = loops_to_close().where(Audit.id == audit_id)
    row = db.session.execute(_with_decisions(loops)).first()
    if row is None:
        raise NotFound("No audit with every action done waits for a closing-the-loop audit")
    return Prompt(*row)


def _undecided(audit_id: int) -> Audit:
    prompt = prompt_for(audit_id)
    if prompt.decision is not None:
        raise DomainError(
            f"The closing-the-loop audit for audit {prompt.reference} has already been "
            f"{prompt.decision}"
        )
    audit = db.session.get(Audit, audit_id)
    if audit is None:  # pragma: no cover - prompt_for found it
        raise NotFound("No such audit")
    return audit


def dismiss(actor: User, audit_id: int, reason: str) -> ClosingTheLoopDecision:
    """Dismiss the prompt of this audit: no closing-the-loop audit, for the reason given."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter why no closing-the-loop audit is needed", "reason")
    if len(reason) > REASON_MAX:
        raise DomainError(f"The reason must be {REASON_MAX} characters or fewer", "reason")
    audit = _undecided(audit_id)
    decision = ClosingTheLoopDecision(
        audit_id=audit.id,
        decision=LoopDecision.DISMISSED.value,
        reason=reason,
        decided_by_id=actor.id,
    )
    record_added(actor, "closing_the_loop.dismissed", decision, DECISION_LOGGED)
    return decision


def schedule_warnings(
    audit_id: int,
    *,
    auditor: User | None,
    month: str,
    due_on: date | None,
    due_on_reason: str | None = None,
) -> list[str]:
    """What the QA lead should read before the closing-the-loop audit is scheduled (nothing
    is written): the same checks as ``schedule`` first."""
    audit = _undecided(audit_id)
    return allotment_warnings(
        month=month,
        auditor=auditor,
        service_area=audit.service_area,
        team=audit.team,
        case_ref=audit.case_ref,
        due_on=due_on,
        due_on_reason=due_on_reason,
    )


def schedule(
    actor: User,
    audit_id: int,
    *,
    auditor: User | None,
    month: str,
    due_on: date | None,
    due_on_reason: str | None = None,
    warnings_read: list[str] | None = None,
) -> AllotmentResult:
    """Schedule the closing-the-loop audit of this audit's case: an allocation of the case
    (its service area and team) on the rota for ``auditor`` in ``month``, due within the
    month's window unless ``due_on_reason`` says why later (the rota's rule)."""
    audit = _undecided(audit_id)
    result = allot(
        actor,
        month=month,
        auditor=auditor,
        service_area=audit.service_area,
        team=audit.team,
        case_ref=audit.case_ref,
        due_on=due_on,
        due_on_reason=due_on_reason,
        warnings_read=warnings_read,
    )
    decision = ClosingTheLoopDecision(
        audit_id=audit.id,
        decision=LoopDecision.SCHEDULED.value,
        allocation_id=result.allocations[0].id,
        decided_by_id=actor.id,
    )
    record_added(actor, "closing_the_loop.scheduled", decision, DECISION_LOGGED)
    return result
