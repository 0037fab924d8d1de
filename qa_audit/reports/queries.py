"""The report's SQL: every figure is aggregated in the database (GROUP BY) and comes back as a
few small rows. Only audits that count are read: submitted or closed (a returned audit is out
until it is resubmitted; a draft never counts), in the months asked for, through the index on
``audit.submitted_month``, so the cost grows with the audits of the period, not with history.

The final grade is the moderator's where a moderation is completed, else the auditor's:
``COALESCE(moderation.overall_grade, audit.overall_grade)`` over a LEFT JOIN of the completed
moderation (``moderation.audit_id`` is unique, so the join never duplicates an audit), and
per domain ``COALESCE(moderation_grade.grade, audit_domain_grade.grade)``. The report reads
both grades and takes the COALESCE in frames.py, so that one statement serves the final
figures and the moderators' agreement alike.

Made cheap by the benchmark (make bench, docs/benchmark.md):
- few round trips: one statement for every grade count, one for the feedback figures, one
  for the learning themes of both periods, one for the actions and reflective conversations;
- each statement is built once per shape of filters (which filters are given) with bound
  parameters, and kept (``_statement``): building a SQLAlchemy statement cost more Python
  time than running the smaller ones;
- statements run on the session's connection through SQLAlchemy Core, rows as tuples."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    inspect,
    literal,
    null,
    select,
    union_all,
)

from qa_audit.actions.models import Action
from qa_audit.audit_tools.models import AuditTool, AuditToolDomain
from qa_audit.audits.models import Audit, AuditDomainGrade, AuditStatus, FeedbackConversation
from qa_audit.core.extensions import db
from qa_audit.learning_themes.models import LearningTheme, audit_learning_theme
from qa_audit.moderation.models import Moderation, ModerationGrade, ModerationStatus
from qa_audit.reports.filters import ReportFilters, add_months

COUNTED_STATUSES = (AuditStatus.SUBMITTED.value, AuditStatus.CLOSED.value)
QUOTE_LIMIT = 8


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


def _params(filters: ReportFilters, **more: Any) -> dict[str, Any]:
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


def _statement(build: Callable[..., Any]) -> Callable[..., Any]:
    """Build a statement once per distinct arguments (a Shape and flags) and keep it."""
    return functools.lru_cache(maxsize=64)(build)


def _run(query: Any, params: dict[str, Any]) -> Any:
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


def _completed_moderation() -> ColumnElement[bool]:
    return and_(
        Moderation.audit_id == Audit.id, Moderation.status == ModerationStatus.COMPLETED.value
    )


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.sum(case((condition, 1), else_=0))


def query_span(filters: ReportFilters) -> tuple[str, str]:
    """The months the grade queries read: the period and the twelve months ending at its end."""
    return min(filters.from_month, filters.trend_months[0]), filters.to_month


# --- grades ---------------------------------------------------------------------------


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


@_statement
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
        .outerjoin(Moderation, _completed_moderation())
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
        .outerjoin(Moderation, _completed_moderation())
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
    rows = _run(
        _grades_statement(Shape.of(filters)), _params(filters, span_from=first, span_to=last)
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
    for key, title, position in _run(_titles_statement(), {}):
        seen.setdefault(key, (key, title, position))
    return list(seen.values())


# --- feedback and learning themes -------------------------------------------------------


@_statement
def _feedback_statement(shape: Shape) -> Any:
    f = FeedbackConversation
    scope = audit_scope(shape)
    conversations = (
        select(f.who, f.tone, func.count(), _count_if(f.consent_to_quote.is_(True)))
        .select_from(Audit)
        .join(f, f.audit_id == Audit.id)
        .where(*scope)
        .group_by(f.who, f.tone)
    )
    audits = (
        select(cast(null(), String), cast(null(), String), func.count(), literal(0))
        .select_from(Audit)
        .where(*scope, exists().where(f.audit_id == Audit.id))
    )
    return union_all(conversations, audits)


def feedback_rows(filters: ReportFilters) -> tuple[list[tuple[str, str, int, int]], int]:
    """Feedback conversations of the period's audits, (who, tone, conversations, consenting),
    and how many of the period's audits have any: one statement."""
    rows: list[tuple[str, str, int, int]] = []
    with_feedback = 0
    for who, tone, n, consenting in _run(_feedback_statement(Shape.of(filters)), _params(filters)):
        if who is None:
            with_feedback = int(n)
        else:
            rows.append((who, tone, int(n), int(consenting or 0)))
    return rows, with_feedback


@_statement
def _quotes_statement(shape: Shape) -> Any:
    f = FeedbackConversation
    return (
        select(f.who, f.tone, f.said)
        .join(Audit, Audit.id == f.audit_id)
        .where(*audit_scope(shape))
        .where(f.consent_to_quote.is_(True), func.length(func.trim(f.said)) > 0)
        # Newest month of the period first (read backwards along the month index, stopping
        # at the limit), then newest submission and conversation within the month.
        .order_by(Audit.submitted_month.desc(), Audit.submitted_on.desc(), f.id.desc())
        .limit(bindparam("limit"))
    )


