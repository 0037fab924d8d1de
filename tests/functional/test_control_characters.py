"""Control characters: dropped from whatever a page is sent, and cleaned from every download,
so text stored before they were dropped cannot make a Word or Excel file fail."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from docx import Document
from flask import Flask, request
from openpyxl import load_workbook

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from qa_audit.core.request_input import clean_text
from qa_audit.core.spreadsheets import csv_text, safe_cell
from qa_audit.dip_samples.models import DipSample
from tests import factories
from tests.factories import reports as make

PERIOD = {"from": "2024-02", "to": "2024-04"}
QUOTE = "Bell\x01 rang\x0b twice\x1f"
TITLE = "S47\x01 decisions\x08"

# The suite's per-test fixtures expect the app, even for the tests that do not use it.
pytestmark = pytest.mark.usefixtures("app")


def test_clean_text_keeps_tab_and_newline_only() -> None:
    every_control = "".join(chr(c) for c in range(32))
    assert clean_text(f"a{every_control}b") == "a\t\nb"
    assert clean_text("line one\r\nline two\rthree") == "line one\nline twothree"
    assert clean_text("Zoë — “ok” ٣\x7f") == "Zoë — “ok” ٣\x7f"


def test_form_fields_and_query_values_lose_control_characters(app: Flask) -> None:
    with app.test_request_context(
        "/?q=a%01b%0Dc&k%1Fey=v", method="POST", data={"said": "x\x02y\r\nz\x00", "n\x1b": "1"}
    ):
        assert request.args.to_dict() == {"q": "abc", "key": "v"}
        assert request.form.to_dict() == {"said": "xy\nz", "n": "1"}


def test_spreadsheet_cells_lose_control_characters() -> None:
    assert safe_cell("a\x01b") == "ab"
    assert safe_cell("\x01=SUM(A1)") == "'=SUM(A1)"
    assert csv_text(["h\x02"], [["v\x03"]]) == "h\r\nv\r\n"


def test_downloads_succeed_with_control_characters_stored_in_the_database(
    client,
    login_as,
    db,  # type: ignore[no-untyped-def]
) -> None:
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor, overall="good", submitted_on=date(2024, 3, 10))
    make.feedback(audit, "child", "positive", QUOTE, consent=True)
    _db.session.add(
        DipSample(
            title=TITLE,
            period_from="2024-02",
            period_to="2024-04",
            sample_unit="families",
            sample_size=5,
            status="completed",
            completed_on=date(2024, 3, 20),
            created_by_id=auditor.id,
        )
    )
    _db.session.commit()
    login_as(Role.QA_LEAD)

    responses = {
        fmt: client.get(f"/reports/download.{fmt}", query_string=PERIOD)
        for fmt in ("csv", "xlsx", "docx", "json")
    }
    assert {fmt: r.status_code for fmt, r in responses.items()} == dict.fromkeys(responses, 200)

    workbook = load_workbook(io.BytesIO(responses["xlsx"].data))
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert "S47 decisions" in cells
    document = Document(io.BytesIO(responses["docx"].data))
    words = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Bell rang twice" in words
    assert "S47 decisions" in words
    report = json.loads(responses["json"].data)
    assert [s["title"] for s in report["dip_samples"]] == ["S47 decisions"]
    csv_body = responses["csv"].data.decode("utf-8-sig")
    assert "S47 decisions" in csv_body
    assert not any(chr(c) in csv_body + words for c in (*range(9), *range(11, 13), *range(14, 32)))
