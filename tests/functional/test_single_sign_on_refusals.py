"""Answers from the identity provider that must not sign anyone in: each refused with a clear
page (never a 500), written to the change log, nobody signed in. The provider is real
(node-oidc-provider on loopback); wrong issuers, audiences and clocks are real providers or
real tokens configured so."""

from __future__ import annotations

import base64
import hashlib
import secrets
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.single_sign_on import provider as oidc
from qa_audit.single_sign_on.models import ProviderLink
from qa_audit.single_sign_on.provider import SignInRefused
from tests import factories
from tests.oidc_provider import (
    CLIENT_SECRET,
    OTHER_CLIENT_ID,
    TestProvider,
    running_provider,
    sign_in_at_provider,
)
from tests.oidc_provider.fixtures import (
    APP,
    CALLBACK,
    back_at,
    callback_url,
    point_app_at,
    provider,
    sign_in_through,
    sso,
)

__all__ = ["provider", "sso"]  # fixtures


def refusal_reasons(db) -> list[str]:  # type: ignore[no-untyped-def]
    query = select(ChangeLogEntry).where(ChangeLogEntry.action == "single_sign_on.refused")
    return [entry.after["reason"] for entry in db.session.scalars(query)]


def assert_refused(response, client: FlaskClient) -> str:  # type: ignore[no-untyped-def]
    page = response.get_data(as_text=True)
    assert response.status_code == 403, page[:1000]
    assert "You cannot sign in with your council account" in page
    assert client.get("/").status_code == 302  # not signed in
    return page


@pytest.fixture
def person(db, sso: TestProvider) -> str:  # type: ignore[no-untyped-def]
    factories.user(Role.AUDITOR, email="kit.known@example.org")
    db.session.commit()
    return sso.person("kit", email="kit.known@example.org", email_verified=True)


def test_an_unverified_email_address_links_nobody(
    client: FlaskClient, db, sso: TestProvider
) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.AUDITOR, email="unverified@example.org")
    db.session.commit()
    sso.person("unverified", email="unverified@example.org", email_verified=False)
    page = assert_refused(sign_in_through(client, "unverified"), client)
    assert "did not confirm your e-mail address" in page
    assert db.session.scalars(select(ProviderLink)).all() == []
    assert refusal_reasons(db) == ["e-mail address not verified"]


def test_trusting_the_email_claim_links_without_email_verified(
    client: FlaskClient, db, sso: TestProvider, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Microsoft Entra ID sends no email_verified claim at all."""
    monkeypatch.setitem(app.config, "OIDC_TRUST_EMAIL", True)
    factories.user(Role.AUDITOR, email="entra.person@example.org")
    db.session.commit()
    sso.person("entra", email="entra.person@example.org")
    assert sign_in_through(client, "entra").status_code == 302


def test_a_tampered_state_is_refused(client: FlaskClient, db, person: str) -> None:  # type: ignore[no-untyped-def]
    url = urlsplit(callback_url(client, person))
    query = parse_qs(url.query)
    query["state"] = [query["state"][0][:-2] + "xx"]
    tampered = urlunsplit(url._replace(query=urlencode(query, doseq=True)))
    assert_refused(back_at(client, tampered), client)
    assert refusal_reasons(db) == [
        "mismatching_state: CSRF Warning! State not equal in request and response."
    ]


def test_a_replayed_code_is_refused(client: FlaskClient, db, person: str) -> None:  # type: ignore[no-untyped-def]
    url = callback_url(client, person)
    cookie = client.get_cookie("qa_audit_session")
    assert cookie is not None
    before_callback = cookie.value
    assert back_at(client, url).status_code == 302
    client.post("/sign-out")
    # The same browser state and the same code again: the provider refuses the used code.
    client.set_cookie("qa_audit_session", before_callback, domain="localhost")
    assert_refused(back_at(client, url), client)
    assert refusal_reasons(db) == ["invalid_grant: grant request is invalid"]


def test_a_provider_calling_itself_another_issuer_is_refused(
    client: FlaskClient,
    db,
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    with running_provider(tmp_path, APP, issuer_path="/another-tenant") as elsewhere:
        address = elsewhere.issuer.removesuffix("/another-tenant")
        point_app_at(app, monkeypatch, address)
        assert_refused(client.get("/sign-in/oidc"), client)
    assert refusal_reasons(db) == [
        f"wrong issuer: the provider calls itself '{address}/another-tenant'"
    ]


def test_a_token_whose_clock_has_run_out_is_refused(
    client: FlaskClient,
    db,
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    # The provider's clock is an hour behind: its ten-minute ID tokens arrive expired.
    with running_provider(tmp_path, APP, clock_offset_seconds=-3600) as slow:
        point_app_at(app, monkeypatch, slow.issuer, OIDC_CLOCK_SKEW=120)
        factories.user(Role.AUDITOR, email="late@example.org")
        db.session.commit()
        slow.person("late", email="late@example.org", email_verified=True)
        assert_refused(sign_in_through(client, "late"), client)
    [reason] = refusal_reasons(db)
    assert reason.startswith("ID token refused: ExpiredTokenError")


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def test_a_token_issued_to_another_service_is_refused(app: Flask, db, sso: TestProvider) -> None:  # type: ignore[no-untyped-def]
    """The council's other service (another client at the same provider) signs someone in; its
    genuine, signed ID token is not for qa-audit (wrong audience)."""
    sso.person("other", email="other@example.org", email_verified=True)
    verifier, challenge = _pkce()
    nonce = secrets.token_urlsafe(16)
    browser = requests.Session()
    authorize = f"{sso.issuer}/auth?" + urlencode(
        {
            "client_id": OTHER_CLIENT_ID,
            "response_type": "code",
            "scope": "openid email",
            "redirect_uri": CALLBACK,
            "state": "s",
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    back = sign_in_at_provider(browser, authorize, "other", CALLBACK)
    code = parse_qs(urlsplit(back).query)["code"][0]
    token = requests.post(
        f"{sso.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
        auth=(OTHER_CLIENT_ID, CLIENT_SECRET),
        timeout=10,
    ).json()
    assert "id_token" in token, token
    with app.test_request_context(), pytest.raises(SignInRefused) as refused:
        oidc.checked_claims(token, nonce)
    # Not merely "azp missing": a token naming qa-audit as its authorized party would pass that.
    assert refused.value.reason.startswith("ID token refused: InvalidClaimError")
    assert "'aud'" in refused.value.reason
