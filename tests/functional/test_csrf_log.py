"""A form refused by the anti-forgery check says why in the log. Behind a proxy on a port
other than 443 that passed Host without the port, every form failed with "Your form has
expired" and nothing in the log said why."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qa_audit import create_app
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db as _db

EXPIRED = "Your form has expired"


@pytest.fixture
def protected(app: Flask, db) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """The app as in production: CSRF protection on (the test config turns it off)."""
    config = TestConfig(database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    config.WTF_CSRF_ENABLED = True
    application = create_app(config)
    application.test_client_class = app.test_client_class
    yield application
    with application.app_context():
        _db.engine.dispose()


def refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.getMessage().startswith("Form refused (CSRF)")
    ]


def token_of(client: FlaskClient, path: str, **kwargs: object) -> str:
    page = client.get(path, **kwargs).get_data(as_text=True)  # type: ignore[arg-type]
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_a_missing_token_is_logged_with_the_reason(
    protected: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = protected.test_client().post("/sign-in", data={"email": "a@b.org"})
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    assert refusals(caplog) == ["Form refused (CSRF) on POST /sign-in: The CSRF token is missing."]


def test_a_proxy_dropping_the_port_is_logged_as_a_referrer_mismatch(
    protected: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """The browser is on https://localhost:8443; the proxy passed Host without the port."""
    client = protected.test_client()
    token = token_of(client, "/sign-in", base_url="https://localhost")
    caplog.set_level(logging.INFO)
    response = client.post(
        "/sign-in",
        base_url="https://localhost",
        data={"csrf_token": token, "email": "a@b.org", "password": "x"},
        headers={"Referer": "https://localhost:8443/sign-in"},
    )
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    assert refusals(caplog) == [
        "Form refused (CSRF) on POST /sign-in: The referrer does not match the host."
    ]
    # With the port passed on (nginx's Host $http_host), the same form goes through.
    response = client.post(
        "/sign-in",
        base_url="https://localhost:8443",
        data={"csrf_token": token, "email": "a@b.org", "password": "x"},
        headers={"Referer": "https://localhost:8443/sign-in"},
    )
    assert EXPIRED not in response.get_data(as_text=True)
    assert len(refusals(caplog)) == 1
