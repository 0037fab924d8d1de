"""The report as a long ("tidy") CSV: one line per figure."""

from __future__ import annotations

import csv
import io
from typing import Any

from qa_audit.core.spreadsheets import safe_cell
from qa_audit.reports.exports.tables import report_tables


def to_csv(report: dict[str, Any]) -> str:
    """Long ("tidy") CSV: section, item, measure, value; one line per figure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["section", "item", "measure", "value"])
    for section, rows in report_tables(report).items():
        header, *body = rows
        for row in body:
            if len(header) == 1:
                writer.writerow([safe_cell(c) for c in (section, header[0], "", row[0])])
                continue
            for measure, value in zip(header[1:], row[1:], strict=False):
                writer.writerow([safe_cell(c) for c in (section, row[0], measure, value)])
    return buffer.getvalue()
