"""'% Good' beside 'good or better': in the JSON, the exports and the page, rounded as every
report percentage is (one decimal place, halves up)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from openpyxl import load_workbook

from qa_audit.report_filters import resolve_filters
from qa_audit.reports.exports import render
from qa_audit.reports.services import build_period_report
from tests import factories

# 8 audits: 3 Good, 1 Outstanding, 3 RI, 1 Inadequate -> 37.5% Good, 50.0% Good or better.
GRADES = ["good"] * 3 + ["outstanding"] + ["requires_improvement"] * 3 + ["inadequate"]


def _known_set() -> None:
    for day, grade in enumerate(GRADES, start=1):
        # The assessment domain graded Good in one audit of the eight, the others RI:
        # 1 of 8 = 12.5%.
        assessment = "good" if day == 1 else "requires_improvement"
        factories.audit(
            overall=grade, grades={"assessment": assessment}, submitted_on=date(2024, 4, day)
        )


def test_good_and_good_or_better_side_by_side_in_the_json(db) -> None:  # type: ignore[no-untyped-def]
    _known_set()
    report = build_period_report(resolve_filters("2024-04", "2024-04"))
    overall = report["overall"]
    assert (overall["good"], overall["good_percent"]) == (3, 37.5)
    assert (overall["good_or_better"], overall["good_or_better_percent"]) == (4, 50.0)
    # The same figure as the grade distribution's Good, never computed apart.
    assert overall["good_percent"] == overall["final_percent"]["good"]
    assert overall["as_audited_good_percent"] == 37.5
    plans = report["domains"]["plans_and_planning"]  # graded as the overall grade
    assert (plans["good"], plans["good_percent"], plans["good_or_better_percent"]) == (
        3,
        37.5,
        50.0,
    )
    assessment = report["domains"]["assessment"]
    assert (assessment["good_percent"], assessment["good_or_better_percent"]) == (12.5, 12.5)
    assert report["months"][-1]["good_percent"] == 37.5
    # The API and `qa-audit report` serve this same dict as JSON.
    assert json.loads(render(report, "json"))["overall"]["good_percent"] == 37.5


def test_good_percent_rounds_halves_up_as_the_report_does(db) -> None:  # type: ignore[no-untyped-def]
    # 1 Good of 16 = 6.25%: 6.3 as every report percentage (Python's round() gives 6.2).
    for day in range(1, 17):
        factories.audit(
            overall="good" if day == 1 else "requires_improvement",
            submitted_on=date(2024, 4, day),
        )
    report = build_period_report(resolve_filters("2024-04", "2024-04"))
    assert report["overall"]["good_percent"] == 6.3
    assert report["domains"]["assessment"]["good_percent"] == 6.3


def test_good_percent_in_the_csv_and_excel(db) -> None:  # type: ignore[no-untyped-def]
    _known_set()
    report = build_period_report(resolve_filters("2024-04", "2024-04"))
    rows = list(csv.reader(io.StringIO(render(report, "csv").decode("utf-8-sig"))))
    lines = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
    assert lines[("Summary", "Good (final) %", "Value")] == "37.5"
    assert lines[("Summary", "Good or better (final) %", "Value")] == "50.0"
    assert lines[("Domains", "Plans and Planning", "% Good")] == "37.5"
    assert lines[("Domains", "Plans and Planning", "Good or better %")] == "50.0"
    workbook = load_workbook(io.BytesIO(render(report, "xlsx")))
    values = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert values["Good (final) %"] == 37.5
    assert values["Good or better (final) %"] == 50.0
    head, *body = workbook["Domains"].iter_rows(values_only=True)
    plans = next(r for r in body if r[1] == "plans_and_planning")
    assert plans[head.index("% Good")] == 37.5
    assert plans[head.index("Good or better %")] == 50.0
