"""Optimistic concurrency for versioned records: a stale edit is told, never saved over."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from qa_audit.errors import ConcurrentEdit
from qa_audit.extensions import db


def check_version(record: Any, expected_version: int | None, what: str) -> None:
    """ConcurrentEdit if ``record`` changed since the form showing ``expected_version``."""
    if expected_version is not None and record.version != expected_version:
        raise ConcurrentEdit(
            f"Someone else changed this {what} since you opened it. "
            "Check its current state below and try again if it is still needed."
        )


def flush_or_conflict(what: str) -> None:
    """Flush; a write that lost a race with another save becomes ConcurrentEdit."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConcurrentEdit(
            f"Someone else changed this {what} at the same time. "
            "Reload the page to see its current state."
        ) from error
