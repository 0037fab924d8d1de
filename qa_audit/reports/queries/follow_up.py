"""Actions and reflective conversations of the period's audits."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, func, literal, select, union_all

from qa_audit.actions.models import Action
from qa_audit.audits.models import Audit
from qa_audit.moderation.models import ReflectiveConversation
from qa_audit.report_filters import ReportFilters
from qa_audit.reports.queries.scope import Shape, audit_scope, count_if, run, statement, values_for


@statement
def _follow_up_statement(shape: Shape) -> Any:
    scope = audit_scope(shape)
    today: Any = bindparam("today")
    actions = (
        select(
            literal("actions"),
            func.count(),
            count_if(Action.status == "done"),
            count_if(Action.status == "open"),
            count_if(and_(Action.status == "open", Action.due_on < today)),
        )
        .select_from(Audit)
        .join(Action, Action.audit_id == Audit.id)
        .where(*scope)
    )
    model = ReflectiveConversation
    reflective = (
        select(
            literal("reflective"),
            func.count(),
            count_if(model.status == "held"),
            literal(0),
            count_if(and_(model.status != "held", model.due_on < today)),
        )
        .select_from(Audit)
        .join(model, model.audit_id == Audit.id)
        .where(*scope)
    )
    return union_all(actions, reflective)


def follow_up_counts(filters: ReportFilters, today: date) -> tuple[dict[str, Any], dict[str, int]]:
    """The period's audits' actions (total, done, open, overdue: open past their due date)
    and reflective conversations (due: all that were set up, done: held, overdue), in one
    statement."""
    query = _follow_up_statement(Shape.of(filters))
    counts: dict[str, list[int]] = {
        kind: [int(v or 0) for v in values]
        for kind, *values in run(query, values_for(filters, today=today))
    }
    total, done, open_, overdue = counts["actions"]
    due, held, _, late = counts["reflective"]
    reflective = {"due": due, "done": held, "overdue": late}
    return {"total": total, "done": done, "open": open_, "overdue": overdue}, reflective
