"""The OpenAPI 3.1 document of /api/v1 (served at /api/v1/openapi.json): its endpoints, their
parameters and responses. The JSON shapes they answer with are in schemas.py."""

from __future__ import annotations

from typing import Any

from qa_audit.api.schemas import MONTH, component_schemas, ref


# Optional filters: a blank value ("" in an enum, or an empty month) means "any".
def _param(
    name: str, description: str, schema: dict[str, Any] | None = None, required: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


# An optional month of a list's filters: blank means any month.
ANY_MONTH = {**MONTH, "pattern": r"^((19|20|21)[0-9]{2}-(0[1-9]|1[0-2]))?$"}
# A month, "first", or nothing (the default span).
TREND_FROM_PATTERN = r"^((19|20|21)[0-9]{2}-(0[1-9]|1[0-2])|first)?$"
FILTERS = [
    _param("service_area", "Service area key or name, any case"),
    _param("team", "Team id, or name (unique within the service area)"),
    _param("tool", "Audit tool version key, e.g. practice-principles-2024"),
    _param(
        "audit_type",
        "Audit type",
        {"type": "string", "enum": ["", "deep_dive", "closing_the_loop"]},
    ),
]


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Bad input (a malformed or reversed period, an unknown filter)",
        401: "No token, or a token that is not valid or has been revoked",
        403: "Your role may not see this",
        404: "Not found",
    }
    return {
        str(code): {
            "description": text[code],
            "content": {"application/json": {"schema": ref("Error")}},
        }
        for code in codes
    }


def _ok(description: str, schema: str) -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "content": {"application/json": {"schema": ref(schema)}},
        }
    }


def document(server_url: str = "/api/v1") -> dict[str, Any]:
    """The OpenAPI 3.1 description of every endpoint of the API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "qa-audit read-only API",
            "version": "1.0.0",
            "description": (
                "Quality-assurance case audits of children's social care, read-only, for "
                "Power BI and Excel. Issue yourself a token (API tokens) and send it as "
                "'Authorization: Bearer <token>'. The role rules are the pages': viewers get "
                "aggregates (the period report, dip samples), never case-level detail."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": {
            "/reports/period": {
                "get": {
                    "operationId": "periodReport",
                    "summary": "The period report (the same JSON as 'qa-audit report')",
                    "parameters": [
                        _param("from", "First month", MONTH, required=True),
                        _param(
                            "to",
                            "Last month (the same as 'from' for one month)",
                            MONTH,
                            required=True,
                        ),
                        *FILTERS,
                        _param(
                            "trend_from",
                            "First month of the direction of travel, or 'first' for since the "
                            "first audit (default: the twelve months to 'to')",
                            {"type": "string", "pattern": TREND_FROM_PATTERN},
                        ),
                    ],
                    "responses": {
                        **_ok("The period report", "PeriodReport"),
                        **_errors(400, 401, 403),
                    },
                }
            },
            "/audits": {
                "get": {
                    "operationId": "listAudits",
                    "summary": "Audits you may see, newest first (not for viewers)",
                    "parameters": [
                        _param("from", "Submitted in this month or later", ANY_MONTH),
                        _param("to", "Submitted in this month or earlier", ANY_MONTH),
                        *FILTERS,
                        _param(
                            "status",
                            "Audit status",
                            {"type": "string", "enum": ["", "submitted", "returned", "closed"]},
                        ),
                        _param("page", "Page number", {"type": "integer", "minimum": 1}),
                        _param(
                            "per_page",
                            "Audits a page",
                            {"type": "integer", "minimum": 1, "maximum": 200},
                        ),
                    ],
                    "responses": {**_ok("A page of audits", "AuditPage"), **_errors(400, 401, 403)},
                }
            },
            "/audits/{reference}": {
                "get": {
                    "operationId": "getAudit",
                    "summary": "One audit with its domains, moderation, feedback and actions",
                    "parameters": [
                        {
                            "name": "reference",
                            "in": "path",
                            "required": True,
                            "description": "The audit reference",
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {**_ok("The audit", "AuditDetail"), **_errors(401, 403, 404)},
                }
            },
            "/dip-samples": {
                "get": {
                    "operationId": "listDipSamples",
                    "summary": "Thematic dip samples (summaries; no case references)",
                    "parameters": [
                        _param("service_area", "Service area key or name"),
                        _param(
                            "status",
                            "Dip sample status",
                            {"type": "string", "enum": ["", "in_progress", "completed"]},
                        ),
                    ],
                    "responses": {**_ok("Dip samples", "DipSampleList"), **_errors(400, 401, 403)},
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document (no token needed)",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A per-user API token, issued by its holder; it expires",
                }
            },
            "schemas": component_schemas(),
        },
    }
