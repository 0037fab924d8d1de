"""Service areas and teams: seeding, adding and renaming (admin only, logged)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from sqlalchemy import func, select

from qa_audit.changelog.services import record_added, record_change, snapshot
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.records import get_or_not_found
from qa_audit.organisation.models import ServiceArea, Team

if TYPE_CHECKING:
    from qa_audit.auth.models import User

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,49}$")


def list_service_areas() -> list[ServiceArea]:
    return list(db.session.scalars(select(ServiceArea).order_by(ServiceArea.name)))


def get_service_area(area_id: int) -> ServiceArea:
    return get_or_not_found(ServiceArea, area_id, "service area")


def find_service_area(key_or_name: str) -> ServiceArea | None:
    """A service area by its key or its name, any case."""
    value = key_or_name.strip().lower()
    return db.session.scalar(
        select(ServiceArea).where(
            (func.lower(ServiceArea.key) == value) | (func.lower(ServiceArea.name) == value)
        )
    )


def get_team(team_id: int) -> Team:
    return get_or_not_found(Team, team_id, "team")


def _name(value: str, field: str, what: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise DomainError(f"Enter the {what} name", field)
    if len(value) > 200:
        raise DomainError(f"The {what} name must be 200 characters or fewer", field)
    return value


def create_service_area(actor: User | None, key: str, name: str) -> ServiceArea:
    """Add a service area with a stable key."""
    key = key.strip().lower()
    if not KEY_PATTERN.match(key):
        raise DomainError(
            "Key must start with a letter and use only lower-case letters, digits and _", "key"
        )
    name = _name(name, "name", "service area")
    if db.session.scalar(select(ServiceArea).where(ServiceArea.key == key)):
        raise DomainError("A service area with this key already exists", "key")
    if find_service_area(name):
        raise DomainError("A service area with this name already exists", "name")
    area = ServiceArea(key=key, name=name)
    record_added(actor, "service_area.created", area, ["key", "name"])
    return area


def rename_service_area(actor: User, area: ServiceArea, name: str) -> ServiceArea:
    """Rename a service area; its key stays."""
    name = _name(name, "name", "service area")
    other = find_service_area(name)
    if other is not None and other.id != area.id:
        raise DomainError("A service area with this name already exists", "name")
    before = snapshot(area, ["name"])
    area.name = name
    record_change(actor, "service_area.renamed", area, before, snapshot(area, ["name"]))
    return area


def _team_clash(area: ServiceArea, name: str, exclude_id: int | None = None) -> bool:
    query = select(Team.id).where(
        Team.service_area_id == area.id, func.lower(Team.name) == name.lower()
    )
    if exclude_id is not None:
        query = query.where(Team.id != exclude_id)
    return db.session.scalar(query) is not None


def create_team(actor: User | None, area: ServiceArea, name: str) -> Team:
    """Add a team to a service area."""
    name = _name(name, "name", "team")
    if _team_clash(area, name):
        raise DomainError(f"{area.name} already has a team called {name}", "name")
    team = Team(service_area=area, name=name)
    db.session.add(team)
    record_change(actor, "team.created", team, None, {"name": name, "service_area_id": area.id})
    return team


def rename_team(actor: User, team: Team, name: str) -> Team:
    """Rename a team."""
    name = _name(name, "name", "team")
    if _team_clash(team.service_area, name, exclude_id=team.id):
        raise DomainError(f"{team.service_area.name} already has a team called {name}", "name")
    before = snapshot(team, ["name"])
    team.name = name
    record_change(actor, "team.renamed", team, before, snapshot(team, ["name"]))
    return team


def seed_service_areas(path: Path) -> int:
    """Create the seeded service areas that are missing, with their teams; return how many.

    An area that exists already is left as the admins made it: a seeded team they renamed
    must not come back."""
    added = 0
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        area = db.session.scalar(select(ServiceArea).where(ServiceArea.key == item["key"]))
        if area is not None:
            continue
        area = create_service_area(None, item["key"], item["name"])
        added += 1
        for team_name in item.get("teams", []):
            create_team(None, area, team_name)
    return added
