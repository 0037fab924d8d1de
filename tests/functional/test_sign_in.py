"""Signing in and out through the pages; wrong passwords; where sign-in may send you next."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qa_audit.auth.roles import Role
from qa_audit.auth.services import SIGN_IN_FAILED
from tests import factories
from tests.page_text import main_text, without_per_request_values


def test_sign_in_page_is_a_gov_uk_form(client: FlaskClient) -> None:
    response = client.get("/sign-in")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert 'name="email"' in html
    assert 'type="password"' in html
    assert "govuk-error-summary" not in html


def test_sign_in_and_out(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR, name="Pat Example")
    db.session.commit()
    assert client.get("/").status_code == 302

    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Signed in as Pat Example" in home.get_data(as_text=True)

    response = client.post("/sign-out")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    page = client.get("/sign-in").get_data(as_text=True)
    assert "You have signed out" in page
    after = client.get("/")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/sign-in?next=")


def test_another_client_is_not_signed_in_by_someone_elses_sign_in(
    app: Flask, login_as, client: FlaskClient
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    assert client.get("/admin/users").status_code == 200
    stranger = app.test_client()
    assert stranger.get("/admin/users").status_code == 302
    assert stranger.get("/").status_code == 302


def test_signed_in_user_visiting_sign_in_goes_home(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.VIEWER)
    response = client.get("/sign-in")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_wrong_password_shows_a_message_that_does_not_hint_whether_the_email_exists(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    known = factories.user(Role.AUDITOR)
    db.session.commit()
    wrong = client.post("/sign-in", data={"email": known.email, "password": "wrong password"})
    unknown = client.post(
        "/sign-in", data={"email": "nobody.here@example.org", "password": "wrong password"}
    )
    assert wrong.status_code == unknown.status_code == 400
    wrong_html = wrong.get_data(as_text=True)
    assert "govuk-error-summary" in wrong_html
    assert SIGN_IN_FAILED in wrong_html
    assert "wrong password" not in wrong_html  # the password typed is never shown back
    # The very same page either way, but for the address typed.
    assert main_text(wrong_html).replace(known.email, "EMAIL") == main_text(
        unknown.get_data(as_text=True)
    ).replace("nobody.here@example.org", "EMAIL")


def test_empty_sign_in_form_shows_the_field_errors(client: FlaskClient) -> None:
    response = client.post("/sign-in", data={"email": "", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert "Enter your e-mail address" in html
    assert "Enter your password" in html
    assert 'href="#email"' in html  # the summary links to the field
    assert html.count('class="govuk-error-message"') == 2


def test_five_wrong_passwords_do_not_lock_the_account(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    for _ in range(5):
        client.post("/sign-in", data={"email": user.email, "password": "wrong password"})
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert "locked" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
    ],
)
def test_sign_in_refuses_to_send_you_off_site(client: FlaskClient, db, target: str) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": user.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    # Resolved as a browser does (a backslash counts as a slash; tabs are dropped).
    location = response.headers["Location"].replace("\\", "/").replace("\t", "")
    assert urlsplit(urljoin("http://localhost/", location)).netloc == "localhost"
    assert location == "/" or location.startswith("/%")


def test_sign_in_returns_you_to_the_page_you_asked_for(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.ADMIN)
    db.session.commit()
    asked = client.get("/admin/users?page=2")
    assert asked.status_code == 302
    sign_in_url = asked.headers["Location"]
    assert sign_in_url.startswith("/sign-in?next=")
    response = client.post(sign_in_url, data={"email": user.email, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/admin/users?page=2"


def test_change_password_keeps_this_session_and_ends_others(
    app: Flask, client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    other = app.test_client()
    for c in (client, other):
        c.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
        assert c.get("/").status_code == 200
    response = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "Your password has been changed" in home.get_data(as_text=True)
    assert other.get("/").status_code == 302
    client.post("/sign-out")
    signed_in = client.post(
        "/sign-in", data={"email": user.email, "password": "a brand new passphrase"}
    )
    assert signed_in.status_code == 302


def test_change_password_refuses_a_wrong_current_password(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.AUDITOR)
    response = client.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "new_password": "a brand new passphrase",
            "confirm_password": "a different passphrase",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert "The passwords do not match" in html
    assert "a brand new passphrase" not in html


def test_pages_compare_without_their_csrf_token(login_as, client: FlaskClient) -> None:
    """Tests comparing two pages must not fail when a second passes between them."""
    login_as(Role.AUDITOR)
    html = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token, "the sign-out form carries a CSRF token"
    assert token.group(1) not in without_per_request_values(html)
    assert 'name="csrf_token" value=""' in without_per_request_values(html)
