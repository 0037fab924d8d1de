"""Audits: rows built directly for tests of what reads them (``audit``), audits taken along
the auditor's journey by the services (``started``, ``completed``, ``submitted``), and what an
audit holds (feedback conversations, learning-theme tags)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from qa_audit.audits import services
from qa_audit.audits.models import Audit, AuditDomainGrade, FeedbackConversation
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.learning_themes.models import LearningTheme, audit_learning_theme
from tests.factories.audit_tools import tool
from tests.factories.auth import user
from tests.factories.organisation import service_area
from tests.factories.sequence import next_number

TODAY = date(2024, 5, 20)


def audit(
    *,
    auditor: User | None = None,
    overall: str | None = "good",
    grades: dict[str, str | None] | None = None,
    status: str = "submitted",
    submitted_on: date | None = None,
    area_key: str = "locality",
    tool_key: str = "practice-principles-2024",
    case_ref: str | None = None,
    audit_type: str = "deep_dive",
    reference: str | None = None,
) -> Audit:
    """An audit row built directly (no lifecycle rules), for tests of what reads audits.

    ``grades`` maps domain keys to grade values; domains not given get ``overall``'s grade
    (or stay ungraded for a draft with overall None)."""
    n = next_number()
    area = service_area(area_key)
    the_tool = tool(tool_key)
    auditor = auditor or user(Role.AUDITOR)
    submitted_on = submitted_on or date(2024, 4, 15)
    submitted = status != "draft"
    row = Audit(
        reference=reference or f"T-{n:06d}",
        case_ref=case_ref or f"CR{100000 + n}",
        service_area=area,
        team=area.teams[0] if area.teams else None,
        auditor=auditor,
        tool=the_tool,
        audit_type=audit_type,
        audit_date=submitted_on,
        status=status,
        overall_grade=overall,
        overall_rationale="Rationale" if overall else "",
        submitted_at=(
            datetime(submitted_on.year, submitted_on.month, submitted_on.day, 12, tzinfo=UTC)
            if submitted
            else None
        ),
        submitted_on=submitted_on if submitted else None,
        submitted_month=submitted_on.strftime("%Y-%m") if submitted else None,
    )
    grades = grades or {}
    for position, domain in enumerate(the_tool.domains):
        row.grades.append(
            AuditDomainGrade(
                tool_domain_id=domain.id,
                domain_key=domain.key,
                position=position,
                grade=grades.get(domain.key, overall),
                working_well="Working well",
                needs_improvement="Needs improvement",
                impact="Impact",
            )
        )
    db.session.add(row)
    db.session.flush()
    return row


def started(
    auditor: User | None = None,
    *,
    case_ref: str = "CR123456",
    area_key: str = "locality",
    audit_date: date = date(2024, 5, 14),
    today: date = TODAY,
) -> Audit:
    """A draft audit, started by ``auditor`` (a new auditor when not given)."""
    auditor = auditor or user(Role.AUDITOR)
    area = service_area(area_key)
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


def feedback(
    audit: Audit, who: str, tone: str = "positive", said: str = "Said", consent: bool = False
) -> FeedbackConversation:
    row = FeedbackConversation(
        audit_id=audit.id, who=who, how="visit", said=said, tone=tone, consent_to_quote=consent
    )
    db.session.add(row)
    db.session.flush()
    return row


def theme(audit: Audit, name: str) -> None:
    """Tag ``audit`` with the seeded learning theme called ``name``."""
    theme_id = db.session.scalar(select(LearningTheme.id).where(LearningTheme.name == name))
    assert theme_id is not None, f"seeded learning theme {name!r} missing"
    db.session.execute(
        insert(audit_learning_theme).values(audit_id=audit.id, learning_theme_id=theme_id)
    )
