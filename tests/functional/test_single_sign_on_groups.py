"""The administrators' page mapping the provider's groups to roles."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.single_sign_on.models import GroupRole
from tests import factories


def test_an_administrator_maps_a_group_and_removes_the_mapping(
    client: FlaskClient, db, login_as
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    area = factories.service_area()
    team = area.teams[0]
    page = client.get("/admin/single-sign-on/groups")
    assert page.status_code == 200
    assert "No groups are mapped to roles yet" in page.get_data(as_text=True)

    response = client.post(
        "/admin/single-sign-on/groups",
        data={
            "group_id": " 5f0e8b1c-aaaa ",
            "role": "auditor",
            "service_area_id": str(area.id),
            "team_id": str(team.id),
        },
    )
    assert response.status_code == 302
    mapping = db.session.scalar(select(GroupRole))
    assert (mapping.group_id, mapping.role, mapping.team_id) == (
        "5f0e8b1c-aaaa",
        "auditor",
        team.id,
    )
    listed = client.get("/admin/single-sign-on/groups").get_data(as_text=True)
    assert "5f0e8b1c-aaaa" in listed
    assert "Auditor" in listed

    again = client.post(
        "/admin/single-sign-on/groups", data={"group_id": "5f0e8b1c-aaaa", "role": "auditor"}
    )
    assert again.status_code == 400
    assert "This group is already mapped to this role" in again.get_data(as_text=True)

    assert client.post(f"/admin/single-sign-on/groups/{mapping.id}/remove").status_code == 302
    assert db.session.scalar(select(GroupRole)) is None
    logged = db.session.scalars(
        select(ChangeLogEntry.action).where(
            ChangeLogEntry.entity_type == "single_sign_on_group_role"
        )
    ).all()
    assert logged == ["single_sign_on.group_mapped", "single_sign_on.group_unmapped"]


def test_a_team_outside_the_chosen_area_is_refused(client: FlaskClient, db, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    area = factories.service_area()
    response = client.post(
        "/admin/single-sign-on/groups",
        data={"group_id": "g", "role": "viewer", "team_id": str(area.teams[0].id)},
    )
    assert response.status_code == 400
    assert "Select a team in the chosen service area" in response.get_data(as_text=True)
    assert db.session.scalar(select(GroupRole)) is None


def test_only_administrators_see_the_mapping(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    assert client.get("/admin/single-sign-on/groups").status_code == 403
