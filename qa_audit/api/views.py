"""/api/v1: read-only JSON for Power BI and Excel users. Every request but the OpenAPI
document needs ``Authorization: Bearer <token>`` (a token its holder issued); the role rules
are the pages'. Errors are JSON: {"error": code, "message": text}."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from flask import Blueprint, Response, current_app, g, request

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.exports import record_export
from qa_audit.api import services, tokens
from qa_audit.api.openapi import document
from qa_audit.auth.models import User
from qa_audit.core.errors import DomainError, Forbidden, NotFound
from qa_audit.core.extensions import csrf
from qa_audit.core.request_input import clean_text
from qa_audit.report_filters import filters_from_query, report_access
from qa_audit.reports.services import build_period_report, record_report_export

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PUBLIC_ENDPOINTS = {"api.openapi"}
ERROR_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found"}


def as_json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """JSON with the keys in the order they were built (jsonify would sort them)."""
    response = Response(
        json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json"
    )
    response.headers["Cache-Control"] = "no-store"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def api_error(status: int, message: str, **extra: Any) -> Response:
    headers = {"WWW-Authenticate": 'Bearer realm="qa-audit"'} if status == 401 else None
    return as_json({"error": ERROR_CODES[status], "message": message, **extra}, status, headers)


def _refused(error: DomainError) -> Response:
    if isinstance(error, Forbidden):
        return api_error(403, error.message)
    if isinstance(error, NotFound):
        return api_error(404, error.message)
    return api_error(400, error.message, parameter=error.field)


@bp.before_request
def authenticate() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return api_error(401, "Send an API token: 'Authorization: Bearer <token>'")
    row = tokens.live_token(token.strip())
    if row is None:
        return api_error(401, "The API token is not valid, has expired or has been revoked")
    g.api_user = row.user
    # The access log names the token as well as its holder (access_log.services).
    g.api_token_id = row.id
    return _refuse_control_characters()


def _refuse_control_characters() -> Response | None:
    """A query value holding a control character is malformed: 400, naming the parameter. (The
    pages drop control characters from what they are sent, qa_audit/core/request_input.py; for
    the API that would turn a wrong value into another, such as ``audit_type=%00`` or
    ``status=%14%01`` into "any".)"""
    raw = request.query_string.decode("latin-1")
    for name, value in parse_qsl(raw, keep_blank_values=True, encoding="latin-1"):
        if clean_text(name) != name or clean_text(value) != value:
            parameter = clean_text(name)
            return api_error(
                400,
                f"The query value of '{parameter}' holds a control character",
                parameter=parameter,
            )
    return None


def _user() -> User:
    user: User = g.api_user
    return user


@bp.route("/openapi.json")
def openapi() -> Response:
    # On the configured address, never on the Host header a client chose.
    return as_json(document(current_app.config["BASE_URL"] + (bp.url_prefix or "")))


@bp.route("/reports/period")
def period_report() -> Response:
    try:
        filters = filters_from_query(request.args)
        filters, access = report_access(_user(), filters)
    except DomainError as error:
        return _refused(error)  # a refusal's status rolls back the request's work
    report = build_period_report(filters, access)
    record_report_export(_user(), "json", filters, report, via="api")
    return as_json(report)


@bp.route("/audits")
def audits() -> Response:
    try:
        services.audit_scope(_user())
        query = services.parse_audit_query(request.args)
        page = services.list_audits(_user(), query)
    except DomainError as error:
        return _refused(error)
    record_export(
        _user(),
        "audit",
        file_format="json",
        rows=len(page["items"]),
        filters={"via": "api", **request.args.to_dict()},
    )
    return as_json(page)


@bp.route("/audits/<reference>")
def audit(reference: str) -> Response:
    try:
        item = services.get_audit(_user(), reference)
    except DomainError as error:
        return _refused(error)
    record_export(
        _user(), "audit", file_format="json", rows=1, filters={"via": "api", "reference": reference}
    )
    return as_json(item)


@bp.route("/dip-samples")
@case_level("dip_sample")
def dip_samples() -> Response:
    try:
        result = services.list_dip_samples(_user(), request.args)
    except DomainError as error:
        return _refused(error)
    return as_json(result)
