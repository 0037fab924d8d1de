"""The OpenAPI document's component schemas: the JSON shapes the API answers with (its
errors, the period report, audits and dip samples), and the field schemas they share."""

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
# A real month, 1900 to 2199 (what report_filters.parse_month accepts); a report's period
# is at most 120 months (a longer one is a 400).
MONTH = {
    "type": "string",
    "pattern": r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$",
    "examples": ["2024-02"],
}


def ref(name: str) -> dict[str, str]:
    """A reference to one of the component schemas (one definition, however often used)."""
    return {"$ref": f"#/components/schemas/{name}"}


def component_schemas() -> dict[str, Any]:
    """The schemas under components/schemas, by name."""
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
                "items": {"type": "array", "items": ref("AuditSummary")},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "total": {"type": "integer"},
                "pages": {"type": "integer"},
            },
            "required": ["items", "page", "per_page", "total", "pages"],
        },
        "AuditDetail": {
            "allOf": [
                ref("AuditSummary"),
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
