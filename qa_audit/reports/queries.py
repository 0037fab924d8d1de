"""The report's SQL: every figure is aggregated in the database (GROUP BY) and comes back as a
few small rows. Only audits that count are read: submitted or closed (a returned audit is out
until it is resubmitted; a draft never counts), in the months asked for, through the index on
``audit.submitted_month``, so the cost grows with the audits of the period, not with history.

The final grade is the moderator's where a moderation is completed, else the auditor's:
``COALESCE(moderation.overall_grade, audit.overall_grade)`` over a LEFT JOIN of the completed
moderation (``moderation.audit_id`` is unique, so the join never duplicates an audit), and
per domain ``COALESCE(moderation_grade.grade, audit_domain_grade.grade)``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, case, func, inspect, select

from qa_audit.actions.models import Action
from qa_audit.audit_tools.models import AuditTool, AuditToolDomain
from qa_audit.audits.models import Audit, AuditDomainGrade, AuditStatus, FeedbackConversation
from qa_audit.extensions import db
from qa_audit.learning_themes.models import LearningTheme, audit_learning_theme
from qa_audit.moderation.models import Moderation, ModerationGrade, ModerationStatus
from qa_audit.reports.filters import ReportFilters, add_months

COUNTED_STATUSES = (AuditStatus.SUBMITTED.value, AuditStatus.CLOSED.value)
QUOTE_LIMIT = 8


def audit_scope(filters: ReportFilters, first: str, last: str) -> list[ColumnElement[bool]]:
    """WHERE clauses: the audits that count, submitted in months ``first``..``last``."""
    clauses: list[ColumnElement[bool]] = [
        Audit.submitted_month >= first,
        Audit.submitted_month <= last,
        Audit.status.in_(COUNTED_STATUSES),
    ]
    if filters.service_area_id is not None:
        clauses.append(Audit.service_area_id == filters.service_area_id)
    if filters.team_id is not None:
        clauses.append(Audit.team_id == filters.team_id)
    if filters.tool_id is not None:
        clauses.append(Audit.tool_id == filters.tool_id)
    if filters.audit_type is not None:
        clauses.append(Audit.audit_type == filters.audit_type)
    return clauses


def _completed_moderation() -> ColumnElement[bool]:
    return and_(
        Moderation.audit_id == Audit.id, Moderation.status == ModerationStatus.COMPLETED.value
    )


def query_span(filters: ReportFilters) -> tuple[str, str]:
    """The months the grade queries read: the period and the twelve months ending at its end."""
    return min(filters.from_month, filters.trend_months[0]), filters.to_month


@dataclass(frozen=True)
class OverallRow:
    month: str
    audited: str | None
    moderated: str | None
    final: str | None
    outcome: str | None
    audits: int


def overall_rows(filters: ReportFilters, span: tuple[str, str] | None = None) -> list[OverallRow]:
    """Audits per month x grade as audited x moderated grade (and outcome), completed
    moderations only; the final grade is the COALESCE of the two."""
    first, last = span or query_span(filters)
    final = func.coalesce(Moderation.overall_grade, Audit.overall_grade)
    query = (
        select(
            Audit.submitted_month,
            Audit.overall_grade,
            Moderation.overall_grade,
            final,
            Moderation.outcome,
            func.count(),
        )
        .select_from(Audit)
        .outerjoin(Moderation, _completed_moderation())
        .where(*audit_scope(filters, first, last))
        .group_by(
            Audit.submitted_month, Audit.overall_grade, Moderation.overall_grade, Moderation.outcome
        )
    )
    return [OverallRow(*cast(tuple[Any, ...], row)) for row in db.session.execute(query)]


@dataclass(frozen=True)
class DomainRow:
    month: str
    domain_key: str
    audited: str | None
    moderated: str | None
    final: str | None
    grades: int


def domain_rows(filters: ReportFilters, span: tuple[str, str] | None = None) -> list[DomainRow]:
    """Domain grades per month x domain x grade as audited x moderated grade."""
    first, last = span or query_span(filters)
    g, mg = AuditDomainGrade, ModerationGrade
    query = (
        select(
            Audit.submitted_month,
            g.domain_key,
            g.grade,
            mg.grade,
            func.coalesce(mg.grade, g.grade),
            func.count(),
        )
        .select_from(Audit)
        .join(g, g.audit_id == Audit.id)
        .outerjoin(Moderation, _completed_moderation())
        .outerjoin(mg, and_(mg.moderation_id == Moderation.id, mg.domain_key == g.domain_key))
        .where(*audit_scope(filters, first, last))
        .group_by(Audit.submitted_month, g.domain_key, g.grade, mg.grade)
    )
    return [DomainRow(*cast(tuple[Any, ...], row)) for row in db.session.execute(query)]


def domain_titles() -> list[tuple[str, str, int]]:
    """(key, title, position) of every domain key, the newest tool's title winning."""
    query = (
        select(AuditToolDomain.key, AuditToolDomain.title, AuditToolDomain.position)
        .join(AuditTool, AuditTool.id == AuditToolDomain.tool_id)
        .order_by(AuditTool.launched_on.desc(), AuditToolDomain.position)
    )
    seen: dict[str, tuple[str, str, int]] = {}
    for key, title, position in db.session.execute(query):
        seen.setdefault(key, (key, title, position))
    return list(seen.values())