def quotes(filters: ReportFilters, limit: int = QUOTE_LIMIT) -> list[tuple[str, str, str]]:
    """The newest quotes given with consent to quote anonymously, the period's latest
    months first: (who, tone, words)."""
    rows = _run(_quotes_statement(Shape.of(filters)), _params(filters, limit=limit))
    return [(who, tone, said) for who, tone, said in rows]


@_statement
def _themes_statement(shape: Shape) -> Any:
    which = case(
        (Audit.submitted_month >= bindparam("from_month", type_=String), "current"),
        else_="earlier",
    )
    alt = audit_learning_theme
    tags = (
        select(
            alt.c.learning_theme_id.label("theme_id"),
            which.label("which"),
            func.count().label("n"),
        )
        .select_from(Audit)
        .join(alt, alt.c.audit_id == Audit.id)
        .where(*audit_scope(shape, "earlier_from", "to_month"))
        .group_by(alt.c.learning_theme_id, which)
        .subquery()
    )
    named = select(LearningTheme.name, LearningTheme.position, tags.c.which, tags.c.n).join(
        tags, tags.c.theme_id == LearningTheme.id
    )
    earlier = select(cast(null(), String), literal(0), literal("audits"), func.count()).where(
        *audit_scope(shape, "earlier_from", "earlier_to")
    )
    return union_all(named, earlier)


def theme_rows(filters: ReportFilters) -> tuple[list[tuple[str, int, str, int]], int]:
    """Learning-theme tags of the period and of the period before it, (theme, position,
    'current' | 'earlier', audits tagged), and how many audits count in the period before:
    one statement."""
    rows: list[tuple[str, int, str, int]] = []
    earlier_audits = 0
    for name, position, period, n in _run(_themes_statement(Shape.of(filters)), _params(filters)):
        if name is None:
            earlier_audits = int(n)
        else:
            rows.append((name, int(position), period, int(n)))
    return rows, earlier_audits


# --- actions and reflective conversations ----------------------------------------------


@_statement
def _follow_up_statement(shape: Shape, with_reflective: bool) -> Any:
    scope = audit_scope(shape)
    today: Any = bindparam("today")
    actions = (
        select(
            literal("actions"),
            func.count(),
            _count_if(Action.status == "done"),
            _count_if(Action.status == "open"),
            _count_if(and_(Action.status == "open", Action.due_on < today)),
        )
        .select_from(Audit)
        .join(Action, Action.audit_id == Audit.id)
        .where(*scope)
    )
    model = reflective_conversation_model() if with_reflective else None
    if model is None:
        return actions
    reflective: Select[Any] = (
        select(
            literal("reflective"),
            func.count(),
            _count_if(model.status == "held"),
            literal(0),
            _count_if(and_(model.status != "held", model.due_on < today)),
        )
        .select_from(Audit)
        .join(model, model.audit_id == Audit.id)
        .where(*scope)
    )
    return union_all(actions, reflective)


def follow_up_counts(
    filters: ReportFilters, today: date
) -> tuple[dict[str, Any], dict[str, int] | None]:
    """The period's audits' actions (total, done, open, overdue: open past their due date)
    and reflective conversations (due: all that were set up, done: held, overdue), in one
    statement; the second is None when moderation does not record reflective conversations
    in this database."""
    with_reflective = reflective_conversation_model() is not None
    query = _follow_up_statement(Shape.of(filters), with_reflective)
    counts: dict[str, list[int]] = {
        kind: [int(v or 0) for v in values]
        for kind, *values in _run(query, _params(filters, today=today))
    }
    total, done, open_, overdue = counts["actions"]
    reflective = None
    if with_reflective:
        due, held, _, late = counts["reflective"]
        reflective = {"due": due, "done": held, "overdue": late}
    return {"total": total, "done": done, "open": open_, "overdue": overdue}, reflective


@_statement
def _inadequate_maintained_statement(shape: Shape) -> Any:
    return (
        select(func.count())
        .select_from(Audit)
        .join(Moderation, _completed_moderation())
        .where(*audit_scope(shape))
        .where(Audit.overall_grade == "inadequate", Moderation.overall_grade == "inadequate")
    )


def reflective_conversations_due(filters: ReportFilters) -> int:
    """Audits of the period whose Inadequate grade was maintained by a completed moderation
    (used where reflective conversations are not recorded)."""
    query = _inadequate_maintained_statement(Shape.of(filters))
    return int(_run(query, _params(filters)).scalar() or 0)


# --- parts that other capabilities bring: read only when their tables exist --------------

_TABLES: dict[str, set[str]] = {}


def table_exists(name: str) -> bool:
    """Whether this database has the table (looked up once per database and process)."""
    url = str(db.engine.url)
    # Through the session's own connection: a second connection would wait for the session's
    # transaction on SQLite (BEGIN IMMEDIATE, qa_audit/core/db.py) and fail after busy_timeout.
    if url not in _TABLES:
        _TABLES[url] = set(inspect(db.session.connection()).get_table_names())
    if name not in _TABLES[url]:
        # A migration may have run since we looked: look again before saying no.
        _TABLES[url] = set(inspect(db.session.connection()).get_table_names())
    return name in _TABLES[url]


