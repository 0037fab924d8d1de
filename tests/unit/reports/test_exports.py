"""The exports open (openpyxl, python-docx), hold the same numbers as the report, and are
safe from formula injection."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from qa_audit.learning_themes.models import LearningTheme
from qa_audit.report_filters import resolve_filters
from qa_audit.reports import exports
from qa_audit.reports.services import build_period_report
from tests import factories
from tests.factories import reports as make


@pytest.fixture
def report(db):  # type: ignore[no-untyped-def]
    # 3 Good, 4 RI (one moderated up to Good), 1 Inadequate; permanence N/A on two.
    grades = ["good"] * 3 + ["requires_improvement"] * 4 + ["inadequate"]
    rows = []
    for i, grade in enumerate(grades):
        na = {"permanence": "not_applicable"} if i in (0, 5) else {}
        rows.append(factories.audit(overall=grade, grades=na, submitted_on=date(2024, 3, 1 + i)))
    make.moderation(rows[3], "good")
    make.feedback(rows[0], "child", "positive", '=HYPERLINK("http://x")', consent=True)
    make.feedback(rows[1], "mother", "constructive", "-2 stars", consent=True)
    db.session.add(LearningTheme(name="@SUM(A1) theme", position=99))
    db.session.flush()
    make.theme(rows[0], "@SUM(A1) theme")
    return build_period_report(resolve_filters("2024-03", "2024-03"), today=date(2024, 4, 1))


def test_json_is_the_report(report) -> None:  # type: ignore[no-untyped-def]
    assert json.loads(exports.render(report, "json")) == report


def test_csv_has_every_figure_and_neutralises_formulas(report) -> None:  # type: ignore[no-untyped-def]
    text = exports.render(report, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "item", "measure", "value"]
    figures = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
    assert figures[("Overall grades", "Good", "Final")] == "4"
    assert figures[("Overall grades", "Good", "Final %")] == "50.0"  # 4 of 8
    assert figures[("Overall grades", "Requires improvement to be good", "Final %")] == "37.5"
    assert figures[("Domains", "Creating Stability and Permanence", "Not applicable")] == "2"
    # Permanence: #1, #2 Good (#0 N/A), #3 #4 #6 RI (#5 N/A; the moderation agreed the
    # domain), #7 Inadequate: 2 of 6.
    assert figures[("Domains", "Creating Stability and Permanence", "Good or better %")] == "33.3"
    assert figures[("Moderation", "All grades", "Upgraded")] == "1"
    for value in (r[1] for r in rows if r[0] in ("Learning themes", "Feedback")):
        assert not value.startswith(("=", "+", "-", "@")), value
    assert "'@SUM(A1) theme" in text
    assert "'-2 stars" in text
    assert "'=HYPERLINK" in text


def test_excel_has_one_sheet_per_section_with_the_same_numbers(report) -> None:  # type: ignore[no-untyped-def]
    workbook = load_workbook(io.BytesIO(exports.render(report, "xlsx")))
    assert workbook.sheetnames == [
        "Summary",
        "Overall grades",
        "Domains",
        "Moderation",
        "Agreement",
        "Direction of travel",
        "Feedback",
        "Learning themes",
        "Actions",
        "Dip samples",
        "Rota",
        "Confidence in grades",
    ]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Audits completed"] == report["audits_completed"] == 8
    overall = list(workbook["Overall grades"].iter_rows(min_row=2, values_only=True))
    assert overall[1] == ("Good", 4, 50.0, 3, 37.5)
    months = list(workbook["Direction of travel"].iter_rows(values_only=True))
    assert len(months) == 13
    assert months[-1][0] == "2024-03"
    assert months[-1][1] == 8
    themes = [row[0] for row in workbook["Learning themes"].iter_rows(values_only=True)]
    assert "'@SUM(A1) theme" in themes
    for sheet in workbook:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(("=", "+", "@"))), value


def test_word_has_headings_tables_and_charts(report) -> None:  # type: ignore[no-untyped-def]
    document = Document(io.BytesIO(exports.render(report, "docx")))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    # The order of the council's quarterly report to its committee, the figures after.
    assert headings == [
        "Audit judgements: the last 12 months (April 2023 to March 2024)",
        "Recent audit activity: March 2024",
        "Practice principles",
        "What children and their families are telling us",
        "Thematic dip sample audits completed",
        "The figures in full",
    ]
    tables = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert tables[-9:] == [
        "Audits completed and overall grades",
        "Grades by practice principle",
        "Moderation",
        "Agreement between auditors and moderators",
        "Confidence in grades",
        "Learning themes",
        "Actions",
        "Thematic dip samples",
        "Rota",
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Quality assurance audit report: March 2024" in text
    assert "Based on fewer than 10 audits — treat with caution." in text
    assert "Final grade Good or better: 4 of 8 (50.0%)" in text
    assert "1 of 8 (12.5%) of the period's audits were moderated" in text
    overall_table = document.tables[1]
    assert [c.text for c in overall_table.rows[2].cells] == [
        "Good",
        "4 of 8 (50.0%)",
        "3 of 8 (37.5%)",
    ]
    # Five pies and the two twelve-month charts.
    assert len(document.inline_shapes) == 7


def test_filename_names_the_period_and_area() -> None:
    report = {"period": {"from": "2024-02", "to": "2024-04"}, "filters": {"service_area": "fgc"}}
    assert exports.filename(report, "xlsx") == "qa-report-2024-02-to-2024-04-fgc.xlsx"


def test_figure_and_percent_wording() -> None:
    assert exports.figure(7, 19, 36.8) == "7 of 19 (36.8%)"
    assert exports.figure(0, 0, None) == "0 of 0"
    assert exports.pct(None) == "no graded items"
