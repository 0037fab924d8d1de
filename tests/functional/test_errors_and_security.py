"""Styled error pages, security headers, CSRF and the inactivity timeout."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qa_audit import create_app
from qa_audit.auth.roles import Role
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db as _db


def assert_styled_error(html: str, heading: str) -> None:
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert "govuk-template__body" in html
    assert "govuk-footer" in html
    assert "Traceback" not in html
    assert "werkzeug" not in html.lower()


def test_unknown_route_is_a_styled_404(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert_styled_error(response.get_data(as_text=True), "Page not found")


def test_unknown_record_is_a_styled_404(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    for url in ("/admin/users/999999", "/admin/service-areas/999999", "/admin/teams/999999"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert_styled_error(response.get_data(as_text=True), "Page not found")


def test_wrong_role_is_a_styled_403(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.AUDITOR)
    response = client.get("/admin/users")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert_styled_error(html, "You do not have permission to see this page")
    assert "ask your QA lead or system administrator" in html


def test_wrong_method_is_a_styled_405(client: FlaskClient) -> None:
    response = client.get("/sign-out")
    assert response.status_code == 405
    assert_styled_error(response.get_data(as_text=True), "This action is not allowed here")


@pytest.mark.parametrize("path", ["/sign-in", "/no/such/page"])
def test_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    # The page's only inline script carries this response's nonce.
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce is not None
    html = response.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline
    assert all(f'nonce="{nonce.group(1)}"' in attrs for attrs in inline)


def test_every_response_has_a_new_nonce(client: FlaskClient) -> None:
    first = client.get("/sign-in").headers["Content-Security-Policy"]
    second = client.get("/sign-in").headers["Content-Security-Policy"]
    assert first != second


@pytest.fixture
def csrf_client(app: Flask) -> Iterator[FlaskClient]:
    """A client of an app built with CSRF protection on (the test config turns it off)."""
    config = TestConfig(database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    config.WTF_CSRF_ENABLED = True
    protected = create_app(config)
    assert protected.config["WTF_CSRF_ENABLED"] is True
    yield protected.test_client()
    with protected.app_context():
        _db.engine.dispose()


def test_csrf_post_without_token_is_refused(csrf_client: FlaskClient) -> None:
    for path, data in (("/sign-out", {}), ("/sign-in", {"email": "a@b.org", "password": "x"})):
        response = csrf_client.post(path, data=data)
        assert response.status_code == 400, path
        assert_styled_error(response.get_data(as_text=True), "Your form has expired")
    wrong = csrf_client.post("/sign-out", data={"csrf_token": "forged"})
    assert wrong.status_code == 400


def test_csrf_post_with_the_pages_token_is_accepted(csrf_client: FlaskClient) -> None:
    page = csrf_client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert token is not None
    response = csrf_client.post("/sign-out", data={"csrf_token": token.group(1)})
    assert response.status_code == 302


def test_idle_session_is_signed_out_with_a_message(
    app: Flask, login_as, client: FlaskClient
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.AUDITOR)
    assert client.get("/").status_code == 200
    idle = int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds())
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - idle - 5
    response = client.get("/admin/change-log")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out because you were inactive for more than 30 minutes" in page
    assert client.get("/").status_code == 302  # and it stays signed out


def test_active_session_is_kept(app: Flask, login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.AUDITOR)
    idle = int(app.config["SESSION_IDLE_TIMEOUT"].total_seconds())
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - idle + 60
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        assert int(time.time()) - session["last_seen"] < 5  # the clock was reset


def test_idle_timeout_follows_the_setting(
    app: Flask, login_as, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    login_as(Role.AUDITOR)
    monkeypatch.setitem(app.config, "SESSION_IDLE_TIMEOUT", timedelta(seconds=120))
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - 180
    response = client.get("/")
    assert response.status_code == 302
    assert "more than 2 minutes" in client.get("/sign-in").get_data(as_text=True)


def csrf_token(html: str) -> str:
    found = re.search(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"', html)
    assert found is not None, "no CSRF token in the page"
    return found.group(1)


def test_every_form_carries_a_working_csrf_token(
    app: Flask, client: FlaskClient, db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from tests import factories

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    admin = factories.user(Role.ADMIN)
    other = factories.user(Role.AUDITOR)
    db.session.commit()
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    data = {"email": admin.email, "password": factories.PASSWORD}
    assert client.post("/sign-in", data=data).status_code == 400  # no token
    assert client.post("/sign-in", data={**data, "csrf_token": token}).status_code == 302

    area = factories.service_area("fgc")
    page = client.get(f"/admin/service-areas/{area.id}").get_data(as_text=True)
    team = {"team-name": "Family Network Meetings", "team-submit": "Add team"}
    team["team-csrf_token"] = re.findall(r'name="team-csrf_token"[^>]*value="([^"]+)"', page)[0]
    assert client.post(f"/admin/service-areas/{area.id}", data=team).status_code == 302

    page = client.get(f"/admin/users/{other.id}").get_data(as_text=True)
    deactivate = {"active": "0", "csrf_token": csrf_token(page)}
    assert client.post(f"/admin/users/{other.id}/active", data=deactivate).status_code == 302
    db.session.refresh(other)
    assert not other.active

    sign_out = csrf_token(client.get("/").get_data(as_text=True))  # the header's form
    assert client.post("/sign-out", data={"csrf_token": sign_out}).status_code == 302
    assert client.get("/").status_code == 302


def test_an_unexpected_error_is_a_styled_500_and_nothing_is_saved(app: Flask) -> None:
    from sqlalchemy import select

    from qa_audit.organisation.models import ServiceArea
    from qa_audit.organisation.services import create_service_area

    config = TestConfig(database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    failing = create_app(config)
    failing.config["PROPAGATE_TEST_ERRORS"] = False

    @failing.route("/half-way")
    def half_way():  # type: ignore[no-untyped-def]
        create_service_area(None, "half_way", "Half Way")
        _db.session.flush()
        raise RuntimeError("broken half way")

    try:
        response = failing.test_client().get("/half-way")
        assert response.status_code == 500
        html = response.get_data(as_text=True)
        assert_styled_error(html, "Sorry, there is a problem with the service")
        assert "broken half way" not in html
        with failing.app_context():
            found = _db.session.scalar(select(ServiceArea).where(ServiceArea.key == "half_way"))
            assert found is None
    finally:
        with failing.app_context():
            _db.engine.dispose()


def test_api_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"] == "Not Found"


def test_signed_out_visitor_is_asked_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/admin/users", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.request.path == "/sign-in"
    assert "Sign in to see this page" in html
