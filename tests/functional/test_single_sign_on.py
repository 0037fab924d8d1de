"""Signing in through the council's identity provider (a real OpenID Provider on loopback):
linking by verified e-mail, accounts from group claims, deactivated accounts, signing out at
the provider, the provider down."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import set_active
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.single_sign_on.models import GroupRole, ProviderLink
from tests import factories
from tests.oidc_provider import TestProvider, free_port
from tests.oidc_provider.fixtures import point_app_at, provider, sign_in_through, sso

__all__ = ["provider", "sso"]  # fixtures


def actions(db, entity_type: str) -> list[str]:  # type: ignore[no-untyped-def]
    query = select(ChangeLogEntry.action).where(ChangeLogEntry.entity_type == entity_type)
    return list(db.session.scalars(query.order_by(ChangeLogEntry.id)))


def test_sign_in_page_offers_the_council_account_only_when_configured(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Sign in with your council account" not in client.get("/sign-in").get_data(True)
    assert client.get("/sign-in/oidc").status_code == 404
    assert client.get("/sign-in/oidc/callback?code=x&state=y").status_code == 404
    point_app_at(app, monkeypatch, "http://127.0.0.1:9")
    page = client.get("/sign-in").get_data(as_text=True)
    assert page.index("Sign in with your council account") < page.index('name="password"')


def test_first_sign_in_links_by_verified_email_then_by_subject(
    client: FlaskClient, db, sso: TestProvider
) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR, name="Sam Linked", email="sam.linked@example.org")
    db.session.commit()
    sso.person("sam-subject", email="Sam.Linked@example.org", email_verified=True)

    response = sign_in_through(client, "sam-subject")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    assert response.headers["Location"] == "/"
    assert "Signed in as Sam Linked" in client.get("/").get_data(as_text=True)
    link = db.session.scalar(select(ProviderLink).where(ProviderLink.user_id == user.id))
    assert (link.issuer, link.subject) == (sso.issuer, "sam-subject")
    assert actions(db, "single_sign_on_link") == ["single_sign_on.linked"]
    assert "single_sign_on.signed_in" in actions(db, "user_account")

    # The address changes at the provider: the subject still names the same account.
    client.post("/sign-out")
    sso.person("sam-subject", email="sam.new-name@example.org", email_verified=False)
    response = sign_in_through(client, "sam-subject")
    assert response.status_code == 302
    assert "Signed in as Sam Linked" in client.get("/").get_data(as_text=True)


def test_no_account_and_no_creation_is_refused(client: FlaskClient, db, sso: TestProvider) -> None:  # type: ignore[no-untyped-def]
    sso.person("stranger", email="stranger@example.org", email_verified=True, groups=["g-1"])
    response = sign_in_through(client, "stranger")
    assert response.status_code == 403
    assert "Ask your system administrator to give you one" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in
    assert db.session.scalar(select(User).where(User.email == "stranger@example.org")) is None
    assert actions(db, "single_sign_on_link") == ["single_sign_on.refused"]


def test_groups_mapped_to_a_role_create_the_account(
    client: FlaskClient, db, sso: TestProvider, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "OIDC_CREATE_ACCOUNTS", True)
    area = factories.service_area()
    db.session.add(GroupRole(group_id="grp-qa-leads", role=Role.QA_LEAD.value))
    db.session.add(
        GroupRole(group_id="grp-locality", role=Role.AUDITOR.value, service_area_id=area.id)
    )
    db.session.commit()
    sso.person(
        "new-person",
        email="new.person@example.org",
        email_verified=True,
        name="New Person",
        groups=["grp-qa-leads", "grp-locality", "grp-unmapped"],
    )
    response = sign_in_through(client, "new-person")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.name == "New Person"
    assert user.roles == {Role.QA_LEAD, Role.AUDITOR}
    assert user.service_area_id == area.id
    assert user.password_hash is None
    assert "Signed in as New Person" in client.get("/").get_data(as_text=True)

    sso.person("unmapped", email="unmapped@example.org", email_verified=True, groups=["x"])
    client.post("/sign-out")
    assert sign_in_through(client, "unmapped").status_code == 403


def test_a_deactivated_account_is_refused_whatever_the_provider_says(
    client: FlaskClient, db, sso: TestProvider
) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.AUDITOR, email="leaver@example.org")
    db.session.commit()
    sso.person("leaver", email="leaver@example.org", email_verified=True)
    assert sign_in_through(client, "leaver").status_code == 302  # linked
    client.post("/sign-out")
    set_active(admin, user, False)
    db.session.commit()

    response = sign_in_through(client, "leaver")
    assert response.status_code == 403
    assert "has been deactivated" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    refusals = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "single_sign_on.refused")
    ).all()
    assert [(r.entity_id, r.after["reason"]) for r in refusals] == [
        (str(user.id), "account deactivated")
    ]


def test_signing_out_continues_to_the_providers_end_session(
    client: FlaskClient, db, sso: TestProvider, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "OIDC_SIGN_OUT_AT_PROVIDER", True)
    factories.user(Role.VIEWER, email="viewer.out@example.org")
    db.session.commit()
    sso.person("viewer-out", email="viewer.out@example.org", email_verified=True)
    assert sign_in_through(client, "viewer-out").status_code == 302

    response = client.post("/sign-out")
    # A page of ours, not a redirect to the provider: the pages' CSP (form-action 'self') would
    # stop the sign-out form's redirect to another site.
    assert response.headers["Location"] == "/sign-out/council-account"
    assert client.get("/").status_code == 302  # signed out here already
    page = client.get("/sign-out/council-account")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "You have signed out" in html
    found = re.search(r'href="([^"]*/session/end[^"]*)"', html)
    assert found
    onward = urlsplit(unescape(found.group(1)))
    assert f"{onward.scheme}://{onward.netloc}{onward.path}" == f"{sso.issuer}/session/end"
    query = parse_qs(onward.query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/sign-in"]
    assert query["id_token_hint"][0].count(".") == 2
    # Offered once: the page is not there to be found again later.
    assert client.get("/sign-out/council-account").headers["Location"] == "/sign-in"


def test_provider_down_says_so_and_password_sign_in_still_works(
    client: FlaskClient, db, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN, email="break.glass@example.org")
    db.session.commit()
    # Nothing listens on this port.
    point_app_at(app, monkeypatch, f"http://127.0.0.1:{free_port()}", OIDC_TIMEOUT=2)
    monkeypatch.setitem(app.config, "PASSWORD_SIGN_IN", "break-glass-only")
    monkeypatch.setitem(app.config, "BREAK_GLASS_ADMINS", [admin.email])

    response = client.get("/sign-in/oidc")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Sign in with your council account is not available at the moment" in page
    assert 'href="/sign-in"' in page
    signed_in = client.post("/sign-in", data={"email": admin.email, "password": factories.PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/").status_code == 200
