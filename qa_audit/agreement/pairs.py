"""The grade pairs agreement rests on: one row per completed moderation and domain, plus one
for the overall judgement (domain_key "overall"), for a period and the report's filters.

One SQL statement (the domains' pairs UNION ALL the overall pairs); the audits that count are
the report's: submitted or closed, submitted in the period, narrowed by service area, team,
tool version and audit type exactly as the report narrows them. The rows carry the grades as
stored: analysis.py scores them 1-4 (statistics.SCORES) and leaves out the pairs with a grade
not applicable or missing."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, bindparam, func, literal, select, union_all

from qa_audit.audit_tools.models import AuditToolDomain
from qa_audit.audits.models import Audit, AuditDomainGrade, AuditStatus
from qa_audit.auth.models import User
from qa_audit.core.extensions import db
from qa_audit.moderation.models import Moderation, ModerationGrade, ModerationStatus
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.report_filters import ReportFilters

OVERALL = "overall"
OVERALL_TITLE = "Overall judgement"
# The audits the report counts (its COUNTED_STATUSES).
COUNTED_STATUSES = (AuditStatus.SUBMITTED.value, AuditStatus.CLOSED.value)
COLUMNS = [
    "audit_id",
    "month",
    "auditor_id",
    "auditor_name",
    "service_area_id",
    "service_area_name",
    "team_id",
    "team_name",
    "domain_key",
    "domain_title",
    "domain_position",
    "auditor",
    "moderator",
]


def moderator_domain_grade() -> ColumnElement[Any]:
    """The moderator's grade of a domain that agreement compares with the auditor's: the
    BLIND grade, given before the auditor's grades were seen, where the moderation was blind;
    the final decision otherwise. (This and ``moderator_overall_grade`` are the one place
    that chooses.)"""
    return func.coalesce(ModerationGrade.blind_grade, ModerationGrade.grade)


def moderator_overall_grade() -> ColumnElement[Any]:
    """The moderator's overall judgement for agreement: the blind one where there is one."""
    return func.coalesce(Moderation.blind_overall_grade, Moderation.overall_grade)


# The optional filters: (ReportFilters attribute, the column it narrows).
OPTIONAL = (
    ("service_area_id", Audit.service_area_id),
    ("team_id", Audit.team_id),
    ("tool_id", Audit.tool_id),
    ("audit_type", Audit.audit_type),
)


def _shape(filters: ReportFilters) -> tuple[str, ...]:
    """Which optional filters are set: statements differ by this alone, the values are bound."""
    return tuple(name for name, _column in OPTIONAL if getattr(filters, name) is not None)


def _parameters(filters: ReportFilters) -> dict[str, Any]:
    values = {"from_month": filters.from_month, "to_month": filters.to_month}
    return values | {name: getattr(filters, name) for name in _shape(filters)}


def _scope(shape: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """The report's audits under the filters named in ``shape`` (values bound when run), with
    a completed moderation."""
    clauses: list[ColumnElement[bool]] = [
        Audit.submitted_month >= bindparam("from_month"),
        Audit.submitted_month <= bindparam("to_month"),
        Audit.status.in_(COUNTED_STATUSES),
        Moderation.status == ModerationStatus.COMPLETED.value,
    ]
    clauses.extend(column == bindparam(name) for name, column in OPTIONAL if name in shape)
    return clauses


def _common() -> list[Any]:
    return [
        Audit.id.label("audit_id"),
        Audit.submitted_month.label("month"),
        Audit.auditor_id.label("auditor_id"),
        User.name.label("auditor_name"),
        Audit.service_area_id.label("service_area_id"),
        ServiceArea.name.label("service_area_name"),
        Audit.team_id.label("team_id"),
        Team.name.label("team_name"),
    ]


def _joined(query: Any) -> Any:
    return (
        query.join(User, User.id == Audit.auditor_id)
        .join(ServiceArea, ServiceArea.id == Audit.service_area_id)
        .outerjoin(Team, Team.id == Audit.team_id)
    )


@functools.lru_cache(maxsize=2 ** len(OPTIONAL))
def _statement(shape: tuple[str, ...]) -> Any:
    """The SELECT of every grade pair for one shape of filters, built once: building it costs
    more than running it on a year of pairs (SQLAlchemy also caches its compiled form by
    shape, but only once it has been built)."""
    domains = _joined(
        select(
            *_common(),
            AuditDomainGrade.domain_key.label("domain_key"),
            AuditToolDomain.title.label("domain_title"),
            AuditToolDomain.position.label("domain_position"),
            AuditDomainGrade.grade.label("auditor"),
            moderator_domain_grade().label("moderator"),
        )
        .select_from(ModerationGrade)
        .join(Moderation, Moderation.id == ModerationGrade.moderation_id)
        .join(Audit, Audit.id == Moderation.audit_id)
        .join(
            AuditDomainGrade,
            and_(
                AuditDomainGrade.audit_id == Audit.id,
                AuditDomainGrade.domain_key == ModerationGrade.domain_key,
            ),
        )
        .join(AuditToolDomain, AuditToolDomain.id == AuditDomainGrade.tool_domain_id)
    ).where(*_scope(shape))
    overall = _joined(
        select(
            *_common(),
            literal(OVERALL).label("domain_key"),
            literal(OVERALL_TITLE).label("domain_title"),
            # After every domain (tools have far fewer than this).
            literal(10_000).label("domain_position"),
            Audit.overall_grade.label("auditor"),
            moderator_overall_grade().label("moderator"),
        )
        .select_from(Moderation)
        .join(Audit, Audit.id == Moderation.audit_id)
    ).where(*_scope(shape))
    return union_all(domains, overall)


def pairs_statement(filters: ReportFilters) -> Any:
    """The SELECT of every grade pair under ``filters`` (grades as stored), with the filters'
    values bound."""
    return _statement(_shape(filters)).params(_parameters(filters))


def pair_rows(filters: ReportFilters) -> Sequence[Row[Any]]:
    """The rows of every grade pair under ``filters``, in COLUMNS order, grades as stored."""
    return db.session.execute(_statement(_shape(filters)), _parameters(filters)).all()
