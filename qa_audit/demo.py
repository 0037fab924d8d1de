"""The demo data set: reference data and one account per role (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import create_user, find_user_by_email
from qa_audit.core.extensions import db
from qa_audit.organisation.models import ServiceArea
from qa_audit.seed import load_reference_data

DEMO_PASSWORD = "demo-password-qa-audit"  # printed by `make run`; demo installs only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    roles: tuple[Role, ...]
    area_key: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("auditor@example.org", "Alex Auditor", (Role.AUDITOR,), "locality"),
    DemoAccount("auditor2@example.org", "Bea Auditor", (Role.AUDITOR,), "corporate_parenting"),
    DemoAccount("moderator@example.org", "Morgan Moderator", (Role.MODERATOR, Role.AUDITOR)),
    DemoAccount(
        "manager@example.org",
        "Sam Service-Manager",
        (Role.SERVICE_MANAGER, Role.AUDITOR),
        "locality",
    ),
    DemoAccount("qa.lead@example.org", "Quinn QA-Lead", (Role.QA_LEAD, Role.MODERATOR)),
    DemoAccount("viewer@example.org", "Vic Viewer", (Role.VIEWER,)),
    DemoAccount("admin@example.org", "Ada Admin", (Role.ADMIN,)),
)


def load_demo() -> list[DemoAccount]:
    """Reference data plus the demo accounts that are missing; caller commits."""
    load_reference_data()
    db.session.flush()
    for account in DEMO_ACCOUNTS:
        if find_user_by_email(account.email) is not None:
            continue
        area = (
            db.session.scalar(select(ServiceArea).where(ServiceArea.key == account.area_key))
            if account.area_key
            else None
        )
        create_user(
            None,
            email=account.email,
            name=account.name,
            roles=account.roles,
            password=DEMO_PASSWORD,
            service_area_id=area.id if area else None,
            team_id=area.teams[0].id if area and area.teams else None,
        )
    from qa_audit.demo_data import load_demo_audits

    db.session.flush()
    load_demo_audits()
    return list(DEMO_ACCOUNTS)


def demo_loaded() -> bool:
    return (
        db.session.scalar(select(User.id).where(User.email == DEMO_ACCOUNTS[0].email)) is not None
    )
