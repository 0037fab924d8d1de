"""The import's bounds: at most MAX_PROBLEMS problems kept (the rest counted), at most
IMPORT_MAX_ROWS rows and MAX_COLUMNS columns, each refused with a message naming the limit."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask import Flask

from bench.csv_sample import sample_header
from qa_audit.audit_import.contract import MAX_COLUMNS, MAX_LINE, MAX_PROBLEMS
from qa_audit.audit_import.services import AuditImportError, import_audits
from qa_audit.audits.models import Audit
from qa_audit.core.config import Config
from tests.factories.audit_import import count, csv_bytes, people, row

TODAY = date(2025, 10, 31)


def refused(data: bytes) -> AuditImportError:
    with pytest.raises(AuditImportError) as caught:
        import_audits(None, io.BytesIO(data), "audits.csv", today=TODAY)
    return caught.value


def test_past_a_thousand_problems_the_rest_are_counted_not_listed(db: object) -> None:
    people()
    before = count(Audit)
    rows = [row(overall_grade="", service_area="Fostring") for _ in range(700)]  # 1,400 problems
    error = refused(csv_bytes(rows))
    assert len(error.problems) == MAX_PROBLEMS == 1000
    assert error.more == 400
    assert error.problems[0].line == 2
    assert error.problems[-1].line == 501  # the first 500 bad lines, two problems each
    assert error.summary == (
        "The file has 1,400 problems: the first 1,000 are listed, and 400 more are not."
    )
    assert count(Audit) == before


def test_up_to_a_thousand_problems_the_summary_is_unchanged(db: object) -> None:
    people()
    error = refused(csv_bytes([row(overall_grade="") for _ in range(1000)]))
    assert len(error.problems) == 1000
    assert error.more == 0
    assert error.summary == "The file has 1,000 problems on 1,000 lines."


def test_more_rows_than_the_limit_are_refused_naming_it(
    app: Flask, db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    people()
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    before = count(Audit)
    error = refused(csv_bytes([row() for _ in range(4)]))
    assert [str(p) for p in error.problems] == [
        "line 5: the file has more than 3 audit rows, the most one import takes; split it "
        "into files of fewer rows and import each"
    ]
    assert count(Audit) == before


def test_exactly_the_row_limit_is_imported(
    app: Flask, db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    people()
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 3)
    before = count(Audit)
    result = import_audits(None, csv_bytes([row() for _ in range(3)]), "a.csv", today=TODAY)
    assert result.rows == 3
    assert count(Audit) == before + 3


def test_the_row_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QA_AUDIT_IMPORT_MAX_ROWS", raising=False)
    assert Config().IMPORT_MAX_ROWS == 50_000
    monkeypatch.setenv("QA_AUDIT_IMPORT_MAX_ROWS", "120")
    assert Config().IMPORT_MAX_ROWS == 120


def test_too_many_columns_are_refused_naming_the_limit(db: object) -> None:
    people()
    header = sample_header() + [f"extra{i}" for i in range(MAX_COLUMNS)]
    error = refused(csv_bytes([row()], header))
    assert len(error.problems) == 1
    assert str(error.problems[0]) == (
        f"line 1: the header row has {len(header):,} columns; an import takes at most 200 "
        "columns (the audit columns, a grade column for each domain and the moderation columns)"
    )


def test_an_overlong_line_is_refused_without_reading_it_whole(db: object) -> None:
    people()
    data = csv_bytes([row()]) + b"," * (MAX_LINE + 10) + b"\n"
    error = refused(data)
    assert [str(p) for p in error.problems] == [
        "line 3: the line is longer than 1,000,000 characters"
    ]


def test_a_bad_byte_deep_in_the_file_names_its_line(db: object) -> None:
    people()
    data = csv_bytes([row() for _ in range(30_000)])  # over the 1 MiB read in one go
    lines = data.split(b"\n")
    lines[25_000] = lines[25_000].replace(b"Good", b"Go\xe9d", 1)
    error = refused(b"\n".join(lines))
    assert [p.line for p in error.problems] == [25_001]
    assert "not UTF-8" in error.problems[0].message
