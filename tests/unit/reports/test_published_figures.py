"""A data set that reproduces the figures one council published for 2023-24 (domain.md):

- February to April 2024: 53 deep dives, 19 moderated (19/53 = 35.8%, published as 36%),
  4 downgraded, 1 upgraded (so 14 upheld).
- April 2024: 19 audits, final 7 Good / 11 RI / 1 Inadequate = 36.8% / 57.9% / 5.3%
  (published 37% / 58% / 5%, "one audit" Inadequate); management oversight Good in 7 of 19
  = 36.8% (published 37%).
- April 2023 (the earlier qaif-2022 tool): 11 audits, 1 Good = 9.1% (published 9%);
  management oversight Good in none = 0%.

Working: February 17 audits and March 17 (34) hold 16 of the moderations: 4 Good audits
downgraded to RI, 1 RI upgraded to Good, 11 upheld. April holds 3, all upheld: its
Inadequate (every Inadequate is moderated) and 2 Good. February and March as audited:
10 Good + 24 RI; after moderation 10 - 4 + 1 = 7 Good and 24 + 4 - 1 = 27 RI.
"""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.auth.roles import Role
from qa_audit.report_filters import resolve_filters
from qa_audit.reports.services import build_period_report
from tests import factories
from tests.factories import reports as make

GOOD, RI, INADEQUATE = "good", "requires_improvement", "inadequate"


@pytest.fixture
def published(db):  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR)
    moderator = factories.user(Role.MODERATOR)

    def audit(
        month: date, grade: str, mo: str | None = None, tool: str = "practice-principles-2024"
    ):  # type: ignore[no-untyped-def]
        return factories.audit(
            auditor=auditor,
            overall=grade,
            grades={"management_oversight": mo or grade},
            submitted_on=month,
            tool_key=tool,
        )

    # February and March 2024: 17 each, 5 Good then 12 RI; 8 moderated each month.
    february = {0: RI, 1: RI, 2: RI, 3: RI, 5: GOOD, 6: RI, 7: RI, 8: RI}  # 4 down, 1 up
    march = {0: GOOD, 1: GOOD, 2: GOOD, 3: GOOD, 4: GOOD, 5: RI, 6: RI, 7: RI}  # upheld
    for month, moderated in ((date(2024, 2, 12), february), (date(2024, 3, 12), march)):
        for i in range(17):
            row = audit(month, GOOD if i < 5 else RI)
            if i in moderated:
                make.moderation(row, moderated[i], by=moderator)
    # April 2024: 7 Good, 11 RI, 1 Inadequate; management oversight the same.
    april = date(2024, 4, 16)
    for i in range(7):
        row = audit(april, GOOD)
        if i < 2:
            make.moderation(row, GOOD, by=moderator)
    for _ in range(11):
        audit(april, RI)
    make.moderation(audit(april, INADEQUATE), INADEQUATE, by=moderator)
    # April 2023 on the earlier tool: 1 Good, 9 RI, 1 Inadequate; no Good management oversight.
    april_2023 = date(2023, 4, 20)
    audit(april_2023, GOOD, mo=RI, tool="qaif-2022")
    for _ in range(9):
        audit(april_2023, RI, tool="qaif-2022")
    audit(april_2023, INADEQUATE, tool="qaif-2022")


def report(first: str, last: str):  # type: ignore[no-untyped-def]
    return build_period_report(resolve_filters(first, last), today=date(2024, 5, 1))


def test_february_to_april_2024(published) -> None:
    r = report("2024-02", "2024-04")
    assert r["audits_completed"] == 53
    m = r["moderation"]
    assert m["moderated"] == 19
    assert m["percent_moderated"] == 35.8  # 19/53 = 35.849..., published rounded as 36%
    assert (m["downgraded"], m["upgraded"], m["upheld"]) == (4, 1, 14)
    assert m["by_original_grade"]["inadequate"] == {
        "audits": 1,
        "moderated": 1,
        "percent_moderated": 100.0,
        "upheld": 1,
        "upgraded": 0,
        "downgraded": 0,
        "upheld_percent": 100.0,
        "upgraded_percent": 0.0,
        "downgraded_percent": 0.0,
    }
    april = r["months"][-1]
    assert april["month"] == "2024-04"
    assert april["audits_completed"] == 19
    assert april["final_percent"] == {
        "outstanding": 0.0,
        "good": 36.8,
        "requires_improvement": 57.9,
        "inadequate": 5.3,
    }


def test_april_2024(published) -> None:
    r = report("2024-04", "2024-04")
    assert r["audits_completed"] == 19
    assert r["overall"]["final"] == {
        "outstanding": 0,
        "good": 7,
        "requires_improvement": 11,
        "inadequate": 1,
    }
    assert r["overall"]["final_percent"] == {
        "outstanding": 0.0,
        "good": 36.8,
        "requires_improvement": 57.9,
        "inadequate": 5.3,
    }
    assert r["domains"]["management_oversight"]["good_or_better_percent"] == 36.8
    assert r["domains"]["management_oversight"]["counts"]["good"] == 7


def test_april_2023_on_the_earlier_tool(published) -> None:
    r = report("2023-04", "2023-04")
    assert r["audits_completed"] == 11
    assert r["overall"]["final_percent"]["good"] == 9.1  # 1/11, published 9%
    assert r["domains"]["management_oversight"]["good_or_better_percent"] == 0.0
    # qaif-2022's own domains are reported beside the shared five.
    assert list(r["domains"])[:5] == [
        "assessment",
        "plans_and_planning",
        "child_centred_practice",
        "management_oversight",
        "permanence",
    ]
    assert "recording_quality" in r["domains"]


def test_management_oversight_trend_across_tool_versions(published) -> None:
    # One trend line across both tool versions: the key is shared.
    r = report("2023-04", "2024-04")
    assert r["audits_completed"] == 64
    months = {m["month"]: m for m in r["months"]}
    assert "2023-04" not in months  # the twelve months end at the period's end
    assert months["2024-04"]["domains_good_or_better_percent"]["management_oversight"] == 36.8
    # February and March after moderation: 7 Good of 34 (20.6%).
    assert r["overall"]["final"]["good"] == 1 + 7 + 7
