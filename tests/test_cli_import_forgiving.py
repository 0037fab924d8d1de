"""`qa-audit import audits`: an Excel workbook (.xlsx) read directly, and a dry run that shows
what would be imported before anything is (issue 16, forgiving imports)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import Workbook

from bench.csv_sample import sample_header
from qa_audit.audits.models import Audit
from qa_audit.core.extensions import db as database
from tests.factories.audit_import import MODERATOR, count, csv_bytes, people, row


@pytest.fixture
def runner(app: Flask, db: object) -> FlaskCliRunner:
    return app.test_cli_runner()


def _workbook(path: Path, rows: list[dict[str, object]], header: list[str] | None = None) -> None:
    columns = header or sample_header()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(columns)
    for values in rows:
        sheet.append([values.get(c) for c in columns])
    book.save(path)


def test_an_excel_workbook_is_imported_directly(runner: FlaskCliRunner, tmp_path: Path) -> None:
    people()
    path = tmp_path / "history.xlsx"
    # A date cell, as Excel stores a date typed into it.
    dated: dict[str, object] = {**row(audit_ref="XL-1"), "submitted_on": date(2024, 3, 15)}
    _workbook(path, [dated, row(audit_ref="XL-2", submitted_on="15/3/2024")])
    before = count(Audit)
    result = runner.invoke(args=["import", "audits", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Imported 2 audits (0 with moderation) from {path}\n"
    assert count(Audit) == before + 2


def test_a_workbooks_bad_rows_are_named_by_row_number(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    people()
    path = tmp_path / "history.xlsx"
    _workbook(path, [row(), row(overall_grade="Goodish"), row(), row(service_area="Atlantis")])
    before = count(Audit)
    result = runner.invoke(args=["import", "audits", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("line 3: overall_grade: 'Goodish' is not a grade")
    assert lines[1].startswith("line 5: unknown service area 'Atlantis'")
    assert "Nothing was imported." in lines
    assert count(Audit) == before


def test_a_file_that_is_not_a_workbook_is_refused(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "history.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = runner.invoke(args=["import", "audits", str(path)])
    assert result.exit_code == 1
    assert "the file is not an Excel workbook that can be read (.xlsx)" in result.stderr


def test_a_dry_run_shows_what_would_be_imported_and_imports_nothing(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    people()
    database.session.commit()  # the dry run rolls back what is not committed
    path = tmp_path / "history.csv"
    path.write_bytes(
        csv_bytes(
            [
                row(audit_ref="DRY-1", submitted_on="10/05/2024"),
                row(
                    audit_ref="DRY-2", submitted_on="2024-05-20", service_area="fostering", team=""
                ),
                row(
                    audit_ref="DRY-3",
                    submitted_on="3/6/2024",
                    moderator_email=MODERATOR,
                    moderated_on="4/6/2024",
                    moderated_overall_grade="RI",
                ),
            ]
        )
    )
    before = count(Audit)
    result = runner.invoke(args=["import", "audits", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"Would import 3 audits (1 with moderation) from {path}. Nothing has been imported."
    )
    assert lines[1] == "Month    Audits  Service area"
    assert lines[2] == "2024-05       1  Fostering"
    assert lines[3].startswith("2024-05       1  Locality")
    assert lines[4].startswith("2024-06       1  Locality")
    assert any(
        line.startswith("line 4: DRY-3, ")
        and "submitted 3 June 2024, Good, moderated Requires improvement to be good" in line
        for line in lines
    )
    assert count(Audit) == before
    done = runner.invoke(args=["import", "audits", str(path)])
    assert done.exit_code == 0, done.output
    assert count(Audit) == before + 3
