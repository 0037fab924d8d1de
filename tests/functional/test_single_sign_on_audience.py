"""The callback refuses an ID token for another audience: a real provider (node-oidc-provider,
started by tests/oidc_provider/other_audience.mjs) issuing qa-audit's sign-in a genuine, signed
token whose audience is the council's other service."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import tests.oidc_provider as harness
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.single_sign_on.models import ProviderLink
from tests import factories
from tests.oidc_provider.fixtures import APP, point_app_at, sign_in_through

OTHER_AUDIENCE = Path(harness.__file__).with_name("other_audience.mjs")


def test_a_token_for_another_audience_is_refused_at_the_callback(
    client: FlaskClient,
    db,
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(harness, "SCRIPT", OTHER_AUDIENCE)
    with harness.running_provider(tmp_path, APP) as misdirected:
        point_app_at(app, monkeypatch, misdirected.issuer)
        factories.user(Role.AUDITOR, email="aud.person@example.org")
        db.session.commit()
        misdirected.person("aud", email="aud.person@example.org", email_verified=True)
        response = sign_in_through(client, "aud")
    page = response.get_data(as_text=True)
    assert response.status_code == 403, page[:1000]
    assert "You cannot sign in with your council account" in page
    assert "Your sign-in could not be checked" in page
    assert client.get("/").status_code == 302  # not signed in
    assert db.session.scalars(select(ProviderLink)).all() == []
    [refusal] = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "single_sign_on.refused")
    ).all()
    reason = refusal.after["reason"]
    assert reason.startswith("ID token refused: InvalidClaimError"), reason
    assert "'aud'" in reason
    assert refusal.after["issuer"] == misdirected.issuer
