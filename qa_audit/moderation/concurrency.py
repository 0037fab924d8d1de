"""Writing a versioned record that someone else saved meanwhile: ConcurrentEdit, never an
overwrite. PostgreSQL shows it as a stale version (StaleDataError); SQLite, whose snapshot of
the database is then out of date, refuses the write with SQLITE_BUSY_SNAPSHOT."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from qa_audit.core.errors import ConcurrentEdit
from qa_audit.core.extensions import db


def stale_snapshot(error: OperationalError) -> bool:
    """True when SQLite refused a write because another connection wrote since this one read."""
    original = error.orig
    return isinstance(original, sqlite3.OperationalError) and (
        getattr(original, "sqlite_errorname", "") == "SQLITE_BUSY_SNAPSHOT"
    )


def flush_or_concurrent_edit(message: str) -> None:
    """Flush now; raise ConcurrentEdit(message) if someone else saved the record meanwhile."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConcurrentEdit(message) from error
    except OperationalError as error:
        if stale_snapshot(error):
            raise ConcurrentEdit(message) from error
        raise
