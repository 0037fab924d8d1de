"""Rota allocations of the period by service area and by auditor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, bindparam, func, literal, select, union_all

from qa_audit.auth.models import User
from qa_audit.organisation.models import ServiceArea
from qa_audit.report_filters import ReportFilters
from qa_audit.reports.queries.scope import Shape, run, statement, values_for
from qa_audit.rota.models import Allocation


@statement
def _rota_statement(shape: Shape, by_auditor: bool) -> Any:
    def counted(column: Any) -> Any:
        """Allocations of the period by ``column`` and status."""
        query = select(
            column.label("id"), Allocation.status.label("status"), func.count().label("n")
        ).where(
            Allocation.month >= bindparam("from_month", type_=String),
            Allocation.month <= bindparam("to_month", type_=String),
        )
        if shape.service_area:
            query = query.where(Allocation.service_area_id == bindparam("service_area_id"))
        if shape.team:
            query = query.where(Allocation.team_id == bindparam("team_id"))
        return query.group_by(column, Allocation.status).subquery()

    # Names are joined to the few grouped rows, not to every allocation.
    areas = counted(Allocation.service_area_id)
    by_area = select(literal("area"), ServiceArea.name, areas.c.status, areas.c.n).join(
        areas, areas.c.id == ServiceArea.id
    )
    if not by_auditor:
        return by_area
    auditors = counted(Allocation.auditor_id)
    return union_all(
        by_area,
        select(literal("auditor"), User.name, auditors.c.status, auditors.c.n).join(
            auditors, auditors.c.id == User.id
        ),
    )


def rota_rows(filters: ReportFilters, by_auditor: bool = True) -> list[tuple[str, str, str, int]]:
    """Rota allocations of the period by service area and (``by_auditor``) by auditor:
    ('area' | 'auditor', name, status, allocations), filtered by service area and team where
    given."""
    rows = run(_rota_statement(Shape.of(filters), by_auditor), values_for(filters))
    return [(kind, name, status, int(n)) for kind, name, status, n in rows]
