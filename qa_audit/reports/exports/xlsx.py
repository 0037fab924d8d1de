"""The report as an Excel workbook, one sheet per section."""

from __future__ import annotations

import io
from typing import Any

from qa_audit.core.spreadsheets import safe_cell
from qa_audit.reports.exports.tables import report_tables


def to_xlsx(report: dict[str, Any]) -> bytes:
    """An Excel workbook with one sheet per section; numbers stay numbers."""
    # openpyxl takes a quarter of a second to import: paid by the first workbook, not by every
    # start of the application and the command line.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for section, rows in report_tables(report).items():
        sheet = workbook.create_sheet(section[:31])
        for row in rows:
            sheet.append([safe_cell(c) if c is not None else None for c in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
