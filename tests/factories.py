"""Factories for domain objects, built through the services so the rules apply."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import create_user
from qa_audit.core.extensions import db
from qa_audit.organisation.models import ServiceArea

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def service_area(key: str = "locality") -> ServiceArea:
    area = db.session.scalar(select(ServiceArea).where(ServiceArea.key == key))
    assert area is not None, f"seeded service area {key} missing"
    return area


def user(
    *roles: Role | str,
    email: str | None = None,
    name: str | None = None,
    password: str | None = PASSWORD,
    area_key: str | None = None,
    active: bool = True,
) -> User:
    n = next(_seq)
    area = service_area(area_key) if area_key else None
    return create_user(
        None,
        email=email or f"person{n}@example.org",
        name=name or f"Person {n}",
        roles=roles or (Role.AUDITOR,),
        password=password,
        service_area_id=area.id if area else None,
        team_id=area.teams[0].id if area and area.teams else None,
        active=active,
    )


def tool(key: str = "practice-principles-2024"):  # type: ignore[no-untyped-def]
    from qa_audit.audit_tools.services import get_tool

    return get_tool(key)


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
):  # type: ignore[no-untyped-def]
    """An audit row built directly (no lifecycle rules), for tests of what reads audits.

    ``grades`` maps domain keys to grade values; domains not given get ``overall``'s grade
    (or stay ungraded for a draft with overall None)."""
    from qa_audit.audits.models import Audit, AuditDomainGrade

    n = next(_seq)
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
