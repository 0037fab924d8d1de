"""The evidence explorer's SQL: every non-blank "working well", "needs to improve" and
"impact" text of the audits the period report counts (its own scope, reports.queries.scope),
with the principle's final grade: the moderator's where a completed moderation graded that
principle, else the auditor's (as the report's domain figures take it).

An entry is one text of one domain grade. The counts beside the filters come from one
grouped statement (entries per principle x kind x grade x service area x team x tool) and one
for the learning themes; each option counts the entries that the other filters chosen let
through, so that it says how many choosing it would show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    distinct,
    exists,
    func,
    literal,
    select,
    union_all,
)

from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.access import seen_scope
from qa_audit.audits.models import Audit, AuditDomainGrade
from qa_audit.auth.models import User
from qa_audit.core.extensions import db
from qa_audit.core.paging import Paging
from qa_audit.evidence.filters import EvidenceFilters
from qa_audit.evidence.search import TEXT_COLUMNS, text_matches
from qa_audit.learning_themes.models import LearningTheme, audit_learning_theme
from qa_audit.moderation.blind_rules import hidden_audit_ids
from qa_audit.moderation.models import Moderation, ModerationGrade
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.reports.queries import Shape, audit_scope
from qa_audit.reports.queries.scope import completed_moderation, run, values_for

PER_PAGE = 25
# The filters with counts beside their options, and the entry column each reads.
DIMENSIONS = ("principle", "kind", "grade", "service_area", "team", "tool")


@dataclass(frozen=True)
class Entry:
    """One text of one audit's principle."""

    kind: str
    text: str
    principle: str
    grade: str | None
    audit_id: int
    reference: str
    case_ref: str
    month: str
    service_area_id: int
    team_id: int | None
    tool_id: int
    # The person asking may open the audit (audits.access.seen_scope).
    may_open: bool


def _entries(filters: EvidenceFilters, dialect: str, user: User | None) -> Any:
    """Every entry in the report's scope (the period, the audit type and a service manager's
    own area; the other filters are applied by the caller, so that counts can leave one out),
    holding the search words where there are some."""
    g, mg = AuditDomainGrade, ModerationGrade
    shape = Shape(
        service_area=filters.forced_area_id is not None, audit_type=bool(filters.report.audit_type)
    )
    may_open: Any = case((seen_scope(user), 1), else_=0) if user is not None else literal(1)
    # Each entry shows its final grade: an audit its reader is moderating blind is left out.
    hidden = hidden_audit_ids(user) if user is not None else set()
    selects = []
    for order, kind in enumerate(TEXT_COLUMNS):
        text = getattr(g, kind)
        where: list[ColumnElement[bool]] = [*audit_scope(shape), func.trim(text) != ""]
        if hidden:
            where.append(Audit.id.not_in(hidden))
        if filters.search:
            where.append(text_matches(dialect, g.id, text, list(filters.search)))
        selects.append(
            select(
                g.id.label("grade_id"),
                literal(kind).label("kind"),
                literal(order, Integer).label("kind_order"),
                text.label("text"),
                g.domain_key.label("principle"),
                g.position.label("position"),
                func.coalesce(mg.grade, g.grade).label("grade"),
                Audit.id.label("audit_id"),
                Audit.reference.label("reference"),
                Audit.case_ref.label("case_ref"),
                Audit.submitted_month.label("month"),
                Audit.service_area_id.label("service_area"),
                Audit.team_id.label("team"),
                Audit.tool_id.label("tool"),
                may_open.label("may_open"),
            )
            .select_from(Audit)
            .outerjoin(Moderation, completed_moderation())
            .join(g, g.audit_id == Audit.id)
            .outerjoin(mg, and_(mg.moderation_id == Moderation.id, mg.domain_key == g.domain_key))
            .where(*where)
        )
    return union_all(*selects).subquery("entry")


def _chosen(filters: EvidenceFilters) -> dict[str, Any]:
    report = filters.report
    return {
        "principle": filters.principle,
        "kind": filters.kind,
        "grade": filters.grade,
        "service_area": report.service_area_id,
        "team": report.team_id,
        "tool": report.tool_id,
    }


def _themed(entry: Any, theme_id: int) -> ColumnElement[bool]:
    alt = audit_learning_theme
    return exists().where(alt.c.audit_id == entry.c.audit_id, alt.c.learning_theme_id == theme_id)


