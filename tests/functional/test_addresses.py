"""Where the service says it is, and who it believes a client is: e-mail links on the
configured base URL whatever Host a request sends, only trusted hosts answered, and the
client's address as our own proxies report it (issue 13, findings 10 and 11)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit import create_app
from qa_audit.access_log.models import AccessLogEntry
from qa_audit.auth.roles import Role
from qa_audit.core import notifications
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db as _db
from tests import factories

FORGED = ", ".join(f"198.51.100.{n % 250}" for n in range(60))  # far beyond 200 characters


def last_entry() -> AccessLogEntry:
    _db.session.expire_all()
    return _db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id.desc())).first()  # type: ignore[return-value]


def second_app(app: Flask, **settings: object) -> Flask:
    """Another app on the suite's database with some settings changed."""
    config = TestConfig(database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    for name, value in settings.items():
        setattr(config, name, value)
    other = create_app(config)
    other.test_client_class = app.test_client_class
    return other


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[list[str], str, str]]]:
    sent: list[tuple[list[str], str, str]] = []

    def keep(to: list[str], subject: str, body: str) -> bool:
        sent.append((list(to), subject, body))
        return True

    monkeypatch.setattr(notifications, "send_email", keep)
    return sent


def test_email_links_use_the_base_url_not_the_host_header(
    app: Flask, client: FlaskClient, login_as, db, outbox, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "BASE_URL", "https://qa-audit.example.gov.uk/qa")
    client.environ_base["HTTP_HOST"] = "attacker-host"  # every request, signing in too
    me = login_as(Role.AUDITOR, area_key="locality")
    factories.user(Role.SERVICE_MANAGER, email="sam@example.org", area_key="locality")
    audit = factories.audit(auditor=me, area_key="locality")
    db.session.commit()
    response = client.post(
        f"/audits/{audit.id}/safeguarding",
        data={"concern-description": "Bruising seen on the home visit was not followed up"},
    )
    assert response.status_code == 302
    (mail,) = [m for m in outbox if m[0] == ["sam@example.org"]]
    body = mail[2]
    assert f"https://qa-audit.example.gov.uk/qa/audits/{audit.id}" in body
    assert "attacker-host" not in body


def test_only_trusted_hosts_are_answered(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    trusting = second_app(app, TRUSTED_HOSTS=["qa-audit.example.gov.uk"])
    client = trusting.test_client()
    assert client.get("/healthz", headers={"Host": "qa-audit.example.gov.uk"}).status_code == 200
    refused = client.get("/sign-in", headers={"Host": "attacker-host"})
    assert refused.status_code == 400


def test_a_forged_forwarded_for_changes_nothing_without_proxies(
    client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    audit = factories.audit()
    db.session.commit()
    header = f"{FORGED}, 203.0.113.9"
    assert client.get(f"/audits/{audit.id}", headers={"X-Forwarded-For": header}).status_code == 200
    row = last_entry()
    assert row.ip_address == "127.0.0.1"  # the peer: no proxy is trusted by default
    # The claim is kept from its right end, where proxies append: never cut off there.
    assert row.forwarded_for is not None
    assert row.forwarded_for.endswith("203.0.113.9")


def test_the_client_address_is_resolved_through_the_configured_proxies(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    behind_proxy = second_app(app, PROXY_HOPS=1)
    lead = factories.user(Role.QA_LEAD)
    audit = factories.audit()
    db.session.commit()
    client = behind_proxy.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    client.post(
        "/sign-in",
        data={"email": lead.email, "password": factories.PASSWORD},
        environ_base=proxy,
    )
    response = client.get(
        f"/audits/{audit.id}",
        headers={"X-Forwarded-For": f"{FORGED}, 203.0.113.9"},
        environ_base=proxy,
    )
    assert response.status_code == 200
    row = last_entry()
    # The client our one proxy saw, not the proxy, and none of what the client made up.
    assert row.ip_address == "203.0.113.9"
