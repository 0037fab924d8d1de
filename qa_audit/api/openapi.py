"""The OpenAPI 3.1 document of /api/v1 (served at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from qa_audit.api.report_schema import confidence_schema

GRADE = {
    "type": ["string", "null"],
    "enum": ["outstanding", "good", "requires_improvement", "inadequate", "not_applicable", None],
}
PERCENT = {"type": ["number", "null"], "description": "One decimal place; null when 0 of 0"}
COUNTS = {
    "type": "object",
    "properties": {
        k: {"type": "integer"}
        for k in ("outstanding", "good", "requires_improvement", "inadequate")
    },
}
PERCENTS = {
    "type": "object",
    "properties": {
        k: PERCENT for k in ("outstanding", "good", "requires_improvement", "inadequate")
    },
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


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


# A real month, 1900 to 2199 (what report_filters.parse_month accepts); a report's period
# is at most 120 months (a longer one is a 400).
MONTH = {
    "type": "string",
    "pattern": r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$",
    "examples": ["2024-02"],
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
            "content": {"application/json": {"schema": _ref("Error")}},
        }
        for code in codes
    }


def _ok(description: str, schema: str) -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "content": {"application/json": {"schema": _ref(schema)}},
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
            "schemas": _schemas(),
        },
    }


def _schemas() -> dict[str, Any]:
    month_entry = {
        "type": "object",
        "properties": {
            "month": MONTH,
            "audits_completed": {"type": "integer"},
            "final": COUNTS,
            "final_percent": PERCENTS,
            "good_or_better_percent": PERCENT,
            "domains_good_or_better_percent": {"type": "object", "additionalProperties": PERCENT},
        },
        "required": [
            "month",
            "audits_completed",
            "final",
            "final_percent",
            "domains_good_or_better_percent",
        ],
    }
    audit_summary = {
        "type": "object",
        "properties": {
            "reference": {"type": "string"},
            "case_ref": {"type": "string", "description": "Case-management id, never a name"},
            "service_area": {"type": "string"},
            "service_area_name": {"type": "string"},
            "team": {"type": ["string", "null"]},
            "tool": {"type": "string"},
            "audit_type": {"type": "string", "enum": ["deep_dive", "closing_the_loop"]},
            "status": {"type": "string", "enum": ["submitted", "returned", "closed"]},
            "audit_date": {"type": ["string", "null"], "format": "date"},
            "submitted_on": {"type": ["string", "null"], "format": "date"},
            "submitted_month": {"type": ["string", "null"]},
            "overall_grade": GRADE,
            "final_overall_grade": GRADE,
            "moderated": {"type": "boolean"},
            "moderation_outcome": {
                "type": ["string", "null"],
                "enum": ["upheld", "upgraded", "downgraded", None],
            },
            "grades_hidden": {
                "type": "boolean",
                "description": "True while you are moderating this audit blind and have not "
                "saved your blind grades: its grades are null until then",
            },
        },
        "required": [
            "reference",
            "case_ref",
            "service_area",
            "status",
            "overall_grade",
            "final_overall_grade",
        ],
    }
    return {
        "Error": {
            "type": "object",
            "properties": {
                "error": {"type": "string"},
                "message": {"type": "string"},
                "parameter": {"type": ["string", "null"]},
            },
            "required": ["error", "message"],
        },
        "PeriodReport": {
            "type": "object",
            "description": (
                "The period report (docs/report-figures.md); keys may be added, never renamed"
            ),
            "properties": {
                "period": {"type": "object", "properties": {"from": MONTH, "to": MONTH}},
                "filters": {"type": "object", "additionalProperties": {"type": "string"}},
                "audits_completed": {"type": "integer"},
                "overall": {
                    "type": "object",
                    "properties": {
                        "final": COUNTS,
                        "final_percent": PERCENTS,
                        "as_audited": COUNTS,
                        "as_audited_percent": PERCENTS,
                    },
                },
                "domains": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "properties": {
                            "title": {"type": "string"},
                            "counts": COUNTS,
                            "percent": PERCENTS,
                            "good_or_better_percent": PERCENT,
                        },
                    },
                },
                "moderation": {
                    "type": "object",
                    "properties": {
                        "moderated": {"type": "integer"},
                        "percent_moderated": PERCENT,
                        "upheld": {"type": "integer"},
                        "upgraded": {"type": "integer"},
                        "downgraded": {"type": "integer"},
                        "by_original_grade": {"type": "object"},
                    },
                },
                "months": {"type": "array", "items": month_entry},
                "feedback": {"type": "object"},
                "dip_samples": {"type": "array", "items": {"type": "object"}},
                "learning_themes": {"type": "object"},
                "actions": {"type": "object"},
                "rota": {"type": "object"},
                "agreement": {"type": "object"},
                "confidence": confidence_schema(),
            },
            "required": [
                "period",
                "filters",
                "audits_completed",
                "overall",
                "domains",
                "moderation",
                "months",
                "feedback",
                "dip_samples",
                "learning_themes",
                "actions",
            ],
        },
        "AuditSummary": audit_summary,
        "AuditPage": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": _ref("AuditSummary")},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "total": {"type": "integer"},
                "pages": {"type": "integer"},
            },
            "required": ["items", "page", "per_page", "total", "pages"],
        },
        "AuditDetail": {
            "allOf": [
                _ref("AuditSummary"),
                {
                    "type": "object",
                    "properties": {
                        "overall_rationale": {"type": "string"},
                        "domains": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "key": {"type": "string"},
                                    "title": {"type": "string"},
                                    "grade": GRADE,
                                    "moderated_grade": GRADE,
                                    "final_grade": GRADE,
                                },
                            },
                        },
                        "moderation": {"type": ["object", "null"]},
                        "feedback": {"type": "array", "items": {"type": "object"}},
                        "learning_themes": {"type": "array", "items": {"type": "string"}},
                        "actions": {"type": "array", "items": {"type": "object"}},
                    },
                },
            ]
        },
        "DipSampleList": {
            "type": "object",
            "properties": {
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "title": {"type": "string"},
                            "sample_unit": {"type": "string"},
                            "sample_size": {"type": "integer"},
                            "status": {"type": "string"},
                            "learning_themes": {"type": "array", "items": {"type": "string"}},
                            "actions_open": {"type": "integer"},
                            "actions_done": {"type": "integer"},
                        },
                    },
                },
                "available": {"type": "boolean"},
                "note": {"type": "string"},
            },
            "required": ["items", "available"],
        },
    }
