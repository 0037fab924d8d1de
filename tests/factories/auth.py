"""People: user accounts with roles, made through the accounts service."""

from __future__ import annotations

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import create_user
from tests.factories.organisation import service_area
from tests.factories.sequence import next_number

PASSWORD = "correct horse battery staple"


def user(
    *roles: Role | str,
    email: str | None = None,
    name: str | None = None,
    password: str | None = PASSWORD,
    area_key: str | None = None,
    active: bool = True,
) -> User:
    n = next_number()
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


def moderator(**kwargs: object) -> User:
    return user(Role.MODERATOR, **kwargs)  # type: ignore[arg-type]
