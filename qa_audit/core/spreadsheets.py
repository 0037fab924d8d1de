"""Spreadsheet exports shared by every part: cells safe from formula injection, CSV text, and
the change-log record that every export leaves behind."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from qa_audit.auth.models import User
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db

# A spreadsheet treats a cell starting with these as a formula (tab and CR too, per OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value ready for a CSV or Excel cell: text that a spreadsheet would run as a formula
    gets a leading apostrophe; numbers stay numbers; None becomes an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
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


def record_export(
    actor: User | None, what: str, *, file_format: str, rows: int, filters: dict[str, Any]
) -> ChangeLogEntry:
    """Log an export (who, when, what, which filters, how many rows): data protection asks
    that every export is recorded. ``what`` names the records, e.g. "action".

    Recorded twice: in the change log, and in the access log that the QA lead searches
    (there with the address and filters asked for; a ``reference`` filter names the record)."""
    from qa_audit.access_log.models import AccessAction
    from qa_audit.access_log.services import record_access

    kept = {k: v for k, v in filters.items() if v not in (None, "", False)}
    record_access(
        actor,
        AccessAction.EXPORTED,
        what,
        str(kept.get("reference") or "export"),
        {"format": file_format, "rows": rows, "filters": _plain_filters(kept)},
    )
    entry = ChangeLogEntry(
        actor_id=actor.id if actor is not None else None,
        action=f"{what}.exported",
        entity_type=what,
        entity_id="export",
        before=None,
        after={
            "format": file_format,
            "rows": rows,
            "filters": {k: v for k, v in filters.items() if v not in (None, "", False)},
        },
    )
    db.session.add(entry)
    return entry


def _plain_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Filters as JSON-ready values (dates as ISO text, anything else unusual as text)."""
    return {
        str(k): v
        if isinstance(v, str | int | float | bool)
        else v.isoformat()
        if isinstance(v, datetime | date)
        else str(v)
        for k, v in filters.items()
    }
