"""Admin pages: who may see them; users, roles, deactivation; service areas and teams."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core import notifications
from qa_audit.organisation.models import ServiceArea, Team
from tests import factories

ADMIN_PAGES: list[Callable[[], str]] = [
    lambda: "/admin/users",
    lambda: "/admin/users/new",
    lambda: f"/admin/users/{factories.user(Role.AUDITOR).id}",
    lambda: "/admin/service-areas",
    lambda: f"/admin/service-areas/{factories.service_area('fgc').id}",
    lambda: f"/admin/teams/{factories.service_area('fgc').teams[0].id}",
]
PAGE_IDS = ["users", "new-user", "edit-user", "service-areas", "service-area", "team"]
OTHER_ROLES = [r for r in Role if r is not Role.ADMIN]


@pytest.fixture
def mailbox(app: Flask, monkeypatch) -> list:  # type: ignore[no-untyped-def]
    """E-mail sent after commit, kept instead of going to an SMTP server."""
    sent: list = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(
        notifications, "send_email", lambda to, subject, body: sent.append((to, subject, body))
    )
    return sent


def one_time_password(mailbox: list) -> str:
    body = next(body for _, subject, body in reversed(mailbox) if "one-time" in subject)
    return str(body.split("one-time password is: ")[1].split()[0])


def choose_own_password(person: FlaskClient, email: str, one_time: str, new: str) -> None:
    """Sign in with a one-time password: only the change-password page works, until it is used."""
    assert person.post("/sign-in", data={"email": email, "password": one_time}).status_code == 302
    for elsewhere in ("/", "/my-actions", "/admin/api-tokens"):
        sent_on = person.get(elsewhere)
        assert sent_on.status_code == 302
        assert sent_on.headers["Location"] == "/account/password"
    changed = person.post(
        "/account/password",
        data={"current_password": one_time, "new_password": new, "confirm_password": new},
    )
    assert changed.status_code == 302
    assert person.get("/").status_code == 200


def page_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def assert_form_error(response, message: str, field: str) -> None:  # type: ignore[no-untyped-def]
    html = page_of(response)
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert f'href="#{field}"' in html  # the summary links to the field at fault
    assert f'id="{field}-error" class="govuk-error-message"' in html
    assert message in html


# --- who may see the admin pages ----------------------------------------------------------


@pytest.mark.parametrize("page", ADMIN_PAGES, ids=PAGE_IDS)
def test_admin_sees_admin_pages(login_as, client: FlaskClient, db, page) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    url = page()
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">' in page_of(response)


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("page", ADMIN_PAGES, ids=PAGE_IDS)
def test_other_roles_are_forbidden(login_as, client: FlaskClient, db, page, role: Role) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    url = page()
    db.session.commit()
    assert client.get(url).status_code == 403
    if url not in ("/admin/users",):  # the list is GET only (a POST is 405 for anyone)
        assert client.post(url, data={"name": "Changed"}).status_code == 403


@pytest.mark.parametrize("page", ADMIN_PAGES, ids=PAGE_IDS)
def test_signed_out_people_are_sent_to_sign_in(client: FlaskClient, db, page) -> None:  # type: ignore[no-untyped-def]
    url = page()
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.QA_LEAD, 200), (Role.AUDITOR, 403), (Role.VIEWER, 403)],
)
def test_change_log_page_is_for_admins_and_qa_leads(
    login_as, client: FlaskClient, role: Role, status: int
) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    assert client.get("/admin/change-log").status_code == status


def test_admin_actions_need_the_admin_role(login_as, client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    target = factories.user(Role.AUDITOR)
    db.session.commit()
    login_as(Role.QA_LEAD, Role.MODERATOR)
    assert client.post(f"/admin/users/{target.id}/active", data={"active": "0"}).status_code == 403
    assert client.post(f"/admin/users/{target.id}/password-reset").status_code == 403
    db.session.refresh(target)
    assert target.active


# --- managing users -----------------------------------------------------------------------


def test_admin_creates_a_user_edits_roles_deactivates_and_reactivates(
    app: Flask, login_as, client: FlaskClient, db, mailbox: list
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    area = factories.service_area("locality")
    team = area.teams[0]
    response = client.post(
        "/admin/users/new",
        data={
            "email": "Robin.New@Example.org",
            "name": "Robin New",
            "roles": ["auditor", "service_manager"],
            "service_area_id": str(area.id),
            "team_id": str(team.id),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"
    assert "Robin New has been added" in page_of(client.get("/admin/users"))
    user = db.session.scalar(select(User).where(User.email == "robin.new@example.org"))
    assert user is not None
    assert user.roles == {Role.AUDITOR, Role.SERVICE_MANAGER}
    assert (user.service_area_id, user.team_id) == (area.id, team.id)
    assert user.password_hash is None  # nobody chose Robin's password for them

    # Robin is sent a one-time password and chooses their own on another device.
    assert client.post(f"/admin/users/{user.id}/password-reset").status_code == 302
    robin = app.test_client()
    choose_own_password(robin, user.email, one_time_password(mailbox), "robin's first passphrase")
    assert robin.get("/").status_code == 200

    edit = client.get(f"/admin/users/{user.id}")
    assert 'value="service_manager" checked' in page_of(edit).replace('"\n', '" ')
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "email": user.email,
            "name": "Robin Renamed",
            "roles": ["auditor", "moderator"],
            "service_area_id": "",
            "team_id": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert user.roles == {Role.AUDITOR, Role.MODERATOR}
    assert user.name == "Robin Renamed"
    assert user.service_area_id is None
    assert "As moderator" in page_of(robin.get("/"))  # roles apply to the live session

    response = client.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert "Robin Renamed has been deactivated" in page_of(client.get(f"/admin/users/{user.id}"))
    db.session.expire_all()
    assert not user.active
    # Out at once: Robin's next request is not signed in.
    out = robin.get("/")
    assert out.status_code == 302
    assert out.headers["Location"].startswith("/sign-in")
    again = robin.post(
        "/sign-in", data={"email": user.email, "password": "robin's first passphrase"}
    )
    assert again.status_code == 400

    response = client.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    assert response.status_code == 302
    back = robin.post(
        "/sign-in", data={"email": user.email, "password": "robin's first passphrase"}
    )
    assert back.status_code == 302
    assert robin.get("/").status_code == 200

    history = page_of(client.get(f"/admin/users/{user.id}"))
    # The history reads in plain English (issue 16, defect 11).
    for action in (
        '<td class="govuk-table__cell">Created</td>',
        '<td class="govuk-table__cell">Updated</td>',
        '<td class="govuk-table__cell">One-time password sent</td>',
        '<td class="govuk-table__cell">Deactivated</td>',
        '<td class="govuk-table__cell">Activated</td>',
    ):
        assert action in history
    assert "robin&#39;s first passphrase" not in history
    assert "$argon2" not in history


def test_admin_cannot_deactivate_themselves(login_as, client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    admin = login_as(Role.ADMIN)
    response = client.post(
        f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True
    )
    assert "You cannot deactivate your own account" in page_of(response)
    assert client.get("/admin/users").status_code == 200
    db.session.refresh(admin)
    assert admin.active


def test_admin_cannot_remove_their_own_admin_role(login_as, client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    admin = login_as(Role.ADMIN)
    response = client.post(
        f"/admin/users/{admin.id}",
        data={"email": admin.email, "name": admin.name, "roles": ["auditor"]},
    )
    assert_form_error(response, "You cannot remove your own administrator role", "roles")
    db.session.refresh(admin)
    assert Role.ADMIN in admin.roles


VALID_USER = {
    "email": "valid.person@example.org",
    "name": "Valid Person",
    "roles": ["auditor"],
    "service_area_id": "",
    "team_id": "",
    "password": "",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": ""}, "email", "Enter the e-mail address"),
        ({"email": "not an address"}, "email", "Enter an e-mail address in the correct format"),
        ({"email": "taken@example.org"}, "email", "A user with this e-mail address already exists"),
        ({"name": ""}, "name", "Enter the person&#39;s name"),
        ({"roles": []}, "roles", "Select at least one role"),
        ({"service_area_id": "999999"}, "service_area_id", "Not a valid choice"),
    ],
)
def test_invalid_new_user_form_is_shown_again_with_errors(
    login_as, client: FlaskClient, db, change: dict, field: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    factories.user(Role.VIEWER, email="taken@example.org")
    db.session.commit()
    response = client.post("/admin/users/new", data={**VALID_USER, **change})
    assert_form_error(response, message, field)
    assert "too short" not in page_of(response)  # a typed password is never shown back
    assert db.session.scalar(select(User).where(User.name == "Valid Person")) is None


def test_team_must_belong_to_the_chosen_area(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    locality = factories.service_area("locality")
    fostering_team = factories.service_area("fostering").teams[0]
    response = client.post(
        "/admin/users/new",
        data={
            **VALID_USER,
            "service_area_id": str(locality.id),
            "team_id": str(fostering_team.id),
        },
    )
    assert_form_error(response, "Select a team in the chosen service area", "team_id")


# --- service areas and teams --------------------------------------------------------------


def test_admin_adds_and_renames_a_service_area_and_its_teams(
    login_as, client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    response = client.post(
        "/admin/service-areas", data={"key": "disabled_children", "name": "Disabled Children"}
    )
    assert response.status_code == 302
    area = db.session.scalar(select(ServiceArea).where(ServiceArea.key == "disabled_children"))
    assert area is not None
    assert "Disabled Children" in page_of(client.get("/admin/service-areas"))

    url = f"/admin/service-areas/{area.id}"
    response = client.post(url, data={"team-name": "Short Breaks", "team-submit": "Add team"})
    assert response.status_code == 302
    response = client.post(
        url, data={"rename-name": "Disabled Children's Service", "rename-submit": "Rename"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert area.name == "Disabled Children's Service"
    assert [t.name for t in area.teams] == ["Short Breaks"]

    team = area.teams[0]
    response = client.post(f"/admin/teams/{team.id}", data={"name": "Short Breaks Team"})
    assert response.status_code == 302
    assert response.headers["Location"] == url
    db.session.expire_all()
    assert team.name == "Short Breaks Team"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"key": "fgc", "name": "Another"}, "key", "A service area with this key already exists"),
        (
            {"key": "new_one", "name": "fostering"},
            "name",
            "A service area with this name already exists",
        ),
        ({"key": "Bad Key!", "name": "Another"}, "key", "Key must start with a letter"),
        ({"key": "", "name": "Another"}, "key", "Enter a key"),
    ],
)
def test_invalid_service_area_form(
    login_as, client: FlaskClient, data: dict, field: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    assert_form_error(client.post("/admin/service-areas", data=data), message, field)


def test_team_and_rename_clashes_are_shown_on_the_right_form(
    login_as, client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    area = factories.service_area("fostering")
    url = f"/admin/service-areas/{area.id}"
    # "Supervising Social Workers" exists already in Fostering.
    clash = client.post(
        url, data={"team-name": "supervising SOCIAL workers", "team-submit": "Add team"}
    )
    assert_form_error(clash, "Fostering already has a team called supervising SOCIAL", "team-name")
    rename = client.post(url, data={"rename-name": "Early Help", "rename-submit": "Rename"})
    assert_form_error(rename, "A service area with this name already exists", "rename-name")
    team = factories.service_area("fostering").teams[0]
    other = factories.service_area("fostering").teams[1]
    team_clash = client.post(f"/admin/teams/{team.id}", data={"name": other.name})
    assert_form_error(team_clash, "already has a team called", "name")
    names = db.session.scalars(select(Team.name).where(Team.service_area_id == area.id)).all()
    assert sorted(names) == ["Kinship Assessments", "Supervising Social Workers"]
