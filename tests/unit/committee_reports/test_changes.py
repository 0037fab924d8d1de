"""What has changed since a report was finalised, in words."""

from __future__ import annotations

import copy
from typing import Any

from qa_audit.committee_reports.changes import changes_since


def report(
    audits: int = 10, moderated: int = 3, upgraded: int = 0, downgraded: int = 1
) -> dict[str, Any]:
    return {
        "audits_completed": audits,
        "moderation": {"moderated": moderated, "upgraded": upgraded, "downgraded": downgraded},
        "overall": {"final": {"good": audits}},
        "domains": {"assessment": {"title": "Assessment", "good_or_better_percent": 80.0}},
    }


def test_nothing_changed_says_nothing() -> None:
    assert changes_since(report(), report()) == []


def test_more_audits_and_a_regrade_are_told() -> None:
    fresh = report(audits=12, moderated=4, upgraded=1)
    assert changes_since(report(), fresh) == [
        "2 more audits were submitted for the period",
        "1 more audit was moderated",
        "1 moderation changed a grade",
    ]


def test_a_changed_share_good_or_better_names_the_principle() -> None:
    fresh = copy.deepcopy(report())
    fresh["domains"]["assessment"]["good_or_better_percent"] = 70.0
    fresh["overall"]["final"] = {"good": 9, "requires_improvement": 1}
    assert changes_since(report(), fresh) == [
        "the final grades of the period's audits have changed",
        "the share graded good or better has changed for Assessment",
    ]


def test_fewer_audits_are_told() -> None:
    assert changes_since(report(audits=10), report(audits=9)) == [
        "1 audit no longer counts in the period"
    ]
