"""What has changed in the data since a report was finalised: its frozen key figures against
the same report built afresh, in words for the final's page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Moderation outcomes that changed an audit's grade.
REGRADES = ("upgraded", "downgraded")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def changes_since(frozen: Mapping[str, Any], fresh: Mapping[str, Any]) -> list[str]:
    """Sentences saying how ``fresh`` differs from ``frozen`` in the figures a committee reads:
    audits counted, moderations and regrades, final grades, principles' share good or better."""
    said: list[str] = []
    audits = fresh["audits_completed"] - frozen["audits_completed"]
    if audits > 0:
        said.append(
            f"{_plural(audits, 'more audit was', 'more audits were')} submitted for the period"
        )
    elif audits < 0:
        said.append(
            f"{_plural(-audits, 'audit no longer counts', 'audits no longer count')} in the period"
        )
    moderated = fresh["moderation"]["moderated"] - frozen["moderation"]["moderated"]
    if moderated > 0:
        said.append(f"{_plural(moderated, 'more audit was', 'more audits were')} moderated")
    regrades = sum(fresh["moderation"][k] for k in REGRADES) - sum(
        frozen["moderation"][k] for k in REGRADES
    )
    if regrades > 0:
        said.append(f"{_plural(regrades, 'moderation', 'moderations')} changed a grade")
    if not said and fresh["overall"]["final"] != frozen["overall"]["final"]:
        said.append("the final grades of the period's audits have changed")
    moved = [
        domain["title"]
        for key, domain in fresh["domains"].items()
        if domain.get("good_or_better_percent")
        != frozen["domains"].get(key, {}).get("good_or_better_percent")
    ]
    if moved:
        said.append("the share graded good or better has changed for " + ", ".join(moved))
    return said
