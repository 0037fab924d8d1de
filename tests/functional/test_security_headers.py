"""Security headers on every page type (HTML pages, error pages, downloads, charts, JSON,
static files), no inline script or style in any page, and the session cookie's flags."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask, url_for
from werkzeug.test import TestResponse

from qa_audit import create_app
from qa_audit.auth.roles import Role
from qa_audit.core.config import Config, TestConfig
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories import access_log as factories_access


def assert_secure_headers(response: TestResponse, where: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, where
    assert "'unsafe-inline'" not in csp, where
    assert "'unsafe-eval'" not in csp, where
    assert "frame-ancestors 'none'" in csp, where
    assert "object-src 'none'" in csp, where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    if response.mimetype == "text/html":
        assert headers.get("Cache-Control") == "no-store", where
        html = response.get_data(as_text=True)
        nonce = re.search(r"'nonce-([^']+)'", csp)
        assert nonce is not None, where
        for attrs in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
            assert f'nonce="{nonce.group(1)}"' in attrs, f"{where}: inline script without nonce"
        assert not re.search(r"<[^>]+\sstyle=", html), f"{where}: a style= attribute"
        assert not re.search(r"<[^>]+\son[a-z]+=", html), f"{where}: an inline event handler"
        assert "javascript:" not in html, where


def test_every_page_type_has_the_security_headers(app: Flask, client, db) -> None:  # type: ignore[no-untyped-def]
    world = factories_access.world()
    lead = factories.user(Role.QA_LEAD, Role.MODERATOR, area_key=factories_access.AREA)
    db.session.commit()
    pages = 0
    # Signed out: the sign-in page, the open pages, a redirect, an unknown page.
    for url in ("/sign-in", "/accessibility", "/privacy", "/", "/no/such/page", "/healthz"):
        assert_secure_headers(client.get(url), url)
    assert_secure_headers(client.get("/sign-out"), "405")
    assert_secure_headers(client.get("/static/app.css"), "static file")
    assert (
        client.post(
            "/sign-in", data={"email": lead.email, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    headers = {"Authorization": f"Bearer {factories_access.bearer_token(lead)}"}
    kinds = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.endpoint in ("static", "govuk_assets"):
            continue
        args = {name: world.args[name] for name in rule.arguments}
        if rule.endpoint == "reports.domain_chart":
            args["key"] = "assessment"
        extra = factories_access.report_period() if "report" in rule.endpoint else {}
        with app.test_request_context():
            url = url_for(rule.endpoint, **args, **extra)
        response = client.get(url, headers=headers if url.startswith("/api/") else {})
        assert response.status_code < 500, url
        assert_secure_headers(response, url)
        kinds.add(response.mimetype)
        pages += 1
    for fmt in ("json", "xlsx", "docx"):
        response = client.get(f"/reports/download.{fmt}?from=2024-04&to=2024-04")
        assert response.status_code == 200, fmt
        assert_secure_headers(response, fmt)
        kinds.add(response.mimetype)
    assert_secure_headers(client.get("/admin/users"), "403 page")
    assert {"text/html", "text/csv", "application/json", "image/svg+xml"} <= kinds
    assert pages > 50


@pytest.fixture
def secure_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app with QA_AUDIT_SECURE_COOKIES on, as behind a TLS reverse proxy."""
    monkeypatch.setenv("QA_AUDIT_SECURE_COOKIES", "1")
    config = TestConfig(database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    config.SESSION_COOKIE_SECURE = Config().SESSION_COOKIE_SECURE
    application = create_app(config)
    application.test_client_class = app.test_client_class
    yield application
    with application.app_context():
        _db.engine.dispose()


def session_cookie(response: TestResponse) -> str:
    cookies = [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("qa_audit_session=")
    ]
    assert cookies, "no session cookie set"
    return cookies[-1]


def test_the_session_cookie_is_http_only_and_same_site(client, db) -> None:  # type: ignore[no-untyped-def]
    person = factories.user(Role.AUDITOR)
    db.session.commit()
    response = client.post("/sign-in", data={"email": person.email, "password": factories.PASSWORD})
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback: no TLS, so no Secure flag
    assert "Strict-Transport-Security" not in response.headers


def test_the_session_cookie_is_secure_behind_tls(secure_app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    assert Config().SESSION_COOKIE_SECURE is True
    person = factories.user(Role.AUDITOR)
    db.session.commit()
    client = secure_app.test_client()
    response = client.post(
        "/sign-in",
        data={"email": person.email, "password": factories.PASSWORD},
        base_url="https://localhost",
    )
    assert response.status_code == 302
    cookie = session_cookie(response)
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_turns_secure_cookies_on_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QA_AUDIT_SECURE_COOKIES", raising=False)
    monkeypatch.setenv("QA_AUDIT_ENV", "production")
    assert Config().SESSION_COOKIE_SECURE is True
    monkeypatch.setenv("QA_AUDIT_SECURE_COOKIES", "0")
    assert Config().SESSION_COOKIE_SECURE is False
