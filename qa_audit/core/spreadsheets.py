"""Spreadsheet exports shared by every part: cells safe from formula injection and free of
control characters, and CSV text. (The record every export leaves behind is the access log's:
access_log.exports.)"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from qa_audit.core.request_input import clean_text

# A spreadsheet treats a cell starting with these as a formula (tab and CR too, per OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value ready for a CSV or Excel cell: text loses its control characters (stored before
    they were refused, they would make Excel refuse the file), and text that a spreadsheet would
    run as a formula gets a leading apostrophe; numbers stay numbers; None becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = clean_text(str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV (with a header row) whose every cell has gone through safe_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def cleaned(value: Any) -> Any:
    """``value`` (nested dicts and lists of it) with every text's control characters removed."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {cleaned(k): cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [cleaned(v) for v in value]
    return value
