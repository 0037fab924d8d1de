"""The administrator's mapping of the provider's groups to roles (and, optionally, a service
area and team), used when an account is created at its first sign-in. Every change is logged."""

from __future__ import annotations

from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.records import get_or_not_found
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.single_sign_on.models import GroupRole

FIELDS = ["group_id", "role", "service_area_id", "team_id"]


def list_mappings() -> list[GroupRole]:
    return list(db.session.scalars(select(GroupRole).order_by(GroupRole.group_id, GroupRole.role)))


def get_mapping(mapping_id: int) -> GroupRole:
    return get_or_not_found(GroupRole, mapping_id, "group mapping")


def _check_place(service_area_id: int | None, team_id: int | None) -> None:
    if service_area_id is not None and db.session.get(ServiceArea, service_area_id) is None:
        raise DomainError("Select a service area from the list", "service_area_id")
    if team_id is None:
        return
    team = db.session.get(Team, team_id)
    if team is None:
        raise DomainError("Select a team from the list", "team_id")
    if team.service_area_id != service_area_id:
        raise DomainError("Select a team in the chosen service area", "team_id")


def add_mapping(
    actor: User,
    *,
    group_id: str,
    role: Role | str,
    service_area_id: int | None = None,
    team_id: int | None = None,
) -> GroupRole:
    group_id = group_id.strip()
    if not group_id:
        raise DomainError("Enter the group's id", "group_id")
    role = Role(role)
    taken = select(GroupRole).where(GroupRole.group_id == group_id, GroupRole.role == role.value)
    if db.session.scalar(taken) is not None:
        raise DomainError("This group is already mapped to this role", "role")
    _check_place(service_area_id, team_id)
    mapping = GroupRole(
        group_id=group_id, role=role.value, service_area_id=service_area_id, team_id=team_id
    )
    db.session.add(mapping)
    db.session.flush()
    record_change(actor, "single_sign_on.group_mapped", mapping, None, snapshot(mapping, FIELDS))
    return mapping


def remove_mapping(actor: User, mapping: GroupRole) -> None:
    before = snapshot(mapping, FIELDS)
    record_change(actor, "single_sign_on.group_unmapped", mapping, before, None)
    db.session.delete(mapping)
