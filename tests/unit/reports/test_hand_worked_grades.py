"""The period report's counts and grades against figures worked out by hand (hand_worked.py):
audits completed, overall and domain grades, moderation and agreement."""

from __future__ import annotations

from tests.unit.reports.hand_worked import report


def test_audits_completed_and_overall_grades(audits) -> None:
    r = report()
    assert r["period"] == {"from": "2024-02", "to": "2024-04"}
    assert r["filters"] == {}
    assert r["audits_completed"] == 19
    overall = r["overall"]
    # Final: #1 and #14 down to RI, #9 up to Good, #18 up to RI.
    assert overall["final"] == {
        "outstanding": 1,
        "good": 6,
        "requires_improvement": 11,
        "inadequate": 1,
    }
    assert overall["final_percent"] == {
        "outstanding": 5.3,
        "good": 31.6,
        "requires_improvement": 57.9,
        "inadequate": 5.3,
    }
    assert overall["as_audited"] == {
        "outstanding": 1,
        "good": 7,
        "requires_improvement": 9,
        "inadequate": 2,
    }
    assert overall["as_audited_percent"] == {
        "outstanding": 5.3,
        "good": 36.8,
        "requires_improvement": 47.4,
        "inadequate": 10.5,
    }
    assert overall["good_or_better"] == 7
    assert overall["good_or_better_percent"] == 36.8
    assert r["few_audits"] is False


def test_moderation_is_counted_over_the_audits_of_the_period(audits) -> None:
    m = report()["moderation"]
    # #1 (moderated in May) #4 #5 #7 #9 #14 #18; #19 only selected.
    assert m["moderated"] == 7
    assert m["percent_moderated"] == 36.8
    assert (m["upheld"], m["upgraded"], m["downgraded"]) == (3, 2, 2)
    assert (m["upheld_percent"], m["upgraded_percent"], m["downgraded_percent"]) == (
        42.9,
        28.6,
        28.6,
    )
    by = m["by_original_grade"]
    assert by["outstanding"] == {
        "audits": 1,
        "moderated": 0,
        "percent_moderated": 0.0,
        "upheld": 0,
        "upgraded": 0,
        "downgraded": 0,
        "upheld_percent": None,
        "upgraded_percent": None,
        "downgraded_percent": None,
    }
    assert (by["good"]["audits"], by["good"]["moderated"], by["good"]["percent_moderated"]) == (
        7,
        3,
        42.9,
    )
    assert (by["good"]["upheld"], by["good"]["upgraded"], by["good"]["downgraded"]) == (1, 0, 2)
    assert (by["requires_improvement"]["moderated"], by["requires_improvement"]["audits"]) == (2, 9)
    assert by["requires_improvement"]["percent_moderated"] == 22.2
    assert by["inadequate"]["percent_moderated"] == 100.0
    assert (by["inadequate"]["upheld"], by["inadequate"]["upgraded"]) == (1, 1)
    assert m["reflective_conversations"] == {"due": 1, "done": 1, "overdue": 0, "available": True}


def test_a_moderation_in_a_later_month_counts_in_the_period_of_its_audit(audits) -> None:
    may = report(first="2024-05", last="2024-05")
    assert may["audits_completed"] == 0
    assert may["moderation"]["moderated"] == 0
    february = report(first="2024-02", last="2024-02")
    assert february["moderation"]["moderated"] == 3  # #1, #4, #5
    assert february["moderation"]["downgraded"] == 1  # #1, moderated on 10 May


def test_domains_final_grades_leave_not_applicable_out(audits) -> None:
    domains = report()["domains"]
    assert list(domains) == [
        "assessment",
        "plans_and_planning",
        "child_centred_practice",
        "management_oversight",
        "permanence",
    ]
    mo = domains["management_oversight"]
    assert mo["title"] == "Management Oversight and Supervision"
    assert mo["counts"] == {
        "outstanding": 0,
        "good": 6,
        "requires_improvement": 10,
        "inadequate": 3,
    }
    assert mo["percent"] == {
        "outstanding": 0.0,
        "good": 31.6,
        "requires_improvement": 52.6,
        "inadequate": 15.8,
    }
    assert (mo["graded"], mo["not_applicable"], mo["good_or_better_percent"]) == (19, 0, 31.6)
    assert mo["as_audited"] == {
        "outstanding": 0,
        "good": 6,
        "requires_improvement": 9,
        "inadequate": 4,
    }
    permanence = domains["permanence"]
    assert permanence["counts"] == {
        "outstanding": 1,
        "good": 7,
        "requires_improvement": 6,
        "inadequate": 2,
    }
    assert (permanence["graded"], permanence["not_applicable"]) == (16, 3)
    # 1/16 = 6.25 -> 6.3 (half away from zero; round() would give 6.2), 7/16 = 43.75 -> 43.8.
    assert permanence["percent"] == {
        "outstanding": 6.3,
        "good": 43.8,
        "requires_improvement": 37.5,
        "inadequate": 12.5,
    }
    assert permanence["good_or_better_percent"] == 50.0
    assessment = domains["assessment"]
    assert assessment["counts"] == {
        "outstanding": 1,
        "good": 6,
        "requires_improvement": 10,
        "inadequate": 2,
    }
    assert assessment["good_or_better_percent"] == 36.8
    assert domains["plans_and_planning"]["good_or_better_percent"] == 42.1


def test_agreement_between_auditors_and_moderators(audits) -> None:
    agreement = report()["agreement"]
    by = agreement["by_domain"]
    assert by["assessment"] == {
        "title": "Assessment",
        "moderated": 7,
        "agreed": 6,
        "agreed_percent": 85.7,
        "regraded_higher": 0,
        "regraded_lower": 1,
    }
    assert (by["management_oversight"]["agreed"], by["management_oversight"]["agreed_percent"]) == (
        4,
        57.1,
    )
    assert by["management_oversight"]["regraded_higher"] == 2
    assert by["management_oversight"]["regraded_lower"] == 1
    assert by["plans_and_planning"]["agreed_percent"] == 100.0
    assert agreement["overall"] == {"moderated": 7, "upheld": 3, "upheld_percent": 42.9}
