"""The period report as files: CSV, Excel (one sheet per section), Word (the committee report
with the figures alone: committee.py makes it with the narrative, and as PDF) and JSON. Every
file is made from the same report dict, and the CSV and Excel from the same tables, so they
carry the same numbers as the page. Text
cells go through safe_cell (a cell starting = + - @ would run as a formula), and every text of
the report loses its control characters first: one stored before input was cleaned would make
Word or Excel refuse the whole file.

One module per format (csv.py, xlsx.py, docx.py, json.py) over the shared tables.py and
wording.py."""

from __future__ import annotations

from typing import Any

from qa_audit.core.spreadsheets import cleaned
from qa_audit.reports.exports.csv import to_csv
from qa_audit.reports.exports.docx import to_docx
from qa_audit.reports.exports.json import to_json
from qa_audit.reports.exports.tables import report_tables
from qa_audit.reports.exports.wording import figure, pct, share
from qa_audit.reports.exports.xlsx import to_xlsx

__all__ = [
    "CONTENT_TYPES",
    "figure",
    "filename",
    "pct",
    "render",
    "report_tables",
    "share",
    "to_csv",
    "to_docx",
    "to_json",
    "to_xlsx",
]

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


def filename(report: dict[str, Any], fmt: str) -> str:
    period = report["period"]
    span = (
        period["from"] if period["from"] == period["to"] else f"{period['from']}-to-{period['to']}"
    )
    area = report["filters"].get("service_area")
    return f"qa-report-{span}{'-' + area if area else ''}.{fmt}"


def render(report: dict[str, Any], fmt: str) -> bytes:
    """The report in one of the export formats, as bytes."""
    report = cleaned(report)
    if fmt == "json":
        return to_json(report).encode()
    if fmt == "csv":
        # A BOM so that Excel opens the UTF-8 CSV with the right characters.
        return ("\ufeff" + to_csv(report)).encode()
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "docx":
        return to_docx(report)
    raise ValueError(f"unknown report format {fmt!r}")
