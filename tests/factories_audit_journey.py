"""Factories for the auditor's journey: audits started, filled and submitted by the services."""

from __future__ import annotations

from datetime import date

from qa_audit.audits import services
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from tests import factories

TODAY = date(2024, 5, 20)


def started(
    auditor: User | None = None,
    *,
    case_ref: str = "CR123456",
    area_key: str = "locality",
    audit_date: date = date(2024, 5, 14),
    today: date = TODAY,
) -> Audit:
    """A draft audit, started by ``auditor`` (a new auditor when not given)."""
    auditor = auditor or factories.user(Role.AUDITOR)
    area = factories.service_area(area_key)
    return services.start_audit(
        auditor,
        case_ref,
        area.id,
        area.teams[0].id,
        audit_date,
        "deep_dive",
        today=today,
    )


def draft_data(
    audit: Audit,
    grade: str | None = "good",
    overall: str | None = "good",
    rationale: str = "Clear impact for the child",
    **grades: str | None,
) -> services.DraftData:
    """Every domain graded ``grade`` (or as given by key), with evidence in each box."""
    data = services.DraftData(
        overall_grade=overall, overall_rationale=rationale, learning_theme_ids=[]
    )
    for row in audit.grades:
        data.domains[row.domain_key] = services.DomainEntry(
            grade=grades.get(row.domain_key, grade),
            working_well=f"{row.domain_key}: working well",
            needs_improvement=f"{row.domain_key}: needs to improve",
            impact=f"{row.domain_key}: impact",
        )
    return data


def completed(audit: Audit, **kwargs: str | None) -> Audit:
    """The draft filled in (every domain Good unless told otherwise), ready to submit."""
    services.save_draft(audit.auditor, audit, audit.version, draft_data(audit, **kwargs))  # type: ignore[arg-type]
    return audit


def submitted(auditor: User | None = None, *, today: date = TODAY, **kwargs: object) -> Audit:
    """A submitted audit, through the services."""
    audit = completed(started(auditor, today=today, **kwargs))  # type: ignore[arg-type]
    return services.submit(audit.auditor, audit, today=today)