def feedback_rows(filters: ReportFilters) -> list[tuple[str, str, int, int]]:
    """Feedback conversations of the period's audits: (who, tone, conversations, consenting)."""
    f = FeedbackConversation
    query = (
        select(
            f.who,
            f.tone,
            func.count(),
            func.sum(case((f.consent_to_quote.is_(True), 1), else_=0)),
        )
        .select_from(f)
        .join(Audit, Audit.id == f.audit_id)
        .where(*audit_scope(filters, filters.from_month, filters.to_month))
        .group_by(f.who, f.tone)
    )
    return [(who, tone, int(n), int(c or 0)) for who, tone, n, c in db.session.execute(query)]


def audits_with_feedback(filters: ReportFilters) -> int:
    f = FeedbackConversation
    query = (
        select(func.count(func.distinct(f.audit_id)))
        .select_from(f)
        .join(Audit, Audit.id == f.audit_id)
        .where(*audit_scope(filters, filters.from_month, filters.to_month))
    )
    return int(db.session.scalar(query) or 0)


def quotes(filters: ReportFilters, limit: int = QUOTE_LIMIT) -> list[tuple[str, str, str]]:
    """The newest quotes given with consent to quote anonymously: (who, tone, words)."""
    f = FeedbackConversation
    query = (
        select(f.who, f.tone, f.said)
        .join(Audit, Audit.id == f.audit_id)
        .where(*audit_scope(filters, filters.from_month, filters.to_month))
        .where(f.consent_to_quote.is_(True), func.length(func.trim(f.said)) > 0)
        .order_by(Audit.submitted_on.desc(), f.id.desc())
        .limit(limit)
    )
    return [(who, tone, said) for who, tone, said in db.session.execute(query)]


def theme_rows(filters: ReportFilters) -> list[tuple[str, int, str, int]]:
    """Learning-theme tags: (theme, position, 'current' | 'earlier', audits tagged)."""
    earlier_from, _ = filters.earlier_period
    which = case((Audit.submitted_month >= filters.from_month, "current"), else_="earlier")
    alt = audit_learning_theme
    query = (
        select(LearningTheme.name, LearningTheme.position, which, func.count())
        .select_from(alt)
        .join(Audit, Audit.id == alt.c.audit_id)
        .join(LearningTheme, LearningTheme.id == alt.c.learning_theme_id)
        .where(*audit_scope(filters, earlier_from, filters.to_month))
        .group_by(LearningTheme.name, LearningTheme.position, which)
    )
    return [(name, pos, period, int(n)) for name, pos, period, n in db.session.execute(query)]


def audit_counts_by_period(filters: ReportFilters) -> dict[str, int]:
    """Audits that count in this period and in the same-length period before it."""
    earlier_from, _ = filters.earlier_period
    which = case((Audit.submitted_month >= filters.from_month, "current"), else_="earlier")
    query = (
        select(which, func.count())
        .select_from(Audit)
        .where(*audit_scope(filters, earlier_from, filters.to_month))
        .group_by(which)
    )
    counts = {"current": 0, "earlier": 0}
    counts.update({period: int(n) for period, n in db.session.execute(query)})
    return counts


def action_counts(filters: ReportFilters, today: date) -> dict[str, Any]:
    """Actions set by the period's audits: done, open, and open past their due date."""
    query = (
        select(
            func.count(Action.id),
            func.sum(case((Action.status == "done", 1), else_=0)),
            func.sum(case((Action.status == "open", 1), else_=0)),
            func.sum(case((and_(Action.status == "open", Action.due_on < today), 1), else_=0)),
        )
        .select_from(Action)
        .join(Audit, Audit.id == Action.audit_id)
        .where(*audit_scope(filters, filters.from_month, filters.to_month))
    )
    total, done, open_, overdue = db.session.execute(query).one()
    return {
        "total": int(total or 0),
        "done": int(done or 0),
        "open": int(open_ or 0),
        "overdue": int(overdue or 0),
    }


def reflective_conversations_due(filters: ReportFilters) -> int:
    """Audits of the period whose Inadequate grade was maintained by a completed moderation."""
    query = (
        select(func.count())
        .select_from(Audit)
        .join(Moderation, _completed_moderation())
        .where(*audit_scope(filters, filters.from_month, filters.to_month))
        .where(Audit.overall_grade == "inadequate", Moderation.overall_grade == "inadequate")
    )
    return int(db.session.scalar(query) or 0)


# --- parts that other capabilities bring: read only when their tables exist --------------

_TABLES: dict[str, set[str]] = {}


