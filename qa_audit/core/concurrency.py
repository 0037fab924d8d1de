"""Optimistic concurrency for versioned records: a stale edit is told, never saved over.

Two ways a save can be stale: the form was opened on an older version (``check_version``),
or another save won the race while this one ran (``flush_or_conflict``). PostgreSQL shows the
race as a stale version (StaleDataError); SQLite, whose snapshot is then out of date, refuses
the write with SQLITE_BUSY_SNAPSHOT. Either way the person gets ConcurrentEdit."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from qa_audit.core.errors import ConcurrentEdit
from qa_audit.core.extensions import db


def stale_message(what: str) -> str:
    return (
        f"Someone else changed this {what} since you opened it. "
        "Check its current state below and try again if it is still needed."
    )


def race_message(what: str) -> str:
    return (
        f"Someone else changed this {what} at the same time. "
        "Reload the page to see its current state."
    )


def check_version(
    record: Any,
    expected_version: int | None,
    what: str,
    *,
    message: str | None = None,
    field: str | None = None,
) -> None:
    """ConcurrentEdit if ``record`` changed since the form showing ``expected_version``.

    None means the caller holds no version (a new record, the command line): nothing to
    compare. Forms that must carry one (VersionedForm with ``required``) refuse a blank one."""
    if expected_version is not None and record.version != expected_version:
        raise ConcurrentEdit(message or stale_message(what), field)


def stale_snapshot(error: OperationalError) -> bool:
    """True when SQLite refused a write because another connection wrote since this one read."""
    original = error.orig
    return isinstance(original, sqlite3.OperationalError) and (
        getattr(original, "sqlite_errorname", "") == "SQLITE_BUSY_SNAPSHOT"
    )


def flush_or_conflict(what: str, *, message: str | None = None, field: str | None = None) -> None:
    """Flush; a write that lost a race with another save becomes ConcurrentEdit."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConcurrentEdit(message or race_message(what), field) from error
    except OperationalError as error:
        if stale_snapshot(error):
            raise ConcurrentEdit(message or race_message(what), field) from error
        raise
