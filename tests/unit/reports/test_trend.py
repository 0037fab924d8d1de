"""The direction of travel over any span: from a month asked for or since the first audit,
counted the same way as the twelve months, and the changes of audit tool within the span."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from qa_audit.core.errors import DomainError
from qa_audit.report_filters import months_between, resolve_filters
from qa_audit.reports.exports import render, report_tables
from qa_audit.reports.services import build_period_report
from qa_audit.reports.trend import tool_changes
from tests import factories

# (submitted on, tool, overall grade): audits under the old tool from its launch (October
# 2022), then under the new one from April 2024, with gaps of months holding no audit.
HISTORY = [
    (date(2022, 11, 3), "qaif-2022", "good"),
    (date(2022, 11, 20), "qaif-2022", "requires_improvement"),
    (date(2023, 1, 9), "qaif-2022", "outstanding"),
    (date(2023, 6, 14), "qaif-2022", "inadequate"),
    (date(2023, 6, 15), "qaif-2022", "good"),
    (date(2023, 6, 30), "qaif-2022", "good"),
    (date(2024, 2, 1), "qaif-2022", "requires_improvement"),
    (date(2024, 4, 2), "practice-principles-2024", "good"),
    (date(2024, 4, 29), "practice-principles-2024", "outstanding"),
    (date(2024, 5, 7), "practice-principles-2024", "requires_improvement"),
]


@pytest.fixture
def history(db):  # type: ignore[no-untyped-def]
    for submitted_on, tool, grade in HISTORY:
        factories.audit(overall=grade, tool_key=tool, submitted_on=submitted_on)
    # Drafts never count, so a draft started before the first audit moves nothing.
    factories.audit(overall=None, status="draft", submitted_on=date(2022, 10, 5))
    db.session.flush()
    return HISTORY


def test_since_the_first_audit_the_months_match_an_independent_count(history) -> None:  # type: ignore[no-untyped-def]
    report = build_period_report(resolve_filters("2024-04", "2024-05", trend_from="first"))
    months = report["months"]
    # From the first submitted audit's month to the period's end, every month present.
    assert [m["month"] for m in months] == months_between("2022-11", "2024-05")
    assert len(months) == 19
    audits = Counter(d.strftime("%Y-%m") for d, _, _ in history)
    good_or_better = Counter(
        d.strftime("%Y-%m") for d, _, g in history if g in ("outstanding", "good")
    )
    good = Counter(d.strftime("%Y-%m") for d, _, g in history if g == "good")
    for m in months:
        assert m["audits_completed"] == audits[m["month"]], m["month"]
        assert m["graded"] == audits[m["month"]]
        assert m["final"]["good"] + m["final"]["outstanding"] == good_or_better[m["month"]]
        assert m["final"]["good"] == good[m["month"]]
    # June 2023: 2 Good of 3 = 66.7% Good and Good or better.
    june = next(m for m in months if m["month"] == "2023-06")
    assert (june["good_percent"], june["good_or_better_percent"]) == (66.7, 66.7)
    assert sum(m["audits_completed"] for m in months) == len(history)
    trend = report["trend"]
    assert (trend["from"], trend["to"], trend["months"]) == ("2022-11", "2024-05", 19)
    assert trend["basis"] == "since_first_audit"
    # The period's own figures are those of April and May alone, whatever the span.
    assert report["audits_completed"] == 3


def test_the_span_from_a_month_extends_the_series_and_keeps_the_months_keys(history) -> None:  # type: ignore[no-untyped-def]
    default = build_period_report(resolve_filters("2024-04", "2024-05"))
    longer = build_period_report(resolve_filters("2024-04", "2024-05", trend_from="2022-10"))
    assert len(default["months"]) == 12
    assert default["trend"]["basis"] == "last_12_months"
    assert [m["month"] for m in longer["months"]][:2] == ["2022-10", "2022-11"]
    assert len(longer["months"]) == 20
    # The months they share are identical: the span changes no month's figures.
    shared = {m["month"]: m for m in longer["months"]}
    for m in default["months"]:
        assert set(m) == set(shared[m["month"]])
        assert m == shared[m["month"]]
    assert longer["trend"]["basis"] == "from_month"
    # Nothing else of the report moves with the span.
    for key in ("overall", "domains", "moderation", "feedback", "actions"):
        assert longer[key] == default[key]


def test_the_tool_change_is_noted_exactly_when_the_span_crosses_it(history) -> None:  # type: ignore[no-untyped-def]
    note = (
        "The audit tool changed in April 2024 (Practice Principles Audit Tool): figures "
        "before and after may not be comparable."
    )
    crossing = build_period_report(resolve_filters("2024-04", "2024-05"))
    assert [c["note"] for c in crossing["trend"]["tool_changes"]] == [note]
    assert crossing["trend"]["tool_changes"][0]["month"] == "2024-04"
    assert crossing["trend"]["tool_changes"][0]["tool"] == "practice-principles-2024"
    # From the launch of the first tool, both launches are in or before the first month...
    since_launch = build_period_report(resolve_filters("2024-04", "2024-05", trend_from="2022-10"))
    # ...so only the later change is within the span.
    assert [c["month"] for c in since_launch["trend"]["tool_changes"]] == ["2024-04"]
    # Starting at the new tool's launch, or ending before it: no change within the span.
    starting_at = build_period_report(resolve_filters("2024-05", "2024-05", trend_from="2024-04"))
    before = build_period_report(resolve_filters("2024-01", "2024-03"))
    one_tool = build_period_report(
        resolve_filters("2024-04", "2024-05", tool="practice-principles-2024")
    )
    for report in (starting_at, before, one_tool):
        assert report["trend"]["tool_changes"] == []
    # The exports carry the note as well.
    summary = dict((row[0], row[1]) for row in report_tables(crossing)["Summary"][1:])
    assert summary["Audit tool changed"] == note
    assert note in render(crossing, "csv").decode()
    assert "Audit tool changed" not in render(before, "csv").decode()


def test_tool_changes_rule() -> None:
    launches = [("a-2020", "A", date(2020, 1, 1)), ("b-2024", "B", date(2024, 4, 15))]
    months = months_between("2023-05", "2024-04")
    assert [c["tool"] for c in tool_changes(months, launches, one_tool=False)] == ["b-2024"]
    assert tool_changes(months, launches, one_tool=True) == []
    assert tool_changes(months_between("2024-04", "2024-06"), launches, one_tool=False) == []
    assert tool_changes(months_between("2024-05", "2024-06"), launches, one_tool=False) == []


@pytest.mark.parametrize(
    ("trend_from", "message"),
    [
        ("2024-06", "The direction of travel must start in or before the end month"),
        ("2024-13", "must be a real month written as YYYY-MM"),
        ("1990-01", "The direction of travel covers at most 240 months"),
    ],
)
def test_a_wrong_start_is_refused_on_its_field(db, trend_from, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        resolve_filters("2024-04", "2024-05", trend_from=trend_from)
    assert error.value.field == "trend_from"
    assert message in error.value.message


def test_since_the_first_audit_with_no_audits_is_the_twelve_months(db) -> None:  # type: ignore[no-untyped-def]
    filters = resolve_filters("2024-04", "2024-05", trend_from="first")
    assert filters.trend_from is None
    assert len(build_period_report(filters)["months"]) == 12
