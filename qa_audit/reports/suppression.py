"""Small-cell suppression, as official statistics do it: a viewer's report keeps every key,
but the figures that rest on fewer audits than the threshold become null. Otherwise a viewer
could narrow a report to one service area, team and month and read one audit's grades."""

from __future__ import annotations

from typing import Any

# The sections whose figures rest on the period's audits (the dip samples and the rota do not).
PERIOD_SECTIONS = ("overall", "domains", "moderation", "feedback", "learning_themes", "actions")
# What a month row keeps: its name and how many audits it rests on.
MONTH_KEPT = ("month", "audits_completed")


def blank(value: Any) -> Any:
    """``value`` with every number replaced by None; keys, texts and flags kept."""
    if isinstance(value, dict):
        return {key: blank(item) for key, item in value.items()}
    if isinstance(value, list):
        return [blank(item) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None
    return value


def note(threshold: int) -> str:
    return f"Figures resting on fewer than {threshold} audits are not shown."


def suppress(report: dict[str, Any], threshold: int) -> dict[str, Any]:
    """``report`` with the figures resting on fewer than ``threshold`` audits blanked: the
    period's sections when the period has too few, and each month row that has too few."""
    if threshold <= 0:
        return report
    out = dict(report)
    period_suppressed = report["audits_completed"] < threshold
    if period_suppressed:
        for key in PERIOD_SECTIONS:
            out[key] = blank(report[key])
    small = {m["month"] for m in report["months"] if m["audits_completed"] < threshold}
    out["months"] = [_month(m, m["month"] in small) for m in report["months"]]
    out["agreement"] = _agreement(report["agreement"], small, period_suppressed)
    out["confidence"] = _confidence(report["confidence"], threshold, period_suppressed)
    out["suppressed"] = {
        "threshold": threshold,
        "period": period_suppressed,
        "months": sorted(small),
        "rule": note(threshold),
    }
    return out


def _month(row: dict[str, Any], small: bool) -> dict[str, Any]:
    if not small:
        return row
    kept = {key: row[key] for key in MONTH_KEPT}
    return {**blank(row), **kept, "suppressed": True}


def _agreement(
    agreement: dict[str, Any], small: set[str], period_suppressed: bool
) -> dict[str, Any]:
    out = blank(agreement) if period_suppressed else dict(agreement)
    out["months"] = [
        {**blank(m), "month": m["month"]} if m["month"] in small else m for m in agreement["months"]
    ]
    return out


def _confidence(section: dict[str, Any], threshold: int, period_suppressed: bool) -> dict[str, Any]:
    """The confidence section by the same rule: its per-grade counts with the period's
    figures, and its agreement figures when they rest on fewer moderated audits than the
    threshold (two audits can give a dozen grade pairs)."""
    out = dict(section)
    if period_suppressed:
        out["by_grade"] = blank(section["by_grade"])
    agreement = section["agreement"]
    if period_suppressed or agreement["audits"] < threshold:
        out["agreement"] = {
            **blank(agreement),
            "minimum_pairs": agreement["minimum_pairs"],
            "suppressed": True,
        }
    return out
