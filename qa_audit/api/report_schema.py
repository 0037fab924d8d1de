"""Schemas of the period report's added sections, for the OpenAPI document (schemas.py)."""

from __future__ import annotations

from typing import Any

PERCENT = {"type": ["number", "null"], "description": "One decimal place; null when 0 of 0"}


def confidence_schema() -> dict[str, Any]:
    """The report's "confidence in grades": each grade as audited moderated and upheld, and
    the agreement of the period's grade pairs with 95% intervals (null below the minimum
    number of pairs, then too_few is true, or where a viewer's figures are withheld)."""
    count = {"type": ["integer", "null"]}
    coefficient = {"type": ["number", "null"], "description": "Two decimal places"}
    estimate = {
        "type": "object",
        "properties": {
            "value": coefficient,
            "low": coefficient,
            "high": coefficient,
            "band": {
                "type": ["string", "null"],
                "description": "Landis and Koch's name of the value, e.g. 'almost perfect'",
            },
        },
        "required": ["value", "low", "high", "band"],
    }
    grade = {
        "type": "object",
        "properties": {"moderated": count, "upheld": count, "upheld_percent": PERCENT},
        "required": ["moderated", "upheld", "upheld_percent"],
    }
    return {
        "type": "object",
        "description": "How far the grades can be trusted (added key)",
        "properties": {
            "by_grade": {
                "type": "object",
                "properties": {
                    k: grade for k in ("good", "requires_improvement", "inadequate", "outstanding")
                },
            },
            "agreement": {
                "type": "object",
                "properties": {
                    "pairs": count,
                    "audits": count,
                    "minimum_pairs": {"type": "integer"},
                    "too_few": {"type": "boolean"},
                    "suppressed": {"type": "boolean"},
                    "agreeing": count,
                    **{
                        f"{name}{end}": PERCENT
                        for name in ("exact", "within_one")
                        for end in ("_percent", "_low", "_high")
                    },
                    "kappa": estimate,
                    "ac2": estimate,
                    "method": {"type": "string"},
                },
                "required": [
                    "pairs",
                    "minimum_pairs",
                    "too_few",
                    "exact_percent",
                    "within_one_percent",
                    "kappa",
                    "ac2",
                    "method",
                ],
            },
        },
        "required": ["by_grade", "agreement"],
    }
