"""Factories for domain objects, built through the services so the rules apply."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import create_user
from qa_audit.extensions import db
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
