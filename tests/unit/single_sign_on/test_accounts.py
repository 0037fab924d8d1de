"""Which claims let someone in, on the provider's word alone (no provider needed here: the
claims are what a verified ID token carries)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.single_sign_on import accounts
from qa_audit.single_sign_on.models import ProviderLink
from qa_audit.single_sign_on.provider import SignInRefused
from tests import factories

ISSUER = "https://idp.example.gov.uk"


@pytest.fixture
def configured(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setitem(app.config, "OIDC_ISSUER", ISSUER)
    monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", "qa-audit")
    return app


@pytest.mark.parametrize(
    ("verified", "links"), [(True, True), ("true", True), ("false", False), (None, False)]
)
def test_email_verified_as_providers_write_it(configured: Flask, db, verified, links) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.VIEWER)
    claims = {"sub": "s-1", "email": user.email.upper(), "email_verified": verified}
    if links:
        assert accounts.account_for(claims) == user
        link = db.session.scalar(select(ProviderLink))
        assert (link.issuer, link.subject, link.user_id) == (ISSUER, "s-1", user.id)
    else:
        with pytest.raises(SignInRefused, match="e-mail address not verified"):
            accounts.account_for(claims)


def test_claim_names_come_from_the_settings(
    configured: Flask, db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Entra ID: the object id names the person for good, preferred_username is the address."""
    monkeypatch.setitem(configured.config, "OIDC_SUBJECT_CLAIM", "oid")
    monkeypatch.setitem(configured.config, "OIDC_EMAIL_CLAIM", "preferred_username")
    monkeypatch.setitem(configured.config, "OIDC_TRUST_EMAIL", True)
    user = factories.user(Role.AUDITOR)
    claims = {"sub": "pairwise", "oid": "object-id", "preferred_username": user.email}
    assert accounts.account_for(claims) == user
    assert db.session.scalar(select(ProviderLink.subject)) == "object-id"


def test_group_overage_is_named_in_the_refusal(
    configured: Flask, db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(configured.config, "OIDC_CREATE_ACCOUNTS", True)
    claims = {
        "sub": "many-groups",
        "email": "many.groups@example.org",
        "email_verified": True,
        "_claim_names": {"groups": "src1"},
    }
    with pytest.raises(SignInRefused, match="group overage"):
        accounts.account_for(claims)
