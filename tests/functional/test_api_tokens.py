"""API tokens: each person's own (issue #13 findings 1 and 17), shown once, expiring,
revoked for good on deactivation, the access log naming the token that read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.api import tokens as api
from qa_audit.api.models import ApiToken
from qa_audit.auth.roles import Role
from qa_audit.auth.services import set_active
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.clock import utcnow
from qa_audit.core.extensions import db
from tests import factories

PERIOD = {"from": "2024-01", "to": "2024-01"}


def get(client, url: str, token: str, **args):  # type: ignore[no-untyped-def]
    return client.get(url, headers={"Authorization": f"Bearer {token}"}, query_string=args)


def issued_secret(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.get_data(as_text=True).split('id="token">')[1].split("<")[0])


def test_a_person_issues_their_own_token_shown_once_and_revokes_it(client, login_as, db) -> None:  # type: ignore[no-untyped-def]
    viewer = login_as(Role.VIEWER, name="Val Viewer")
    response = client.post("/admin/api-tokens", data={"name": "Dashboard"})
    assert response.status_code == 200
    secret = issued_secret(response)
    assert secret.startswith("qaa_")
    expires = (utcnow() + timedelta(days=90)).strftime("%-d %B %Y")
    assert f"It expires on {expires}" in response.get_data(as_text=True)
    listing = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "Val Viewer" in listing
    assert "Dashboard" in listing
    assert secret not in listing
    assert get(client, "/api/v1/reports/period", secret, **PERIOD).status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == viewer.id))
    assert client.post(f"/admin/api-tokens/{row.id}/revoke").status_code == 302
    assert get(client, "/api/v1/reports/period", secret, **PERIOD).status_code == 401
    actions = db.session.scalars(
        select(ChangeLogEntry.action).where(
            ChangeLogEntry.entity_type == "api_token", ChangeLogEntry.actor_id == viewer.id
        )
    ).all()
    assert sorted(actions) == ["api_token.issued", "api_token.revoked"]
    bad = client.post("/admin/api-tokens", data={"name": ""})
    assert bad.status_code == 400
    assert "Enter what the token is for" in bad.get_data(as_text=True)


def test_an_admin_cannot_issue_a_token_in_another_persons_name(client, login_as, db) -> None:  # type: ignore[no-untyped-def]
    """Finding 1(a): POST /admin/api-tokens with the QA lead's user_id gave the admin a token
    reading every audit as the QA lead."""
    admin = login_as(Role.ADMIN)
    lead = factories.user(Role.QA_LEAD)
    factories.audit(reference="TOK-1")
    db.session.commit()
    response = client.post("/admin/api-tokens", data={"user_id": lead.id, "name": "Takeover"})
    assert response.status_code == 200
    secret = issued_secret(response)
    assert db.session.scalar(select(ApiToken).where(ApiToken.user_id == lead.id)) is None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == api.token_hash(secret)))
    assert row.user_id == admin.id
    assert get(client, "/api/v1/audits", secret).status_code == 403


def test_an_admin_sees_and_revokes_anyones_token_others_only_their_own(
    app, client, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD, name="Lee Lead")
    token, secret = api.issue_token(lead, "Lead's dashboard")
    db.session.commit()
    auditor = app.test_client()
    other = factories.user(Role.AUDITOR)
    db.session.commit()
    auditor.post("/sign-in", data={"email": other.email, "password": factories.PASSWORD})
    assert "Lead&#39;s dashboard" not in auditor.get("/admin/api-tokens").get_data(as_text=True)
    assert auditor.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 404
    db.session.refresh(token)
    assert not token.revoked
    login_as(Role.ADMIN)
    assert "Lead&#39;s dashboard" in client.get("/admin/api-tokens").get_data(as_text=True)
    assert client.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 302
    db.session.refresh(token)
    assert token.revoked
    assert get(client, "/api/v1/audits", secret).status_code == 401


def test_every_api_access_log_row_names_the_token(client, db) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD)
    factories.audit(reference="TOK-2")
    first, first_secret = api.issue_token(lead, "Power BI")
    second, second_secret = api.issue_token(lead, "Excel")
    db.session.commit()
    assert get(client, "/api/v1/audits", first_secret).status_code == 200
    assert get(client, "/api/v1/audits/TOK-2", second_secret).status_code == 200
    assert get(client, "/api/v1/dip-samples", second_secret).status_code == 200
    rows = db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.user_id == lead.id).order_by(AccessLogEntry.id)
    ).all()
    assert rows
    assert rows[0].detail["api_token_id"] == first.id
    assert all(r.detail["api_token_id"] == second.id for r in rows[1:])


def test_a_token_expires_after_the_configured_days(app, client, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD)
    row, secret = api.issue_token(lead, "Dashboard")
    assert row.expires_at is not None
    assert timedelta(days=89) < row.expires_at - utcnow() <= timedelta(days=90)
    monkeypatch.setitem(app.config, "API_TOKEN_DAYS", 7)
    short, _ = api.issue_token(lead, "Short")
    assert short.expires_at - utcnow() <= timedelta(days=7)
    db.session.commit()
    assert get(client, "/api/v1/audits", secret).status_code == 200
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = get(client, "/api/v1/audits", secret)
    assert response.status_code == 401
    assert "expired" in response.json["message"]


def test_an_older_token_without_an_expiry_expires_from_its_issue(client, db) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD)
    row, secret = api.issue_token(lead, "Before expiry existed")
    row.expires_at = None
    row.created_at = utcnow() - timedelta(days=91)
    db.session.commit()
    assert get(client, "/api/v1/audits", secret).status_code == 401


def test_deactivation_revokes_tokens_for_good(client, db) -> None:  # type: ignore[no-untyped-def]
    """Finding 17: a deactivated person's token worked again once they were re-activated."""
    admin = factories.user(Role.ADMIN)
    lead = factories.user(Role.QA_LEAD)
    row, secret = api.issue_token(lead, "Dashboard")
    db.session.commit()
    set_active(admin, lead, False)
    db.session.commit()
    assert row.revoked
    assert row.revoked_by_id == admin.id
    set_active(admin, lead, True)
    db.session.commit()
    assert get(client, "/api/v1/audits", secret).status_code == 401


def test_the_tokens_page_shows_last_use_and_expiry(client, login_as, db) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.QA_LEAD)
    row, secret = api.issue_token(lead, "Dashboard")
    db.session.commit()
    page = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "Never" in page
    assert row.expires_at.strftime("%-d %B %Y") in page
    assert get(client, "/api/v1/audits", secret).status_code == 200
    db.session.refresh(row)
    assert row.last_used_at is not None
    page = client.get("/admin/api-tokens").get_data(as_text=True)
    assert row.last_used_at.strftime("%-d %B %Y %H:%M") in page


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.VIEWER])
def test_every_role_issues_itself_a_token(client, login_as, role: Role) -> None:  # type: ignore[no-untyped-def]
    person = login_as(role)
    response = client.post("/admin/api-tokens", data={"name": "Mine"})
    assert response.status_code == 200
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == api.token_hash(issued_secret(response)))
    )
    assert row.user_id == person.id
