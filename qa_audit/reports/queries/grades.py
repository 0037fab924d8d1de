"""The grade counts of the report and the domains' titles."""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from sqlalchemy import String, and_, cast, func, null, select, union_all

from qa_audit.audit_tools.models import AuditTool, AuditToolDomain
from qa_audit.audits.models import Audit, AuditDomainGrade
from qa_audit.moderation.models import Moderation, ModerationGrade
from qa_audit.report_filters import ReportFilters
from qa_audit.reports.queries.scope import (
    Shape,
    audit_scope,
    completed_moderation,
    query_span,
    run,
    statement,
    values_for,
)


class OverallRow(NamedTuple):
    """Audits of a month with this overall grade as audited, moderated grade and outcome
    (``moderated`` and ``outcome`` None when no completed moderation)."""

    month: str
    audited: str | None
    moderated: str | None
    outcome: str | None
    audits: int

    @property
    def final(self) -> str | None:
        return self.moderated if self.moderated is not None else self.audited


class DomainRow(NamedTuple):
    """Domain grades of a month for this domain, grade as audited and moderated grade."""

    month: str
    domain_key: str
    audited: str | None
    moderated: str | None
    grades: int

    @property
    def final(self) -> str | None:
        return self.moderated if self.moderated is not None else self.audited


@statement
def _grades_statement(shape: Shape) -> Any:
    g, mg = AuditDomainGrade, ModerationGrade
    scope = audit_scope(shape, "span_from", "span_to")
    overall = (
        select(
            Audit.submitted_month,
            cast(null(), String),
            Audit.overall_grade,
            Moderation.overall_grade,
            Moderation.outcome,
            func.count(),
        )
        .select_from(Audit)
        .outerjoin(Moderation, completed_moderation())
        .where(*scope)
        .group_by(
            Audit.submitted_month, Audit.overall_grade, Moderation.overall_grade, Moderation.outcome
        )
    )
    # The moderation is joined before the domain grades: looked up once per audit, not once
    # per domain grade (SQLite keeps the written order of LEFT JOINs).
    domains = (
        select(
            Audit.submitted_month,
            g.domain_key,
            g.grade,
            mg.grade,
            cast(null(), String),
            func.count(),
        )
        .select_from(Audit)
        .outerjoin(Moderation, completed_moderation())
        .join(g, g.audit_id == Audit.id)
        .outerjoin(mg, and_(mg.moderation_id == Moderation.id, mg.domain_key == g.domain_key))
        .where(*scope)
        .group_by(Audit.submitted_month, g.domain_key, g.grade, mg.grade)
    )
    return union_all(overall, domains)


def grade_rows(filters: ReportFilters) -> tuple[list[OverallRow], list[DomainRow]]:
    """Every grade count of the report in one statement: audits per month x overall grade as
    audited x moderated grade x outcome, and domain grades per month x domain x grade as
    audited x moderated grade (completed moderations only), over the period and its
    twelve-month trend (query_span)."""
    first, last = query_span(filters)
    overall: list[OverallRow] = []
    domains: list[DomainRow] = []
    rows = run(
        _grades_statement(Shape.of(filters)), values_for(filters, span_from=first, span_to=last)
    )
    for month, key, audited, moderated, outcome, n in rows:
        if key is None:
            overall.append(OverallRow(month, audited, moderated, outcome, int(n)))
        else:
            domains.append(DomainRow(month, key, audited, moderated, int(n)))
    return overall, domains


@functools.lru_cache(maxsize=1)
def _titles_statement() -> Any:
    return (
        select(AuditToolDomain.key, AuditToolDomain.title, AuditToolDomain.position)
        .join(AuditTool, AuditTool.id == AuditToolDomain.tool_id)
        .order_by(AuditTool.launched_on.desc(), AuditToolDomain.position)
    )


def domain_titles() -> list[tuple[str, str, int]]:
    """(key, title, position) of every domain key, the newest tool's title winning."""
    seen: dict[str, tuple[str, str, int]] = {}
    for key, title, position in run(_titles_statement(), {}):
        seen.setdefault(key, (key, title, position))
    return list(seen.values())