def table_exists(name: str) -> bool:
    """Whether this database has the table (looked up once per database and process)."""
    url = str(db.engine.url)
    # Through the session's own connection: a second connection would wait for the session's
    # transaction on SQLite (BEGIN IMMEDIATE, qa_audit/db.py) and fail after busy_timeout.
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


def dip_sample_rows(filters: ReportFilters) -> list[dict[str, Any]] | None:
    """Dip samples completed in the period (by completion month): title, themes, unit, sample
    size, and their actions open and done; None when dip samples have not landed."""
    model = dip_sample_model()
    if model is None:
        return None
    from qa_audit.dip_samples.models import dip_sample_learning_theme, dip_sample_service_area

    first_day = date.fromisoformat(f"{filters.from_month}-01")
    after = date.fromisoformat(f"{add_months(filters.to_month, 1)}-01")
    query = select(model.id, model.title, model.sample_unit, model.sample_size, model.completed_on)
    query = query.where(
        model.status == "completed", model.completed_on >= first_day, model.completed_on < after
    )
    if filters.service_area_id is not None:
        query = query.where(
            model.id.in_(
                select(dip_sample_service_area.c.dip_sample_id).where(
                    dip_sample_service_area.c.service_area_id == filters.service_area_id
                )
            )
        )
    samples = [
        {
            "id": id_,
            "title": title,
            "sample_unit": unit,
            "sample_size": int(size),
            "completed_on": done.isoformat() if done else None,
        }
        for id_, title, unit, size, done in db.session.execute(query.order_by(model.completed_on))
    ]
    if not samples:
        return []
    ids = [s["id"] for s in samples]
    themes: dict[int, list[str]] = {}
    theme_query = (
        select(dip_sample_learning_theme.c.dip_sample_id, LearningTheme.name)
        .join(LearningTheme, LearningTheme.id == dip_sample_learning_theme.c.learning_theme_id)
        .where(dip_sample_learning_theme.c.dip_sample_id.in_(ids))
        .order_by(LearningTheme.position)
    )
    for sample_id, name in db.session.execute(theme_query):
        themes.setdefault(sample_id, []).append(name)
    actions: dict[int, tuple[int, int]] = {}
    link = getattr(Action, "dip_sample_id", None)
    if link is not None:
        action_query = (
            select(
                link,
                func.sum(case((Action.status == "open", 1), else_=0)),
                func.sum(case((Action.status == "done", 1), else_=0)),
            )
            .where(link.in_(ids))
            .group_by(link)
        )
        for sample_id, open_, done in db.session.execute(action_query):
            actions[sample_id] = (int(open_ or 0), int(done or 0))
    for sample in samples:
        sample["learning_themes"] = themes.get(sample["id"], [])
        open_, done = actions.get(sample["id"], (0, 0))
        sample["actions_open"], sample["actions_done"] = open_, done
        del sample["id"]
    return samples


def allocation_model() -> Any | None:
    """The rota's Allocation model, when the rota capability has landed in this database."""
    try:
        from qa_audit.rota.models import Allocation
    except ImportError:
        return None
    return Allocation if table_exists(Allocation.__tablename__) else None


def rota_rows(filters: ReportFilters) -> list[tuple[str, str, str, int]] | None:
    """Rota allocations of the period: (service area, auditor, status, allocations); None when
    the rota has not landed. Filtered by service area and team where given."""
    model = allocation_model()
    if model is None:
        return None
    from qa_audit.auth.models import User
    from qa_audit.organisation.models import ServiceArea

    query = (
        select(ServiceArea.name, User.name, model.status, func.count())
        .select_from(model)
        .join(ServiceArea, ServiceArea.id == model.service_area_id)
        .join(User, User.id == model.auditor_id)
        .where(model.month >= filters.from_month, model.month <= filters.to_month)
        .group_by(ServiceArea.name, User.name, model.status)
    )
    if filters.service_area_id is not None:
        query = query.where(model.service_area_id == filters.service_area_id)
    if filters.team_id is not None:
        query = query.where(model.team_id == filters.team_id)
    return [
        (area, auditor, status, int(n)) for area, auditor, status, n in db.session.execute(query)
    ]


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


def reflective_conversation_counts(filters: ReportFilters, today: date) -> dict[str, int] | None:
    """Reflective conversations for the period's audits: due (all that were set up), done
    (held) and overdue; None when moderation does not record them in this database."""
    model = reflective_conversation_model()
    if model is None:
        return None
    query = (
        select(
            func.count(),
            func.sum(case((model.status == "held", 1), else_=0)),
            func.sum(case((and_(model.status != "held", model.due_on < today), 1), else_=0)),
        )
        .select_from(model)
        .join(Audit, Audit.id == model.audit_id)
        .where(*audit_scope(filters, filters.from_month, filters.to_month))
    )
    due, done, overdue = db.session.execute(query).one()
    return {"due": int(due or 0), "done": int(done or 0), "overdue": int(overdue or 0)}
