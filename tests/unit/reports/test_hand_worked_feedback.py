"""The period report's feedback, learning themes and actions against figures worked out by
hand (hand_worked.py), and the quotes a viewer does not get."""

from __future__ import annotations

from qa_audit.report_filters import ReportAccess, resolve_filters
from qa_audit.reports.services import build_period_report
from tests.unit.reports.hand_worked import TODAY, report


def test_feedback_counts_fathers_apart_and_quotes_only_with_consent(audits) -> None:
    feedback = report()["feedback"]
    assert feedback["conversations"] == 7
    assert feedback["children_and_young_people"] == 2
    assert feedback["care_experienced_adults"] == 1
    assert feedback["parents_and_carers"] == 2  # mother and foster carer; fathers apart
    assert feedback["fathers"] == 2
    assert (feedback["positive"], feedback["positive_percent"]) == (4, 57.1)
    assert (feedback["constructive"], feedback["constructive_percent"]) == (3, 42.9)
    assert feedback["consented_to_quote"] == 3
    assert (feedback["audits_with_feedback"], feedback["audits_with_feedback_percent"]) == (7, 36.8)
    assert [q["said"] for q in feedback["quotes"]] == [
        "I wish someone had explained my plan.",
        "My worker always calls back.",
        "I feel listened to now.",
    ]
    assert feedback["quotes"][0] == {
        "who": "care_experienced_adult",
        "who_label": "Care-experienced adult",
        "tone": "constructive",
        "said": "I wish someone had explained my plan.",
    }


def test_viewers_get_no_quotes(audits) -> None:
    filters = resolve_filters("2024-02", "2024-04")
    r = build_period_report(filters, ReportAccess(quotes=False, case_level=False), today=TODAY)
    assert r["feedback"]["quotes"] == []
    assert r["feedback"]["quotes_withheld"] is True
    assert r["feedback"]["consented_to_quote"] == 3
    assert "DRAFT QUOTE" not in str(r)
    assert "I feel listened to now." not in str(r)


def test_learning_themes_this_period_against_the_period_before(audits) -> None:
    themes = report()["learning_themes"]
    assert themes["period"] == {"from": "2024-02", "to": "2024-04", "audits": 19}
    assert themes["earlier_period"] == {"from": "2023-11", "to": "2024-01", "audits": 1}
    assert themes["themes"] == [
        {
            "theme": "Drift and delay",
            "count": 3,
            "percent_of_audits": 15.8,
            "earlier_count": 1,
            "earlier_percent_of_audits": 100.0,
            "change": 2,
        },
        {
            "theme": "Fathers and significant males not engaged",
            "count": 1,
            "percent_of_audits": 5.3,
            "earlier_count": 1,
            "earlier_percent_of_audits": 100.0,
            "change": 0,
        },
        {
            "theme": "Plans not SMART",
            "count": 1,
            "percent_of_audits": 5.3,
            "earlier_count": 0,
            "earlier_percent_of_audits": 0.0,
            "change": 1,
        },
    ]


def test_actions_open_overdue_done(audits) -> None:
    actions = report()["actions"]
    assert actions == {
        "total": 4,
        "done": 1,
        "open": 3,
        "overdue": 2,
        "as_of": "2024-05-20",
        "done_percent": 25.0,
        "open_percent": 75.0,
        "overdue_percent": 50.0,
    }
