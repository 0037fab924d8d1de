"""Feedback conversations, quotes and learning themes of the period's audits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, bindparam, case, cast, exists, func, literal, null, select, union_all

from qa_audit.audits.models import Audit, FeedbackConversation
from qa_audit.learning_themes.models import LearningTheme, audit_learning_theme
from qa_audit.report_filters import ReportFilters
from qa_audit.reports.queries.scope import Shape, audit_scope, count_if, run, statement, values_for

QUOTE_LIMIT = 8


@statement
def _feedback_statement(shape: Shape) -> Any:
    f = FeedbackConversation
    scope = audit_scope(shape)
    conversations = (
        select(f.who, f.tone, func.count(), count_if(f.consent_to_quote.is_(True)))
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
    for who, tone, n, consenting in run(
        _feedback_statement(Shape.of(filters)), values_for(filters)
    ):
        if who is None:
            with_feedback = int(n)
        else:
            rows.append((who, tone, int(n), int(consenting or 0)))
    return rows, with_feedback


@statement
def _quotes_statement(shape: Shape) -> Any:
    f = FeedbackConversation
    return (
        select(f.who, f.tone, f.said)
        .join(Audit, Audit.id == f.audit_id)
        .where(*audit_scope(shape))
        .where(f.consent_to_quote.is_(True), func.length(func.trim(f.said)) > 0)
        # Words removed under the retention schedule are no quote (docs/retention.md).
        .where(Audit.anonymised_at.is_(None))
        # Newest month of the period first (read backwards along the month index, stopping
        # at the limit), then newest submission and conversation within the month.
        .order_by(Audit.submitted_month.desc(), Audit.submitted_on.desc(), f.id.desc())
        .limit(bindparam("limit"))
    )


def quotes(filters: ReportFilters, limit: int = QUOTE_LIMIT) -> list[tuple[str, str, str]]:
    """The newest quotes given with consent to quote anonymously, the period's latest
    months first: (who, tone, words)."""
    rows = run(_quotes_statement(Shape.of(filters)), values_for(filters, limit=limit))
    return [(who, tone, said) for who, tone, said in rows]


@statement
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
    for name, position, period, n in run(_themes_statement(Shape.of(filters)), values_for(filters)):
        if name is None:
            earlier_audits = int(n)
        else:
            rows.append((name, int(position), period, int(n)))
    return rows, earlier_audits
