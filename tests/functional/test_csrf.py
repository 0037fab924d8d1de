"""CSRF on every state-changing request: the app built with WTF_CSRF_ENABLED=True; every rule
accepting POST, PUT, PATCH or DELETE is sent a plausible form without a token (and with a
forged one): 400, the "form has expired" page, and not one row of the database changed.
/api/v1 is exempt: read-only (GET only, checked here) and bearer-token based."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit import create_app
from qa_audit.access_log.models import AccessLogEntry
from qa_audit.auth.roles import Role
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories import access_log as factories_access

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# What a form might carry: enough that a request which got through would change something.
FORM = {
    "name": "Changed by a forged request",
    "text": "A forged checklist question?",
    "description": "A forged action",
    "reason": "A forged reason",
    "comment": "A forged comment",
    "response": "A forged response",
    "note": "Done, says the forger",
    "active": "0",
    "op": "save",
    "email": "forged@example.org",
    "password": "forged password 123",
}
EXPIRED = "Your form has expired"


@pytest.fixture
def protected(app: Flask, db) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """The app as in production: CSRF protection on (the test config turns it off)."""
    config = TestConfig(database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    config.WTF_CSRF_ENABLED = True
    application = create_app(config)
    application.test_client_class = app.test_client_class
    assert application.config["WTF_CSRF_ENABLED"] is True
    yield application
    with application.app_context():
        _db.engine.dispose()


def token_in(html: str) -> str:
    found = re.search(r'name="(?:[a-z]+-)?csrf_token"[^>]*value="([^"]+)"', html)
    assert found is not None, "no CSRF token in the page"
    return found.group(1)


def signed_in(application: Flask, email: str) -> tuple[FlaskClient, str]:
    """A client signed in (through the real form, with its token); the session's token."""
    client = application.test_client()
    token = token_in(client.get("/sign-in").get_data(as_text=True))
    response = client.post(
        "/sign-in", data={"email": email, "password": factories.PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client, token_in(client.get("/account/password").get_data(as_text=True))


def fingerprint() -> dict[str, str]:
    """A digest of every row of every table (the access log aside: it records reads)."""
    digests = {}
    for table in _db.metadata.sorted_tables:
        if table.name == AccessLogEntry.__tablename__:
            continue
        rows = _db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def writes(application: Flask, world: factories_access.World) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every state-changing rule outside the API and SCIM (which
    take a bearer token, never a cookie: tests/functional/test_scim.py)."""
    found = []
    for rule in sorted(application.url_map.iter_rules(), key=lambda r: r.rule):
        methods = (rule.methods or set()) & WRITES
        if not methods or rule.rule.startswith(("/api/", "/scim/")):
            continue
        args = {name: world.args[name] for name in rule.arguments}
        with application.test_request_context():
            url = url_for(rule.endpoint, **args)
        found += [(rule.endpoint, method, url) for method in sorted(methods)]
    return found


def test_the_api_is_read_only(protected: Flask) -> None:
    api = [r for r in protected.url_map.iter_rules() if r.rule.startswith("/api/")]
    assert api
    assert all(not ((r.methods or set()) & WRITES) for r in api)
    response = protected.test_client().post("/api/v1/audits", data=FORM)
    assert response.status_code == 405
    assert response.is_json


def test_every_state_changing_request_needs_the_token(protected: Flask, db) -> None:  # type: ignore[no-untyped-def]
    world = factories_access.world()
    everyone = factories.user(*Role, area_key=factories_access.AREA)  # every role at once
    db.session.commit()
    client, token = signed_in(protected, everyone.email)
    owner, owner_token = signed_in(protected, world.owner.email)
    requests = writes(protected, world)
    assert len(requests) >= 40  # every form of the app, not a handful

    before = fingerprint()
    refused = []
    for endpoint, method, url in requests:
        for who in (client, owner):
            for forged in ({}, {"csrf_token": "forged"}, {"csrf_token": token + "x"}):
                response = who.open(url, method=method, data={**FORM, **forged})
                page = response.get_data(as_text=True)
                if response.status_code != 400 or EXPIRED not in page:
                    refused.append(f"{method} {url} ({endpoint}) {forged}: {response.status_code}")
    assert not refused, "\n".join(refused)
    db.session.expire_all()
    assert fingerprint() == before, "a request without a valid CSRF token changed the database"
    assert client.get("/").status_code == 200  # a forged sign-out did not sign anyone out

    # The same requests with the session's token get past the check to the view.
    for endpoint, method, url in requests:
        if endpoint in ("auth.sign_out", "auth.sign_out_everywhere"):
            continue
        who, good = (owner, owner_token) if endpoint.startswith("audits.") else (client, token)
        response = who.open(url, method=method, data={"csrf_token": good})
        assert EXPIRED not in response.get_data(as_text=True), f"{method} {url}"
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302  # signed out for real
    everywhere = owner.post(
        "/account/sessions/sign-out-everywhere", data={"csrf_token": owner_token}
    )
    assert everywhere.status_code == 302
    assert owner.get("/").status_code == 302


def test_a_token_from_another_session_is_refused(protected: Flask, db) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD)
    other = factories.user(Role.QA_LEAD)
    db.session.commit()
    client, _ = signed_in(protected, lead.email)
    _, stolen = signed_in(protected, other.email)
    response = client.post("/learning-themes", data={"name": "Stolen token", "csrf_token": stolen})
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
