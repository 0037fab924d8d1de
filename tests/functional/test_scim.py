"""SCIM 2.0 provisioning (RFC 7644) at /scim/v2, played from the identity provider's side:
the requests are those Microsoft Entra ID's provisioning service sends (its documented
"SCIM endpoint" shapes, PATCH with "Replace" capitalised and active as the string "False")."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.api import tokens as api
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.cli import main
from qa_audit.core.extensions import db as _db
from qa_audit.scim.models import ScimIdentity
from tests import factories

TOKEN = "qas_test-token-for-the-identity-provider"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_JSON = "application/scim+json"


@pytest.fixture
def scim(app: Flask, monkeypatch: pytest.MonkeyPatch, client: FlaskClient) -> Any:
    """SCIM switched on with TOKEN; requests carry it as Entra ID does."""
    monkeypatch.setitem(app.config, "SCIM_TOKEN_HASH", hashlib.sha256(TOKEN.encode()).hexdigest())

    def call(method: str, url: str, body: Any = None, token: str = TOKEN) -> Any:
        headers = {"Authorization": f"Bearer {token}"}
        if body is not None:
            headers["Content-Type"] = SCIM_JSON
        return client.open(url, method=method, json=body, headers=headers)

    return call


def entra_user(email: str = "jo.bloggs@council.example.gov.uk", **extra: Any) -> dict[str, Any]:
    """What Entra ID POSTs for a new user with its default attribute mapping."""
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": "jbloggs",
        "userName": email,
        "active": True,
        "displayName": "Jo Bloggs",
        "emails": [{"primary": True, "type": "work", "value": email}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Jo Bloggs", "familyName": "Bloggs", "givenName": "Jo"},
        "title": "Social worker",
        "roles": [],
    }
    body.update(extra)
    return body


def created(scim: Any, **extra: Any) -> dict[str, Any]:
    response = scim("POST", "/scim/v2/Users", entra_user(**extra))
    assert response.status_code == 201, response.get_data(as_text=True)
    return dict(response.get_json(force=True))


def test_scim_is_off_until_a_token_hash_is_set(client: FlaskClient) -> None:
    response = client.get("/scim/v2/Users", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 404
    assert response.get_json(force=True)["schemas"] == [ERROR_SCHEMA]


def test_a_missing_or_wrong_token_is_refused_with_401(scim: Any) -> None:
    for token in ("", "qas_wrong"):
        response = scim("GET", "/scim/v2/Users", token=token)
        assert response.status_code == 401
        assert response.content_type == SCIM_JSON
        assert response.get_json(force=True) == {
            "schemas": [ERROR_SCHEMA],
            "status": "401",
            "detail": "The SCIM bearer token is missing or not valid",
        }
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # An API token is not a SCIM token.
    person = factories.user(Role.ADMIN)
    _, secret = api.issue_token(person, "Dashboard")
    _db.session.commit()
    assert scim("GET", "/scim/v2/Users", token=secret).status_code == 401


def test_create_makes_an_account_without_roles_or_password_and_logs_it(scim: Any, db: Any) -> None:
    body = created(scim)
    assert body["schemas"] == [USER_SCHEMA]
    assert body["userName"] == "jo.bloggs@council.example.gov.uk"
    assert body["displayName"] == "Jo Bloggs"
    assert body["externalId"] == "jbloggs"
    assert body["active"] is True
    assert body["meta"]["resourceType"] == "User"
    assert body["meta"]["location"] == f"http://localhost/scim/v2/Users/{body['id']}"
    # The identity provider keeps no cookie: nothing is sent to keep.
    assert "Set-Cookie" not in scim("GET", f"/scim/v2/Users/{body['id']}").headers
    user = db.session.get(User, int(body["id"]))
    assert user.roles == set()
    assert user.password_hash is None
    identity = db.session.get(ScimIdentity, user.id)
    assert identity.created_by_scim
    entry = db.session.scalar(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "user_account", ChangeLogEntry.entity_id == str(user.id)
        )
    )
    assert entry.action == "user.provisioned"
    assert entry.actor_id is None


def test_create_twice_is_a_uniqueness_conflict_and_a_bad_user_name_invalid(scim: Any) -> None:
    created(scim)
    again = scim("POST", "/scim/v2/Users", entra_user(userName="JO.BLOGGS@council.example.gov.uk"))
    assert again.status_code == 409
    assert again.get_json(force=True)["scimType"] == "uniqueness"
    assert again.get_json(force=True)["status"] == "409"
    bad = scim("POST", "/scim/v2/Users", entra_user(email="not an address"))
    assert bad.status_code == 400
    assert bad.get_json(force=True)["scimType"] == "invalidValue"
    assert scim("POST", "/scim/v2/Users", {"displayName": "No name"}).status_code == 400


def test_a_scim_account_cannot_sign_in_with_a_password(scim: Any, client: FlaskClient) -> None:
    created(scim)
    response = client.post(
        "/sign-in", data={"email": "jo.bloggs@council.example.gov.uk", "password": ""}
    )
    assert response.status_code != 302


def test_filter_by_user_name_finds_the_account_and_other_filters_are_refused(scim: Any) -> None:
    body = created(scim)
    factories.user(Role.AUDITOR, email="someone.else@council.example.gov.uk")
    _db.session.commit()
    found = scim("GET", '/scim/v2/Users?filter=userName eq "Jo.Bloggs@council.example.gov.uk"')
    assert found.status_code == 200
    listing = found.get_json(force=True)
    assert listing["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert listing["totalResults"] == 1
    assert [r["id"] for r in listing["Resources"]] == [body["id"]]
    none = scim("GET", '/scim/v2/Users?filter=userName eq "nobody@council.example.gov.uk"')
    assert none.get_json(force=True)["totalResults"] == 0
    assert none.get_json(force=True)["Resources"] == []
    for unsupported in ('displayName co "Jo"', 'userName eq "a" or userName eq "b"', "active"):
        refused = scim("GET", f"/scim/v2/Users?filter={unsupported}")
        assert refused.status_code == 400
        assert refused.get_json(force=True)["scimType"] == "invalidFilter"


def test_listing_pages_by_start_index_and_count(scim: Any) -> None:
    for n in range(3):
        created(scim, email=f"person{n}@council.example.gov.uk", externalId=f"p{n}")
    first = scim("GET", "/scim/v2/Users?startIndex=1&count=2").get_json(force=True)
    total = first["totalResults"]
    assert total >= 3
    assert first["itemsPerPage"] == 2
    assert first["startIndex"] == 1
    rest = scim("GET", f"/scim/v2/Users?startIndex=3&count={total}").get_json(force=True)
    assert rest["itemsPerPage"] == total - 2
    ids = [r["id"] for r in first["Resources"] + rest["Resources"]]
    assert len(ids) == len(set(ids)) == total


def test_get_one_and_an_unknown_id_is_404(scim: Any) -> None:
    body = created(scim)
    one = scim("GET", f"/scim/v2/Users/{body['id']}")
    assert one.status_code == 200
    assert one.get_json(force=True)["userName"] == body["userName"]
    for missing in ("999999", "abc"):
        response = scim("GET", f"/scim/v2/Users/{missing}")
        assert response.status_code == 404
        assert response.get_json(force=True)["status"] == "404"


def test_put_replaces_the_name_address_and_external_id(scim: Any, db: Any) -> None:
    body = created(scim)
    replaced = entra_user(
        email="jo.smith@council.example.gov.uk", displayName="Jo Smith", externalId="jsmith"
    )
    response = scim("PUT", f"/scim/v2/Users/{body['id']}", replaced)
    assert response.status_code == 200
    after = response.get_json(force=True)
    assert (after["userName"], after["displayName"], after["externalId"]) == (
        "jo.smith@council.example.gov.uk",
        "Jo Smith",
        "jsmith",
    )
    actions = db.session.scalars(
        select(ChangeLogEntry.action).where(ChangeLogEntry.entity_id == body["id"])
    ).all()
    assert "user.provisioning_updated" in actions


@pytest.mark.parametrize(
    "operations",
    [
        # Entra ID's own: "Replace" capitalised, the value the string "False".
        [{"op": "Replace", "path": "active", "value": "False"}],
        [{"op": "replace", "path": "active", "value": False}],
        # No path: the attributes in the value.
        [{"op": "replace", "value": {"active": False}}],
    ],
)
def test_patch_active_false_deactivates_and_ends_sessions_and_api_tokens_at_once(
    scim: Any, app: Flask, db: Any, operations: list[dict[str, Any]]
) -> None:
    leaver = factories.user(Role.AUDITOR, email="leaver@council.example.gov.uk")
    _db.session.commit()
    browser = app.test_client()
    signed_in = browser.post(
        "/sign-in", data={"email": leaver.email, "password": factories.PASSWORD}
    )
    assert signed_in.status_code == 302
    assert browser.get("/account/sessions").status_code == 200
    _, secret = api.issue_token(leaver, "Dashboard")
    _db.session.commit()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert browser.get("/api/v1/audits", headers=bearer).status_code == 200

    found = scim("GET", f'/scim/v2/Users?filter=userName eq "{leaver.email}"').get_json(force=True)
    user_id = found["Resources"][0]["id"]
    response = scim(
        "PATCH", f"/scim/v2/Users/{user_id}", {"schemas": [PATCH_SCHEMA], "Operations": operations}
    )
    assert response.status_code == 200
    assert response.get_json(force=True)["active"] is False

    assert browser.get("/account/sessions").headers["Location"].startswith("/sign-in")
    assert browser.get("/api/v1/audits", headers=bearer).status_code == 401
    actions = db.session.scalars(
        select(ChangeLogEntry.action).where(ChangeLogEntry.actor_id.is_(None))
    ).all()
    assert "user.deactivated" in actions
    assert "api_token.revoked" in actions


def test_patch_with_entra_attribute_updates_and_reactivation(scim: Any) -> None:
    body = created(scim)
    url = f"/scim/v2/Users/{body['id']}"
    operations = [
        {"op": "Replace", "path": "displayName", "value": "Jo Bloggs-Smith"},
        {"op": "Add", "path": "title", "value": "Team manager"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "x@example.org"},
        {"op": "Replace", "path": "active", "value": "False"},
    ]
    patched = scim("PATCH", url, {"schemas": [PATCH_SCHEMA], "Operations": operations})
    assert patched.status_code == 200
    assert patched.get_json(force=True)["displayName"] == "Jo Bloggs-Smith"
    assert patched.get_json(force=True)["active"] is False
    back = [{"op": "Replace", "path": "active", "value": "True"}]
    again = scim("PATCH", url, {"schemas": [PATCH_SCHEMA], "Operations": back})
    assert again.get_json(force=True)["active"] is True


def test_patch_refuses_bad_operations_and_values(scim: Any) -> None:
    body = created(scim)
    url = f"/scim/v2/Users/{body['id']}"
    bad_value = [{"op": "Replace", "path": "active", "value": "perhaps"}]
    response = scim("PATCH", url, {"schemas": [PATCH_SCHEMA], "Operations": bad_value})
    assert response.status_code == 400
    assert response.get_json(force=True)["scimType"] == "invalidValue"
    bad_op = [{"op": "Move", "path": "active", "value": False}]
    assert scim("PATCH", url, {"Operations": bad_op}).status_code == 400
    assert scim("PATCH", url, {"Operations": []}).status_code == 400
    not_json = scim("PATCH", url, None)
    assert not_json.status_code == 400
    assert not_json.get_json(force=True)["scimType"] == "invalidSyntax"


def test_delete_deactivates_and_keeps_the_account(scim: Any, db: Any) -> None:
    body = created(scim)
    response = scim("DELETE", f"/scim/v2/Users/{body['id']}")
    assert response.status_code == 204
    user = db.session.get(User, int(body["id"]))
    assert user is not None
    assert user.active is False
    assert scim("GET", f"/scim/v2/Users/{body['id']}").get_json(force=True)["active"] is False


def test_discovery_documents(scim: Any) -> None:
    config = scim("GET", "/scim/v2/ServiceProviderConfig")
    assert config.status_code == 200
    assert config.content_type == SCIM_JSON
    document = config.get_json(force=True)
    assert document["patch"]["supported"] is True
    assert document["bulk"]["supported"] is False
    assert document["filter"]["supported"] is True
    types = scim("GET", "/scim/v2/ResourceTypes").get_json(force=True)
    assert types["Resources"][0]["endpoint"] == "/Users"
    schemas = scim("GET", "/scim/v2/Schemas").get_json(force=True)
    names = [a["name"] for a in schemas["Resources"][0]["attributes"]]
    assert "userName" in names
    assert "active" in names


def test_an_account_an_administrator_made_is_matched_and_taken_over(scim: Any, db: Any) -> None:
    person = factories.user(Role.MODERATOR, email="mo@council.example.gov.uk")
    _db.session.commit()
    found = scim("GET", '/scim/v2/Users?filter=userName eq "mo@council.example.gov.uk"')
    user_id = found.get_json(force=True)["Resources"][0]["id"]
    link = [{"op": "Add", "path": "externalId", "value": "mo"}]
    response = scim("PATCH", f"/scim/v2/Users/{user_id}", {"Operations": link})
    assert response.get_json(force=True)["externalId"] == "mo"
    identity = db.session.get(ScimIdentity, person.id)
    assert identity.external_id == "mo"
    assert not identity.created_by_scim
    assert db.session.get(User, person.id).roles == {Role.MODERATOR}


def test_a_signed_in_browser_cookie_gives_no_access_without_the_token(
    scim: Any, login_as: Any, client: FlaskClient, db: Any
) -> None:
    """CSRF protection is off for /scim: safe because a session cookie counts for nothing."""
    login_as(Role.ADMIN)
    response = client.post("/scim/v2/Users", json=entra_user(email="forged@example.org"))
    assert response.status_code == 401
    assert db.session.scalar(select(User).where(User.email == "forged@example.org")) is None


def test_renaming_to_an_address_another_account_holds_is_a_conflict(scim: Any) -> None:
    body = created(scim)
    factories.user(Role.AUDITOR, email="taken@council.example.gov.uk")
    _db.session.commit()
    clash = [{"op": "Replace", "path": "userName", "value": "Taken@council.example.gov.uk"}]
    response = scim("PATCH", f"/scim/v2/Users/{body['id']}", {"Operations": clash})
    assert response.status_code == 409
    assert response.get_json(force=True)["scimType"] == "uniqueness"
    unchanged = scim("GET", f"/scim/v2/Users/{body['id']}").get_json(force=True)
    assert unchanged["userName"] == "jo.bloggs@council.example.gov.uk"


def test_put_with_active_false_deactivates_and_the_command_makes_a_token(
    scim: Any, db: Any
) -> None:
    body = created(scim)
    response = scim("PUT", f"/scim/v2/Users/{body['id']}", entra_user(active=False))
    assert response.get_json(force=True)["active"] is False
    assert db.session.get(User, int(body["id"])).active is False
    result = CliRunner().invoke(main, ["scim", "new-token"])
    assert result.exit_code == 0
    token = result.output.split("qas_", 1)[1].split()[0]
    hashed = result.output.split("QA_AUDIT_SCIM_TOKEN_HASH=", 1)[1].split()[0]
    assert hashlib.sha256(f"qas_{token}".encode()).hexdigest() == hashed
