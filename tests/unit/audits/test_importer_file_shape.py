"""The CSV import refuses a file of the wrong shape: header problems, moderation columns
apart, a grade column missing, a column twice, semicolons, not UTF-8, empty."""

from __future__ import annotations

import pytest

from bench.csv_sample import sample_header
from tests.factories.audit_import import (
    csv_bytes,
    people,
    row,
    without,
)
from tests.unit.audits.importing import refused


def test_header_problems_are_reported_on_line_1(db: object) -> None:
    people()
    header = [*without(sample_header(), "tool", "team"), "auditor", "grade:wellbeing"]
    error = refused(csv_bytes([row()], header))
    assert error.lines == [1]
    messages = [p.message for p in error.problems]
    assert messages[0].startswith("unknown column 'auditor'; the columns are audit_ref, case_ref")
    assert messages[1].startswith(
        "unknown column 'grade:wellbeing': no audit tool has a domain 'wellbeing'"
    )
    assert messages[2] == "missing columns: team, tool"


def test_moderation_columns_come_together(db: object) -> None:
    people()
    header = without(sample_header(), "moderated_on")
    error = refused(csv_bytes([row()], header))
    assert [str(p) for p in error.problems] == [
        "line 1: missing column: moderated_on (the moderation columns moderator_email, "
        "moderated_on and moderated_overall_grade come together)"
    ]


def test_a_grade_column_the_used_tool_needs_is_missing(db: object) -> None:
    people()
    header = without(sample_header(), "grade:voice_of_the_child", "grade:recording_quality")
    rows = [row(), row(tool="qaif-2022", submitted_on="2023-01-05"), row(tool="qaif-2022")]
    error = refused(csv_bytes(rows, header))
    assert [str(p) for p in error.problems] == [
        "line 1: no columns grade:recording_quality, grade:voice_of_the_child, which tool "
        "qaif-2022 needs (it is used on 2 rows, first on line 3)"
    ]


def test_duplicate_column(db: object) -> None:
    people()
    header = [*sample_header(), "case_ref"]
    error = refused(csv_bytes([row()], header))
    assert error.problems[0].message.startswith("column 'case_ref' appears twice (columns 2 and")


def test_semicolon_separated_file(db: object) -> None:
    people()
    error = refused(b"audit_ref;case_ref;service_area\nA;CR1234;locality\n")
    assert "the values are separated by ';': save the file as CSV with commas" in [
        p.message for p in error.problems
    ]


def test_not_utf8(db: object) -> None:
    people()
    data = csv_bytes([row(), row(team="Caf\u00e9 Team")], encoding="latin-1")
    error = refused(data)
    assert [str(p) for p in error.problems] == [
        "line 3: the file is not UTF-8 text; in Excel use Save As and choose "
        "'CSV UTF-8 (Comma delimited)'"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the first line must be the header row (the file is empty)"),
        (b"\n\n", "the first line must be the header row (the file is empty)"),
        (",".join(sample_header()).encode() + b"\n", "the file has a header row but no audits"),
    ],
)
def test_empty_files(db: object, data: bytes, message: str) -> None:
    error = refused(data)
    assert [str(p) for p in error.problems] == [f"line 1: {message}"]
