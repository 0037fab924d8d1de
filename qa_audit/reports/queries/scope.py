"""What every report statement shares: the audits that count (their scope under the
filters), the bound parameters, and statements built once per shape of filters."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, and_, bindparam, case, func

from qa_audit.audits.models import Audit, AuditStatus
from qa_audit.core.extensions import db
from qa_audit.moderation.models import Moderation, ModerationStatus
from qa_audit.report_filters import ReportFilters

COUNTED_STATUSES = (AuditStatus.SUBMITTED.value, AuditStatus.CLOSED.value)


@dataclass(frozen=True)
class Shape:
    """Which filters a report has (not their values): the statements differ only by these."""

    service_area: bool = False
    team: bool = False
    tool: bool = False
    audit_type: bool = False

    @classmethod
    def of(cls, filters: ReportFilters) -> Shape:
        return cls(
            filters.service_area_id is not None,
            filters.team_id is not None,
            filters.tool_id is not None,
            filters.audit_type is not None,
        )


def values_for(filters: ReportFilters, **more: Any) -> dict[str, Any]:
    """The bound values of every statement below (a statement ignores those it lacks)."""
    earlier_from, earlier_to = filters.earlier_period
    return {
        "from_month": filters.from_month,
        "to_month": filters.to_month,
        "earlier_from": earlier_from,
        "earlier_to": earlier_to,
        "service_area_id": filters.service_area_id,
        "team_id": filters.team_id,
        "tool_id": filters.tool_id,
        "audit_type": filters.audit_type,
        **more,
    }


def statement(build: Callable[..., Any]) -> Callable[..., Any]:
    """Build a statement once per distinct arguments (a Shape and flags) and keep it."""
    return functools.lru_cache(maxsize=64)(build)


def run(query: Any, params: dict[str, Any]) -> Any:
    """Execute a Core statement on the session's connection (inside its transaction); its
    Result (rows as tuples)."""
    return db.session.connection().execute(query, params)


def audit_scope(
    shape: Shape, first: str = "from_month", last: str = "to_month"
) -> list[ColumnElement[bool]]:
    """WHERE clauses: the audits that count, submitted in the months bound to the parameters
    named ``first``..``last``, narrowed by the filters the shape has."""
    clauses: list[ColumnElement[bool]] = [
        Audit.submitted_month >= bindparam(first, type_=String),
        Audit.submitted_month <= bindparam(last, type_=String),
        Audit.status.in_(COUNTED_STATUSES),
    ]
    if shape.service_area:
        clauses.append(Audit.service_area_id == bindparam("service_area_id"))
    if shape.team:
        clauses.append(Audit.team_id == bindparam("team_id"))
    if shape.tool:
        clauses.append(Audit.tool_id == bindparam("tool_id"))
    if shape.audit_type:
        clauses.append(Audit.audit_type == bindparam("audit_type"))
    return clauses


def completed_moderation() -> ColumnElement[bool]:
    return and_(
        Moderation.audit_id == Audit.id, Moderation.status == ModerationStatus.COMPLETED.value
    )


def count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.sum(case((condition, 1), else_=0))


def query_span(filters: ReportFilters) -> tuple[str, str]:
    """The months the grade queries read: the period and its direction of travel (the twelve
    months ending at its end, or from the month asked for)."""
    return min(filters.from_month, filters.trend_months[0]), filters.to_month
