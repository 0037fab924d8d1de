"""The record every export leaves behind: data protection asks that each is logged."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from qa_audit.access_log.models import AccessAction
from qa_audit.access_log.services import record_access
from qa_audit.auth.models import User
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db


def record_export(
    actor: User | None, what: str, *, file_format: str, rows: int, filters: dict[str, Any]
) -> ChangeLogEntry:
    """Log an export (who, when, what, which filters, how many rows): data protection asks
    that every export is recorded. ``what`` names the records, e.g. "action".

    Recorded twice: in the change log, and in the access log that the QA lead searches
    (there with the address and filters asked for; a ``reference`` filter names the record)."""
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
        after={"format": file_format, "rows": rows, "filters": kept},
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
