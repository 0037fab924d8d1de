"""Closing the loop: once every action an audit set is done, the QA lead schedules a
closing-the-loop audit of the case. Which audits wait for one (the rota schedules them, or
the QA lead dismisses the prompt: qa_audit.rota.closing_the_loop)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import aliased

from qa_audit.actions.models import Action, ActionStatus
from qa_audit.audits.models import Audit, AuditStatus, AuditType
from qa_audit.core.extensions import db


@dataclass(frozen=True)
class LoopToClose:
    audit_id: int
    reference: str
    case_ref: str
    last_done: datetime | None


def loops_to_close() -> Select[*tuple[Any, ...]]:
    """Submitted audits whose every action is done and whose case has no closing-the-loop
    audit linked to them yet: the QA lead should schedule one. Columns: audit id, reference,
    case reference, service area id, when the last action was done."""
    later = aliased(Audit)
    return (
        select(
            Audit.id,
            Audit.reference,
            Audit.case_ref,
            Audit.service_area_id,
            func.max(Action.completed_at).label("last_done"),
        )
        .join(Action, Action.audit_id == Audit.id)
        .where(
            Audit.status != AuditStatus.DRAFT.value,
            # A closing-the-loop draft never submitted does not count: it may be abandoned.
            ~exists().where(
                later.previous_audit_id == Audit.id,
                later.audit_type == AuditType.CLOSING_THE_LOOP.value,
                later.status != AuditStatus.DRAFT.value,
            ),
        )
        .group_by(Audit.id, Audit.reference, Audit.case_ref, Audit.service_area_id)
        .having(
            func.count(Action.id)
            == func.count(Action.id).filter(Action.status == ActionStatus.DONE.value)
        )
    )


def audits_with_all_actions_done() -> list[LoopToClose]:
    """Every loop to close, the most recently done first."""
    query = loops_to_close().subquery()
    result = db.session.execute(
        select(query.c.id, query.c.reference, query.c.case_ref, query.c.last_done).order_by(
            query.c.last_done.desc(), query.c.id
        )
    )
    return [LoopToClose(*values) for values in result]
