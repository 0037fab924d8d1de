"""Signing in with a council account returns the person to the page they asked for, as a
password sign-in does: the sign-in page's button carries the same checked ``next``, the
start of the flow keeps it with the state (never sent to the provider), and only a
successful callback lands on it. A real OpenID Provider on loopback."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from qa_audit.auth.roles import Role
from tests import factories
from tests.oidc_provider import TestProvider
from tests.oidc_provider import sign_in_at_provider as follow_provider
from tests.oidc_provider.fixtures import CALLBACK, back_at, provider, sso

__all__ = ["provider", "sso"]  # fixtures

BUTTON = re.compile(r'<a href="([^"]*)" role="button"[^>]*>\s*Sign in with your council account')

UNSAFE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/sign-in",
    "/sign-in/oidc",
    "/sign-in/oidc/callback?code=x&state=y",
]


def button(client: FlaskClient, sign_in_url: str) -> str:
    """The address of the sign-in page's "Sign in with your council account" button."""
    page = client.get(sign_in_url)
    assert page.status_code == 200
    found = BUTTON.search(page.get_data(as_text=True))
    assert found, page.get_data(as_text=True)[:2000]
    return unescape(found.group(1))


def callback_from(client: FlaskClient, start: str, login: str) -> str:
    """Start the flow at ``start`` and sign in at the provider: the callback address it sends
    the browser back to (not yet visited)."""
    started = client.get(start)
    assert started.status_code == 302, started.get_data(as_text=True)[:1000]
    # Nothing of the page asked for travels to the provider.
    assert "next" not in parse_qs(urlsplit(started.headers["Location"]).query)
    return follow_provider(requests.Session(), started.headers["Location"], login, CALLBACK)


def signed_in_from(client: FlaskClient, start: str, login: str) -> TestResponse:
    return back_at(client, callback_from(client, start, login))


def test_council_account_lands_on_the_page_asked_for(
    client: FlaskClient, db, sso: TestProvider
) -> None:  # type: ignore[no-untyped-def]
    sso.person("ada-admin", email="ada.admin@example.org", email_verified=True)

    asked = client.get("/admin/users?page=2")
    assert asked.status_code == 302
    sign_in_url = asked.headers["Location"]
    assert sign_in_url.startswith("/sign-in?next=")
    start = button(client, sign_in_url)
    assert urlsplit(start).path == "/sign-in/oidc"

    # Refused (no account yet): the refusal page, not the page asked for.
    refused = signed_in_from(client, start, "ada-admin")
    assert refused.status_code == 403
    assert client.get("/").status_code == 302  # not signed in

    factories.user(Role.ADMIN, name="Ada Admin", email="ada.admin@example.org")
    db.session.commit()
    response = signed_in_from(client, start, "ada-admin")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    assert response.headers["Location"] == "/admin/users?page=2"
    assert client.get("/admin/users?page=2").status_code == 200


def test_an_unsafe_next_page_lands_on_the_home_page(
    client: FlaskClient, db, sso: TestProvider
) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.AUDITOR, name="Una Safe", email="una.safe@example.org")
    db.session.commit()
    sso.person("una-safe", email="una.safe@example.org", email_verified=True)

    for target in UNSAFE:
        sign_in_url = "/sign-in?" + urlencode({"next": target})
        assert button(client, sign_in_url) == "/sign-in/oidc", target

    for target in ("//evil.example/", "/\\evil.example", "/sign-in/oidc"):
        start = "/sign-in/oidc?" + urlencode({"next": target})
        response = signed_in_from(client, start, "una-safe")
        assert response.status_code == 302, target
        assert response.headers["Location"] == "/", target
        client.post("/sign-out")

    # The same way with a page of this site does take the person there.
    response = signed_in_from(client, "/sign-in/oidc?next=/account/sessions", "una-safe")
    assert response.headers["Location"] == "/account/sessions"


def test_next_page_is_never_taken_from_the_callback(
    client: FlaskClient, db, sso: TestProvider
) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.ADMIN, name="Cal Back", email="cal.back@example.org")
    db.session.commit()
    sso.person("cal-back", email="cal.back@example.org", email_verified=True)

    # Started asking for one page; the provider's answer names another.
    callback = callback_from(client, "/sign-in/oidc?next=/account/sessions", "cal-back")
    response = back_at(client, callback + "&next=/admin/users")
    assert response.headers["Location"] == "/account/sessions"
    client.post("/sign-out")

    # Started asking for none: the home page, whatever the callback's address says.
    callback = callback_from(client, "/sign-in/oidc", "cal-back")
    response = back_at(client, callback + "&next=/admin/users")
    assert response.headers["Location"] == "/"


def test_password_sign_in_refuses_the_sign_in_pages_as_next(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    """The check both ways of signing in share: landing on a sign-in page after signing in
    would only send the person round again."""
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    for target in ("/sign-in", "/sign-in/oidc", "/sign-in/oidc/callback?code=x&state=y"):
        response = client.post(
            "/sign-in",
            query_string={"next": target},
            data={"email": user.email, "password": factories.PASSWORD},
        )
        assert response.headers["Location"] == "/", target
        client.post("/sign-out")
