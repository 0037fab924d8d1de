"""The read-only API: bearer tokens, role rules, JSON errors, and the OpenAPI document."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa_audit.api import tokens as api
from qa_audit.api.models import ApiToken
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db
from tests import factories
from tests.factories import reports as make


@pytest.fixture
def data(db):  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR)
    first = factories.audit(
        auditor=auditor,
        overall="good",
        reference="API-1",
        case_ref="LCS100001",
        submitted_on=date(2024, 3, 5),
    )
    make.moderation(first, "requires_improvement", grades={"assessment": "inadequate"})
    make.feedback(first, "father", "constructive", "Nobody asked me", consent=True)
    make.action(first, date(2024, 4, 1))
    factories.audit(
        auditor=auditor,
        overall="requires_improvement",
        reference="API-2",
        submitted_on=date(2024, 4, 5),
    )
    factories.audit(
        auditor=auditor,
        overall="good",
        reference="API-3",
        area_key="fostering",
        submitted_on=date(2024, 4, 6),
    )
    factories.audit(auditor=auditor, overall=None, reference="API-DRAFT", status="draft")
    db.session.commit()
    return {"auditor": auditor}


def token_for(*roles: Role, **kwargs: object) -> str:
    user = factories.user(*roles, **kwargs)  # type: ignore[arg-type]
    _, secret = api.issue_token(user, "Power BI")
    db.session.commit()
    return secret


def get(client, url: str, token: str | None = None, **args):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, headers=headers, query_string=args)


def test_no_token_is_401_json(client, db) -> None:  # type: ignore[no-untyped-def]
    for url in (
        "/api/v1/reports/period",
        "/api/v1/audits",
        "/api/v1/audits/X",
        "/api/v1/dip-samples",
    ):
        response = get(client, url)
        assert response.status_code == 401, url
        assert response.json["error"] == "unauthorized"
        assert response.json["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/audits", headers={"Authorization": "Basic abc"}).status_code == 401
    assert get(client, "/api/v1/audits", "qaa_not-a-real-token").status_code == 401


def test_revoked_token_is_401(client, data) -> None:  # type: ignore[no-untyped-def]
    secret = token_for(Role.QA_LEAD)
    assert get(client, "/api/v1/audits", secret).status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == api.token_hash(secret)))
    assert row.last_used_at is not None
    api.revoke_token(factories.user(Role.ADMIN), row)
    db.session.commit()
    response = get(client, "/api/v1/audits", secret)
    assert response.status_code == 401
    assert "revoked" in response.json["message"]


def test_deactivated_user_token_is_401(client, data) -> None:  # type: ignore[no-untyped-def]
    secret = token_for(Role.QA_LEAD)
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == api.token_hash(secret)))
    row.user.active = False
    db.session.commit()
    assert get(client, "/api/v1/audits", secret).status_code == 401


def test_only_the_hash_is_stored(db) -> None:  # type: ignore[no-untyped-def]
    secret = token_for(Role.VIEWER)
    rows = db.session.scalars(select(ApiToken)).all()
    assert secret.startswith("qaa_")
    assert len(secret) > 40
    assert all(secret not in (r.token_hash, r.prefix) for r in rows)
    assert any(r.token_hash == api.token_hash(secret) for r in rows)


def test_period_report_is_the_report_json(client, app, monkeypatch, data) -> None:  # type: ignore[no-untyped-def]
    # These few audits are enough for a viewer here; suppression has its own tests
    # (test_report_suppression.py).
    monkeypatch.setitem(app.config, "REPORT_SUPPRESS_BELOW", 1)
    secret = token_for(Role.VIEWER)
    response = get(client, "/api/v1/reports/period", secret, **{"from": "2024-03", "to": "2024-04"})
    assert response.status_code == 200
    body = response.json
    assert body["period"] == {"from": "2024-03", "to": "2024-04"}
    assert body["audits_completed"] == 3
    assert body["overall"]["final"] == {
        "outstanding": 0,
        "good": 1,
        "requires_improvement": 2,
        "inadequate": 0,
    }
    assert body["overall"]["final_percent"]["good"] == 33.3
    assert body["moderation"]["downgraded"] == 1
    assert body["feedback"]["quotes"] == []
    assert "Nobody asked me" not in response.get_data(as_text=True)
    area = get(
        client,
        "/api/v1/reports/period",
        secret,
        **{"from": "2024-03", "to": "2024-04", "service_area": "fostering"},
    )
    assert area.json["audits_completed"] == 1
    assert area.json["filters"] == {"service_area": "fostering"}
    entry = db.session.scalars(
        select(ChangeLogEntry)
        .where(ChangeLogEntry.action == "period_report.exported")
        .order_by(ChangeLogEntry.id)
    ).all()[-1]
    assert entry.after["filters"]["via"] == "api"


@pytest.mark.parametrize(
    ("args", "parameter"),
    [
        ({"from": "2024-3", "to": "2024-04"}, "from"),
        ({"from": "2024-04", "to": "2024-03"}, "to"),
        ({"to": "2024-03"}, "from"),
        ({"from": "2024-03", "to": "2024-04", "service_area": "x"}, "service_area"),
        # Found by schemathesis: NUL would be dropped, turning a wrong type into "any type".
        ({"from": "2024-03", "to": "2024-04", "audit_type": "\x00"}, "audit_type"),
        ({"from": "2024-03", "to": "2024-04", "audit_type": "deep_dive\x00"}, "audit_type"),
        # Any other control character likewise (status=%14%01 became "any status").
        ({"from": "2024-03", "to": "2024-04", "audit_type": "\x14\x01"}, "audit_type"),
    ],
)
def test_bad_period_is_400_json(client, db, args, parameter) -> None:  # type: ignore[no-untyped-def]
    response = get(client, "/api/v1/reports/period", token_for(Role.QA_LEAD), **args)
    assert response.status_code == 400
    assert response.json["error"] == "bad_request"
    assert response.json["parameter"] == parameter


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ADMIN])
def test_case_level_is_not_for_viewers_or_admins(client, data, role) -> None:  # type: ignore[no-untyped-def]
    secret = token_for(role)
    for url in ("/api/v1/audits", "/api/v1/audits/API-1"):
        response = get(client, url, secret)
        assert response.status_code == 403, url
        assert response.json["error"] == "forbidden"


def test_admin_token_gets_no_report(client, data) -> None:  # type: ignore[no-untyped-def]
    response = get(
        client,
        "/api/v1/reports/period",
        token_for(Role.ADMIN),
        **{"from": "2024-03", "to": "2024-04"},
    )
    assert response.status_code == 403


def test_audits_list_with_filters_and_paging(client, data) -> None:  # type: ignore[no-untyped-def]
    secret = token_for(Role.QA_LEAD)
    body = get(client, "/api/v1/audits", secret).json
    assert body["total"] == 3
    assert [a["reference"] for a in body["items"]] == [
        "API-3",
        "API-2",
        "API-1",
    ]
    first = body["items"][2]
    assert first["case_ref"] == "LCS100001"
    assert first["overall_grade"] == "good"
    assert first["final_overall_grade"] == "requires_improvement"
    assert first["moderation_outcome"] == "downgraded"
    page = get(client, "/api/v1/audits", secret, per_page=2, page=2).json
    assert (page["total"], page["pages"], page["page"]) == (3, 2, 2)
    assert [a["reference"] for a in page["items"]] == ["API-1"]
    assert get(client, "/api/v1/audits", secret, service_area="fostering").json["total"] == 1
    assert get(client, "/api/v1/audits", secret, **{"from": "2024-04"}).json["total"] == 2
    assert get(client, "/api/v1/audits", secret, per_page=0).status_code == 400
    # An empty number is a mistake too: the OpenAPI document types it as an integer.
    assert get(client, "/api/v1/audits", secret, per_page="").status_code == 400
    assert get(client, "/api/v1/audits", secret, page="").status_code == 400
    assert get(client, "/api/v1/audits", secret, status="draft").status_code == 400


def test_service_manager_sees_own_area_audits(client, data) -> None:  # type: ignore[no-untyped-def]
    secret = token_for(Role.SERVICE_MANAGER, area_key="fostering")
    body = get(client, "/api/v1/audits", secret).json
    assert [a["reference"] for a in body["items"]] == ["API-3"]
    assert get(client, "/api/v1/audits/API-1", secret).status_code == 403
    report = get(
        client, "/api/v1/reports/period", secret, **{"from": "2024-03", "to": "2024-04"}
    ).json
    assert report["audits_completed"] == 1  # forced to their area


def test_one_audit(client, data) -> None:  # type: ignore[no-untyped-def]
    secret = token_for(Role.MODERATOR)
    response = get(client, "/api/v1/audits/API-1", secret)
    assert response.status_code == 200
    body = response.json
    assessment = next(d for d in body["domains"] if d["key"] == "assessment")
    assert (assessment["grade"], assessment["moderated_grade"], assessment["final_grade"]) == (
        "good",
        "inadequate",
        "inadequate",
    )
    assert body["moderation"]["outcome"] == "downgraded"
    assert body["feedback"][0]["who"] == "father"
    assert body["actions"][0]["due_on"] == "2024-04-01"
    assert get(client, "/api/v1/audits/NOPE", secret).status_code == 404
    assert get(client, "/api/v1/audits/API-DRAFT", secret).status_code == 404
    entry = db.session.scalars(
        select(ChangeLogEntry)
        .where(ChangeLogEntry.action == "audit.exported")
        .order_by(ChangeLogEntry.id)
    ).all()[-1]
    assert entry.after["filters"] == {"via": "api", "reference": "API-1"}


def test_auditor_sees_own_audits(client, data) -> None:  # type: ignore[no-untyped-def]
    _, secret = api.issue_token(data["auditor"], "Mine")
    other = token_for(Role.AUDITOR)
    db.session.commit()
    assert get(client, "/api/v1/audits", secret).json["total"] == 3
    assert get(client, "/api/v1/audits", other).json["total"] == 0
    assert get(client, "/api/v1/audits/API-1", other).status_code == 403


def test_dip_samples(client, db) -> None:  # type: ignore[no-untyped-def]
    response = get(client, "/api/v1/dip-samples", token_for(Role.VIEWER))
    assert response.status_code == 200
    body = response.json
    assert body["items"] == [] or all("case_ref" not in str(i) for i in body["items"])
    assert body["available"] in (True, False)
    if not body["available"]:
        assert "not available yet" in body["note"]


def test_openapi_document_validates_and_describes_every_endpoint(client, app) -> None:  # type: ignore[no-untyped-def]
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A per-user API token, issued by its holder; it expires",
    }
    api_rules = {
        r.rule.removeprefix("/api/v1").replace("<reference>", "{reference}")
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1")
    }
    assert api_rules == set(document["paths"])


def test_answers_set_no_cookie(client, data) -> None:  # type: ignore[no-untyped-def]
    """The API is bearer-token only: a session cookie would be one more credential for a
    Power BI or Excel client to keep, for nothing."""
    token = token_for(Role.QA_LEAD)
    answers = [
        get(client, "/api/v1/audits", token),
        get(client, "/api/v1/audits/API-1", token),
        get(client, "/api/v1/audits"),  # refused: 401
        get(client, "/api/v1/openapi.json"),
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 401, 200]
    assert [answer.headers.get("Set-Cookie") for answer in answers] == [None] * 4


def test_a_signed_in_browsers_cookie_is_not_refreshed_by_the_api(login_as, client, data) -> None:  # type: ignore[no-untyped-def]
    """Flask re-sends a permanent session's cookie with every answer; the API's must not."""
    login_as(Role.QA_LEAD)
    assert client.get("/").status_code == 200  # a page seen: the session is now permanent
    token = token_for(Role.QA_LEAD)
    answer = get(client, "/api/v1/audits", token)
    assert answer.status_code == 200
    assert answer.headers.get("Set-Cookie") is None
    assert "Set-Cookie" in client.get("/").headers  # the pages still keep it fresh
