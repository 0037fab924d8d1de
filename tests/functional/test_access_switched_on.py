"""The access table for single sign-on and SCIM while they are switched on: the app pointed at a
real OpenID Provider (node-oidc-provider on loopback) and holding a SCIM token's hash. The main
table (test_access_matrix.py) sees them switched off, where every such route answers 404.

Every route of the two parts, for every role and signed out, and for the identity provider
holding the SCIM token: GETs, and writes with an empty body. SCIM answers its bearer token
alone: a browser session of any role, or a role's API token, gets 401, and SCIM sets no cookie.
The CSRF rule with protection on: the browser forms that change state refuse a request
without the session's token; SCIM (bearer) is exempt from it, and a cookie there is refused."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from qa_audit import create_app
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db as _db
from qa_audit.single_sign_on.models import GroupRole
from tests import factories
from tests.access_parts.outcomes import BAD, GO, IN, NO, OK, UN
from tests.functional.access_table import sign_in
from tests.functional.test_csrf import EXPIRED, fingerprint, signed_in, token_in
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider
from tests.oidc_provider.fixtures import point_app_at, provider

__all__ = ["provider"]  # fixture

SCIM_TOKEN = "qas_access-table-token-of-the-identity-provider"
SCIM_TOKEN_HASH = hashlib.sha256(SCIM_TOKEN.encode()).hexdigest()
PARTS = ("single_sign_on", "scim")
WRITES = ("POST", "PUT", "PATCH", "DELETE")

HOME = "home"  # 302 to the home page: already signed in
PROVIDER = "provider"  # 302 to the provider's authorization endpoint
GONE = 204  # SCIM: the account deactivated
MADE = 201  # SCIM: an account created
NOT_ALLOWED = 405
REFUSED = 403  # the sign-in refusal page (the callback without this browser's state)

# Signed out, the six roles, and the identity provider holding the SCIM bearer token.
COLUMNS: tuple[Role | str | None, ...] = (
    None,
    Role.AUDITOR,
    Role.MODERATOR,
    Role.SERVICE_MANAGER,
    Role.QA_LEAD,
    Role.VIEWER,
    Role.ADMIN,
    "scim_token",
)

SCIM_ONLY = (UN, UN, UN, UN, UN, UN, UN, OK)
ALL_405 = (NOT_ALLOWED,) * len(COLUMNS)

# endpoint -> method -> outcome for each column. An empty SCIM body is not a JSON object (400).
EXPECTED: dict[str, dict[str, tuple[int | str, ...]]] = {
    # The way to the provider: open to the signed out; a signed-in person is sent home.
    "single_sign_on.start": {
        "GET": (PROVIDER, HOME, HOME, HOME, HOME, HOME, HOME, PROVIDER),
        "POST": ALL_405,
    },
    # Without the state this browser was given at the start, a refusal for everyone.
    "single_sign_on.callback": {"GET": (REFUSED,) * len(COLUMNS), "POST": ALL_405},
    # Nothing to offer without signing out here first: on to the sign-in page.
    "single_sign_on.signed_out": {"GET": (IN,) * len(COLUMNS), "POST": ALL_405},
    "single_sign_on.group_roles": {
        "GET": (IN, NO, NO, NO, NO, NO, OK, IN),
        "POST": (IN, NO, NO, NO, NO, NO, BAD, IN),
    },
    "single_sign_on.remove_group_role": {
        "GET": ALL_405,
        "POST": (IN, NO, NO, NO, NO, NO, GO, IN),
    },
    "scim.users": {"GET": SCIM_ONLY},
    "scim.create_user": {"POST": (UN, UN, UN, UN, UN, UN, UN, BAD)},
    "scim.user": {"GET": SCIM_ONLY},
    "scim.replace_user": {"PUT": (UN, UN, UN, UN, UN, UN, UN, BAD)},
    "scim.patch_user": {"PATCH": (UN, UN, UN, UN, UN, UN, UN, BAD)},
    "scim.delete_user": {"DELETE": (UN, UN, UN, UN, UN, UN, UN, GONE)},
    "scim.service_provider_config": {"GET": SCIM_ONLY},
    "scim.resource_types": {"GET": SCIM_ONLY},
    "scim.schemas": {"GET": SCIM_ONLY},
}


def rules_of(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in PARTS),
        key=lambda r: (r.rule, r.endpoint),
    )


def requests_of(app: Flask) -> list[tuple[Rule, str]]:
    """Each rule's methods in EXPECTED: the GETs first (a write changes its record), then the
    writes, the deactivation last."""
    order = ("GET", "PATCH", "POST", "PUT", "DELETE")
    rules = rules_of(app)
    return [
        (rule, method)
        for method in order
        for rule in rules
        if method in EXPECTED.get(rule.endpoint, {})
    ]


def outcome(response: TestResponse, issuer: str) -> int | str:
    if response.status_code != 302:
        return response.status_code
    location = response.headers["Location"]
    if location.startswith("/sign-in"):
        return IN
    if location == "/":
        return HOME
    if location.startswith(issuer + "/"):
        return PROVIDER
    return GO


@pytest.fixture
def switched_on(app: Flask, provider: TestProvider, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The test app with single sign-on pointed at the provider and SCIM switched on."""
    point_app_at(app, monkeypatch, provider.issuer)
    monkeypatch.setitem(app.config, "SCIM_TOKEN_HASH", SCIM_TOKEN_HASH)
    return app


