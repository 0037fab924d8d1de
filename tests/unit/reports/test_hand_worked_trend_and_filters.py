"""The period report worked out by hand (hand_worked.py) over twelve months, narrowed by
filters, and for a period with no audits."""

from __future__ import annotations

from datetime import date

from tests import factories
from tests.factories import reports as make
from tests.unit.reports.hand_worked import report


def test_twelve_months_of_direction_of_travel(audits) -> None:
    months = report()["months"]
    assert [m["month"] for m in months] == [
        "2023-05",
        "2023-06",
        "2023-07",
        "2023-08",
        "2023-09",
        "2023-10",
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
    ]
    by_month = {m["month"]: m for m in months}
    assert by_month["2023-12"]["audits_completed"] == 0
    assert by_month["2023-12"]["good_or_better_percent"] is None
    assert by_month["2024-01"]["audits_completed"] == 1
    assert by_month["2024-01"]["final_percent"]["good"] == 100.0
    feb, mar, apr = by_month["2024-02"], by_month["2024-03"], by_month["2024-04"]
    assert feb["final"] == {"outstanding": 1, "good": 1, "requires_improvement": 3, "inadequate": 1}
    assert feb["good_or_better_percent"] == 33.3
    assert (feb["moderated"], feb["upheld"], feb["upheld_percent"]) == (3, 2, 66.7)
    assert mar["final"] == {"outstanding": 0, "good": 4, "requires_improvement": 2, "inadequate": 0}
    assert mar["final_percent"]["good"] == 66.7
    assert apr["final"] == {"outstanding": 0, "good": 1, "requires_improvement": 6, "inadequate": 0}
    assert apr["final_percent"] == {
        "outstanding": 0.0,
        "good": 14.3,
        "requires_improvement": 85.7,
        "inadequate": 0.0,
    }
    assert (apr["moderated"], apr["upheld_percent"]) == (2, 0.0)
    mo = {m["month"]: m["domains_good_or_better_percent"]["management_oversight"] for m in months}
    assert (mo["2024-01"], mo["2024-02"], mo["2024-03"], mo["2024-04"]) == (100.0, 33.3, 50.0, 14.3)
    assert mo["2023-05"] is None
    assert apr["domains_good_or_better"]["management_oversight"] == {
        "good_or_better": 1,
        "graded": 7,
    }
    assert sum(m["audits_completed"] for m in months) == 20


def test_filters_narrow_every_figure(audits) -> None:
    other = factories.audit(
        overall="outstanding", area_key="fostering", submitted_on=date(2024, 3, 1)
    )
    make.feedback(other, "child", "positive", "Fostering quote", consent=True)
    assert report()["audits_completed"] == 20
    locality = report(service_area="locality")
    assert locality["filters"] == {"service_area": "locality"}
    assert locality["audits_completed"] == 19
    assert "Fostering quote" not in str(locality)
    fostering = report(service_area="Fostering")
    assert fostering["audits_completed"] == 1
    assert fostering["few_audits"] is True
    assert fostering["overall"]["final_percent"]["outstanding"] == 100.0
    assert fostering["feedback"]["conversations"] == 1
    assert report(audit_type="closing_the_loop")["audits_completed"] == 0
    assert report(tool="qaif-2022")["audits_completed"] == 0
    assert report(tool="practice-principles-2024")["audits_completed"] == 20
    team = audits[1].team
    assert report(team=str(team.id))["audits_completed"] == 19
    assert report(team=team.name, service_area="locality")["filters"]["team"] == team.name


def test_an_empty_period_is_an_honest_empty_report(db) -> None:
    r = report(first="2031-01", last="2031-03")
    assert r["audits_completed"] == 0
    assert r["overall"]["final"] == {
        "outstanding": 0,
        "good": 0,
        "requires_improvement": 0,
        "inadequate": 0,
    }
    assert r["overall"]["final_percent"]["good"] is None
    assert r["domains"] == {}
    assert r["moderation"]["moderated"] == 0
    assert r["moderation"]["percent_moderated"] is None
    assert len(r["months"]) == 12
    assert all(m["audits_completed"] == 0 for m in r["months"])
    assert r["feedback"]["conversations"] == 0
    assert r["learning_themes"]["themes"] == []
    assert r["actions"]["total"] == 0
    assert r["actions"]["done_percent"] is None
    assert r["few_audits"] is True
