"""/scim/v2: SCIM 2.0 for the council's identity provider (Entra ID provisioning). Off unless
QA_AUDIT_SCIM_TOKEN_HASH is set (404 everywhere); every request sends the bearer token whose
SHA-256 it holds. No cookies are used, so CSRF protection is off here as for the API."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for

from qa_audit.core.extensions import csrf
from qa_audit.scim import resources, services
from qa_audit.scim.resources import ScimError

bp = Blueprint("scim", __name__, url_prefix="/scim/v2")
csrf.exempt(bp)
CONTENT_TYPE = "application/scim+json"


def scim_json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(
        json.dumps(data, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def error(problem: ScimError) -> Response:
    headers = (
        {"WWW-Authenticate": 'Bearer realm="qa-audit SCIM"'} if problem.status == 401 else None
    )
    return scim_json(problem.document(), problem.status, headers)


def _base() -> str:
    """The endpoint's address on QA_AUDIT_BASE_URL, never on the Host a client sends."""
    return current_app.config.get("BASE_URL", "").rstrip("/") + "/scim/v2"


def _location(user_id: int) -> str:
    return current_app.config.get("BASE_URL", "").rstrip("/") + url_for(
        "scim.user", user_id=str(user_id)
    )


def _user(user: Any) -> dict[str, Any]:
    identity = services.identity_of(user)
    return resources.user_document(
        user, identity.external_id if identity else None, _location(user.id)
    )


@bp.before_request
def authenticate() -> Response | None:
    expected = current_app.config.get("SCIM_TOKEN_HASH", "")
    if not expected:
        return error(ScimError(404, "SCIM provisioning is not switched on"))
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    given = hashlib.sha256(token.strip().encode()).hexdigest()
    if scheme.lower() != "bearer" or not token.strip() or not hmac.compare_digest(given, expected):
        return error(ScimError(401, "The SCIM bearer token is missing or not valid"))
    return None


@bp.errorhandler(ScimError)
def scim_error(problem: ScimError) -> Response:
    return error(problem)


def _body() -> dict[str, Any]:
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise ScimError(400, "The request body must be a JSON object", "invalidSyntax")
    return body


def _whole(name: str, default: int) -> int:
    text = request.args.get(name, "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError as exc:
        raise ScimError(400, f"{name} must be a whole number", "invalidValue") from exc


@bp.get("/Users")
def users() -> Response:
    start = max(1, _whole("startIndex", 1))
    count = _whole("count", resources.MAX_PAGE)
    found, total = services.search(request.args.get("filter"), start, count)
    return scim_json(resources.list_document([_user(u) for u in found], total, start))


@bp.post("/Users")
def create_user() -> Response:
    user = services.create(services.changes_from_resource(_body()))
    return scim_json(_user(user), 201, {"Location": _location(user.id)})


@bp.get("/Users/<user_id>")
def user(user_id: str) -> Response:
    return scim_json(_user(services.get(user_id)))


@bp.put("/Users/<user_id>")
def replace_user(user_id: str) -> Response:
    found = services.get(user_id)
    services.update(found, services.changes_from_resource(_body()))
    return scim_json(_user(found))


@bp.patch("/Users/<user_id>")
def patch_user(user_id: str) -> Response:
    found = services.get(user_id)
    services.update(found, services.changes_from_patch(_body()))
    return scim_json(_user(found))


@bp.delete("/Users/<user_id>")
def delete_user(user_id: str) -> Response:
    services.deactivate(services.get(user_id))
    return Response(status=204)


@bp.get("/ServiceProviderConfig")
def service_provider_config() -> Response:
    return scim_json(resources.service_provider_config(_base()))


@bp.get("/ResourceTypes")
def resource_types() -> Response:
    return scim_json(resources.list_document([resources.user_resource_type(_base())], 1, 1))


@bp.get("/Schemas")
def schemas() -> Response:
    return scim_json(resources.list_document([resources.user_schema(_base())], 1, 1))
