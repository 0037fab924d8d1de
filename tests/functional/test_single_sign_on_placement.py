"""Where an account made at the first sign-in is placed: the service area and the team of the
first group mapping that names a place (a real OpenID Provider on loopback)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.single_sign_on.models import GroupRole
from tests import factories
from tests.oidc_provider import TestProvider
from tests.oidc_provider.fixtures import provider, sign_in_through, sso

__all__ = ["provider", "sso"]  # fixtures


def test_a_group_mapped_with_a_team_puts_the_new_account_in_that_team(
    client: FlaskClient, db, sso: TestProvider, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "OIDC_CREATE_ACCOUNTS", True)
    area = factories.service_area()
    assert len(area.teams) >= 2
    first_team, other_team = area.teams[0], area.teams[1]
    # Mapped in this order: one without a place, then the team's, then another team of the
    # same area (a later mapping does not move the person).
    db.session.add(GroupRole(group_id="grp-viewers", role=Role.VIEWER.value))
    db.session.add(
        GroupRole(
            group_id="grp-second-team",
            role=Role.AUDITOR.value,
            service_area_id=area.id,
            team_id=other_team.id,
        )
    )
    db.session.add(
        GroupRole(
            group_id="grp-first-team",
            role=Role.MODERATOR.value,
            service_area_id=area.id,
            team_id=first_team.id,
        )
    )
    db.session.commit()
    sso.person(
        "placed",
        email="placed.person@example.org",
        email_verified=True,
        name="Placed Person",
        groups=["grp-first-team", "grp-viewers", "grp-second-team"],
    )
    response = sign_in_through(client, "placed")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    user = db.session.scalar(select(User).where(User.email == "placed.person@example.org"))
    assert user.roles == {Role.VIEWER, Role.AUDITOR, Role.MODERATOR}
    assert user.service_area_id == area.id
    # The first mapping made (by id) that names a place, whatever the order of the claim.
    assert user.team_id == other_team.id