def records() -> dict[str, Any]:
    """A group mapping, and an account the identity provider manages (committed)."""
    mapping = GroupRole(group_id="switched-on-group", role=Role.AUDITOR.value)
    _db.session.add(mapping)
    managed = factories.user(Role.AUDITOR, email="provisioned@example.org")
    _db.session.commit()
    return {"mapping_id": mapping.id, "user_id": str(managed.id)}


def url_of(app: Flask, rule: Rule, args: dict[str, Any]) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: args[name] for name in rule.arguments})


def test_every_switched_on_route_is_in_the_table(switched_on: Flask) -> None:
    """A new route of either part without a row here fails; so does a row of a method the
    route does not have (other than the 405 checks of GET-only and POST-only routes)."""
    served = {
        (rule.endpoint, method)
        for rule in rules_of(switched_on)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    tabled = {
        (endpoint, method)
        for endpoint, methods in EXPECTED.items()
        for method, row in methods.items()
        if row != ALL_405
    }
    assert served == tabled
    assert all(len(row) == len(COLUMNS) for entry in EXPECTED.values() for row in entry.values())


def _headers(column: Role | str | None) -> dict[str, str]:
    if column == "scim_token":
        return {"Authorization": f"Bearer {SCIM_TOKEN}"}
    return {}


@pytest.mark.parametrize(
    "column", COLUMNS, ids=lambda c: c.value if isinstance(c, Role) else (c or "signed_out")
)
def test_switched_on_access_table(
    switched_on: Flask, provider: TestProvider, db, column: Role | str | None
) -> None:  # type: ignore[no-untyped-def]
    args = records()
    client = switched_on.test_client()
    api_bearer = sign_in(client, column if isinstance(column, Role) else None)
    index = COLUMNS.index(column)
    wrong = []
    # The identity provider's requests come from a client of its own, which keeps no cookie.
    provider_side = switched_on.test_client()
    for rule, method in requests_of(switched_on):
        url = url_of(switched_on, rule, args)
        scim = rule.endpoint.startswith("scim.")
        who = provider_side if scim and column == "scim_token" else client
        response = who.open(url, method=method, data={}, headers=_headers(column))
        expected = EXPECTED[rule.endpoint][method][index]
        got = outcome(response, provider.issuer)
        if got != expected:
            wrong.append(f"{method} {url} ({rule.endpoint}): expected {expected}, got {got}")
        if scim and column == "scim_token":
            assert "Set-Cookie" not in response.headers, f"{method} {url} set a cookie"
        if scim and api_bearer:
            # A role's API token is no SCIM token.
            with_api_token = client.open(url, method=method, data={}, headers=api_bearer)
            if with_api_token.status_code != UN:
                wrong.append(f"{method} {url} with an API token: {with_api_token.status_code}")
    assert not wrong, "\n".join(wrong)
    if column == "scim_token":
        managed = _db.session.get(User, int(args["user_id"]))
        _db.session.refresh(managed)
        assert managed.active is False  # the deactivation went through, as documented
    if isinstance(column, Role):
        # The session was neither ended nor replaced by the SCIM or sign-in requests.
        assert client.get("/account/sessions").status_code == OK


@pytest.fixture
def protected(app: Flask, db, provider: TestProvider) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """The app as in production (CSRF protection on), single sign-on and SCIM switched on."""
    config = TestConfig(database_url=app.config["SQLALCHEMY_DATABASE_URI"])
    config.WTF_CSRF_ENABLED = True
    application = create_app(config)
    application.config.update(
        OIDC_ISSUER=provider.issuer,
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        SCIM_TOKEN_HASH=SCIM_TOKEN_HASH,
    )
    application.test_client_class = app.test_client_class
    yield application
    with application.app_context():
        _db.engine.dispose()


# A plausible group mapping: let through, it would add a row.
MAPPING = {"group_id": "forged-group", "role": "qa_lead"}


def browser_writes(application: Flask, args: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (rule.endpoint, method, url_of(application, rule, args))
        for rule in rules_of(application)
        if not rule.endpoint.startswith("scim.")
        for method in sorted((rule.methods or set()) & set(WRITES))
    ]


def test_switched_on_forms_need_the_csrf_token(protected: Flask, db) -> None:  # type: ignore[no-untyped-def]
    args = records()
    admin = factories.user(Role.ADMIN)
    db.session.commit()
    client, token = signed_in(protected, admin.email)
    writes = browser_writes(protected, args)
    assert {endpoint for endpoint, _, _ in writes} == {
        "single_sign_on.group_roles",
        "single_sign_on.remove_group_role",
    }
    before = fingerprint()
    for _, method, url in writes:
        for forged in ({}, {"csrf_token": "forged"}, {"csrf_token": token + "x"}):
            response = client.open(url, method=method, data={**MAPPING, **forged})
            assert response.status_code == BAD, f"{method} {url} {forged}"
            assert EXPIRED in response.get_data(as_text=True), f"{method} {url} {forged}"
    db.session.expire_all()
    assert fingerprint() == before, "a request without a valid CSRF token changed the database"

    # With the session's token they get through to the view.
    page = client.get("/admin/single-sign-on/groups").get_data(as_text=True)
    mapped = client.post(
        "/admin/single-sign-on/groups", data={**MAPPING, "csrf_token": token_in(page)}
    )
    assert mapped.status_code == 302
    removed = client.post(
        f"/admin/single-sign-on/groups/{args['mapping_id']}/remove", data={"csrf_token": token}
    )
    assert removed.status_code == 302
    db.session.expire_all()
    assert [m.group_id for m in db.session.scalars(select(GroupRole))] == ["forged-group"]


def test_scim_is_exempt_from_csrf_and_refuses_cookies(protected: Flask, db) -> None:  # type: ignore[no-untyped-def]
    """SCIM takes its bearer token and no CSRF token; a signed-in browser, however privileged
    and with its CSRF token, changes nothing there."""
    args = records()
    admin = factories.user(*Role)
    db.session.commit()
    client, token = signed_in(protected, admin.email)
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "cookie.made@example.org",
        "displayName": "Cookie Made",
        "active": True,
    }
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    }
    user_url = f"/scim/v2/Users/{args['user_id']}"
    cookie_writes = [
        ("POST", "/scim/v2/Users", body),
        ("PUT", user_url, {**body, "userName": "provisioned@example.org"}),
        ("PATCH", user_url, patch),
        ("DELETE", user_url, None),
    ]
    before = fingerprint()
    for method, url, json_body in cookie_writes:
        response = client.open(url, method=method, json=json_body, headers={"X-CSRFToken": token})
        assert response.status_code == UN, f"{method} {url} with a browser session"
    db.session.expire_all()
    assert fingerprint() == before, "a browser session changed something through SCIM"

    # The bearer token alone, no CSRF token and no cookie: through.
    provider_side = protected.test_client()
    bearer = {"Authorization": f"Bearer {SCIM_TOKEN}"}
    made = provider_side.post("/scim/v2/Users", json=body, headers=bearer)
    assert made.status_code == MADE, made.get_data(as_text=True)
    assert provider_side.patch(user_url, json=patch, headers=bearer).status_code == OK
    assert provider_side.delete(user_url, headers=bearer).status_code == GONE
    assert "Set-Cookie" not in made.headers
    assert provider_side.get_cookie("qa_audit_session") is None
    db.session.expire_all()
    created = db.session.scalar(select(User).where(User.email == "cookie.made@example.org"))
    assert created is not None
    logged = db.session.scalars(
        select(ChangeLogEntry.action).where(ChangeLogEntry.entity_id == str(created.id))
    ).all()
    assert "user.provisioned" in logged


def test_scim_leaves_a_browsers_session_cookie_alone(switched_on: Flask, db) -> None:  # type: ignore[no-untyped-def]
    """auth.sessions.token_only: a browser session is neither read nor written at SCIM, so its
    answers set no cookie, even to a browser that sends one."""
    client = switched_on.test_client()
    sign_in(client, Role.ADMIN)
    assert client.get("/").status_code == OK  # a page seen: the session is now permanent
    response = client.get("/scim/v2/Users")
    assert response.status_code == UN
    assert "Set-Cookie" not in response.headers