def dip_sample_model() -> Any | None:
    """The DipSample model, when the dip-samples capability has landed in this database."""
    try:
        from qa_audit.dip_samples.models import DipSample
    except ImportError:
        return None
    return DipSample if table_exists(DipSample.__tablename__) else None


@_statement
def _dip_samples_statements(shape: Shape) -> tuple[Any, Any]:
    from qa_audit.dip_samples.models import (
        DipSample,
        dip_sample_learning_theme,
        dip_sample_service_area,
    )

    chosen = select(DipSample.id).where(
        DipSample.status == "completed",
        DipSample.completed_on >= bindparam("first_day"),
        DipSample.completed_on < bindparam("after"),
    )
    if shape.service_area:
        chosen = chosen.where(
            DipSample.id.in_(
                select(dip_sample_service_area.c.dip_sample_id).where(
                    dip_sample_service_area.c.service_area_id == bindparam("service_area_id")
                )
            )
        )
    samples = select(
        DipSample.id,
        DipSample.title,
        DipSample.sample_unit,
        DipSample.sample_size,
        DipSample.completed_on,
    ).where(DipSample.id.in_(chosen.scalar_subquery()))
    link = dip_sample_learning_theme.c
    themes = (
        select(
            link.dip_sample_id, LearningTheme.name, LearningTheme.position, literal(0), literal(0)
        )
        .join(LearningTheme, LearningTheme.id == link.learning_theme_id)
        .where(link.dip_sample_id.in_(chosen.scalar_subquery()))
    )
    actions = (
        select(
            Action.dip_sample_id,
            cast(null(), String),
            literal(0),
            _count_if(Action.status == "open"),
            _count_if(Action.status == "done"),
        )
        .where(Action.dip_sample_id.in_(chosen.scalar_subquery()))
        .group_by(Action.dip_sample_id)
    )
    return samples.order_by(DipSample.completed_on, DipSample.id), union_all(themes, actions)


def dip_sample_rows(filters: ReportFilters) -> list[dict[str, Any]] | None:
    """Dip samples completed in the period (by completion month): title, themes, unit, sample
    size, and their actions open and done; None when dip samples have not landed. Two
    statements: the samples, then their themes and actions."""
    if dip_sample_model() is None:
        return None
    samples_query, details_query = _dip_samples_statements(Shape.of(filters))
    params = _params(
        filters,
        first_day=date.fromisoformat(f"{filters.from_month}-01"),
        after=date.fromisoformat(f"{add_months(filters.to_month, 1)}-01"),
    )
    samples = {
        id_: {
            "title": title,
            "sample_unit": unit,
            "sample_size": int(size),
            "completed_on": done.isoformat() if done else None,
            "learning_themes": [],
            "actions_open": 0,
            "actions_done": 0,
        }
        for id_, title, unit, size, done in _run(samples_query, params)
    }
    if not samples:
        return []
    themes: list[tuple[int, int, str]] = []
    for sample_id, theme, position, open_, done in _run(details_query, params):
        if theme is not None:
            themes.append((int(position), sample_id, theme))
        else:
            samples[sample_id]["actions_open"] = int(open_ or 0)
            samples[sample_id]["actions_done"] = int(done or 0)
    for _, sample_id, theme in sorted(themes, key=lambda t: t[0]):
        samples[sample_id]["learning_themes"].append(theme)
    return list(samples.values())


def allocation_model() -> Any | None:
    """The rota's Allocation model, when the rota capability has landed in this database."""
    try:
        from qa_audit.rota.models import Allocation
    except ImportError:
        return None
    return Allocation if table_exists(Allocation.__tablename__) else None


@_statement
def _rota_statement(shape: Shape, by_auditor: bool) -> Any:
    from qa_audit.auth.models import User
    from qa_audit.organisation.models import ServiceArea
    from qa_audit.rota.models import Allocation

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


def rota_rows(
    filters: ReportFilters, by_auditor: bool = True
) -> list[tuple[str, str, str, int]] | None:
    """Rota allocations of the period by service area and (``by_auditor``) by auditor:
    ('area' | 'auditor', name, status, allocations); None when the rota has not landed.
    Filtered by service area and team where given."""
    if allocation_model() is None:
        return None
    rows = _run(_rota_statement(Shape.of(filters), by_auditor), _params(filters))
    return [(kind, name, status, int(n)) for kind, name, status, n in rows]


def reflective_conversation_model() -> Any | None:
    """The reflective-conversation model, when moderation records them in this database."""
    try:
        from qa_audit.moderation import models as moderation_models
    except ImportError:  # pragma: no cover - moderation is part of the foundation
        return None
    model = getattr(moderation_models, "ReflectiveConversation", None)
    if model is None or not table_exists(model.__tablename__):
        return None
    return model