def _where(entry: Any, filters: EvidenceFilters) -> list[Any]:
    clauses = [
        entry.c[name] == value for name, value in _chosen(filters).items() if value is not None
    ]
    if filters.theme_id is not None:
        clauses.append(_themed(entry, filters.theme_id))
    return clauses


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def entries_page(
    filters: EvidenceFilters, user: User, page: int = 1
) -> tuple[list[Entry], Paging, int]:
    """One page of the entries matching every filter, by principle, kind and month (newest
    first); the paging, and how many audits the matching entries come from."""
    entry = _entries(filters, _dialect(), user)
    where = _where(entry, filters)
    params = values_for(filters.report)
    total, audits = run(
        select(func.count(), func.count(distinct(entry.c.audit_id))).where(*where), params
    ).one()
    paging = Paging.clamp(page, PER_PAGE, int(total))
    rows = _rows(entry, where, params, limit=PER_PAGE, offset=paging.offset) if total else []
    return rows, paging, int(audits)


def all_entries(filters: EvidenceFilters, user: User) -> list[Entry]:
    """Every entry matching the filters, in the page's order (for the export)."""
    entry = _entries(filters, _dialect(), user)
    return _rows(entry, _where(entry, filters), values_for(filters.report), limit=None)


def _rows(
    entry: Any, where: list[Any], params: dict[str, Any], *, limit: int | None, offset: int = 0
) -> list[Entry]:
    query = (
        select(
            entry.c.kind,
            entry.c.text,
            entry.c.principle,
            entry.c.grade,
            entry.c.audit_id,
            entry.c.reference,
            entry.c.case_ref,
            entry.c.month,
            entry.c.service_area.label("service_area_id"),
            entry.c.team.label("team_id"),
            entry.c.tool.label("tool_id"),
            entry.c.may_open,
        )
        .where(*where)
        .order_by(
            entry.c.position,
            entry.c.principle,
            entry.c.kind_order,
            entry.c.month.desc(),
            entry.c.reference,
            entry.c.grade_id,
        )
        .limit(limit)
        .offset(offset)
    )
    return [_entry(row) for row in run(query, params)]


def _entry(row: Any) -> Entry:
    return Entry(**{**row._asdict(), "may_open": bool(row.may_open)})


def audits_completed(filters: EvidenceFilters) -> int:
    """The audits the report counts for the period and its filters (its audits_completed)."""
    report = filters.report
    query = select(func.count()).select_from(Audit).where(*audit_scope(Shape.of(report)))
    return int(run(query, values_for(report)).scalar_one())


def facet_counts(filters: EvidenceFilters) -> dict[str, Counter[Any]]:
    """For each filter (DIMENSIONS and "theme"), entries per option under the other filters."""
    entry = _entries(filters, _dialect(), None)
    params = values_for(filters.report)
    columns = [entry.c[name] for name in DIMENSIONS]
    # The dimensions are left to Python (a few hundred groups); the theme chosen is SQL's.
    theme = [_themed(entry, filters.theme_id)] if filters.theme_id is not None else []
    groups = list(run(select(*columns, func.count()).where(*theme).group_by(*columns), params))
    chosen = _chosen(filters)
    counts: dict[str, Counter[Any]] = {name: Counter() for name in (*DIMENSIONS, "theme")}
    for *values, n in groups:
        row = dict(zip(DIMENSIONS, values, strict=True))
        for name in DIMENSIONS:
            if _passes(row, chosen, leave_out=name):
                counts[name][row[name]] += int(n)
    alt = audit_learning_theme
    themed = run(
        select(alt.c.learning_theme_id, *columns, func.count())
        .join(alt, alt.c.audit_id == entry.c.audit_id)
        .group_by(alt.c.learning_theme_id, *columns),
        params,
    )
    for theme_id, *values, n in themed:
        if _passes(dict(zip(DIMENSIONS, values, strict=True)), chosen, leave_out=None):
            counts["theme"][theme_id] += int(n)
    return counts


def _passes(row: dict[str, Any], chosen: dict[str, Any], leave_out: str | None) -> bool:
    return all(
        value is None or row[name] == value for name, value in chosen.items() if name != leave_out
    )


def names() -> dict[str, dict[Any, str]]:
    """What people call the options by id: service areas (and their keys), teams, tools (by
    key) and learning themes."""

    def pairs(query: Any) -> dict[Any, str]:
        return {key: name for key, name in db.session.execute(query)}

    return {
        "service_area": pairs(select(ServiceArea.id, ServiceArea.name)),
        "service_area_key": pairs(select(ServiceArea.id, ServiceArea.key)),
        "team": pairs(select(Team.id, Team.name)),
        "tool": pairs(select(AuditTool.id, AuditTool.key)),
        "theme": pairs(select(LearningTheme.id, LearningTheme.name)),
    }


def listed_case_refs(entries: Iterable[Entry]) -> list[str]:
    """The case references behind the entries shown (for the access log; never shown)."""
    return [e.case_ref for e in entries]
