"""The data version: one number for the whole database that every transaction changing records
moves on, in that same transaction. Anything worked out from the records (the period report,
its charts) can be kept and reused for as long as the number has not moved.

How a change is noticed: the session holds a mark (``Session.info``) from the first change to
records until its transaction ends.
- ``note_change()`` sets it. ``qa_audit.changelog.services.record_change``, the one place every
  service's change passes through, calls it; so do the bulk writers that bypass record_change
  (the CSV importer, restoring a backup, loading the demo data).
- The session itself also sets it when it flushes a record or runs an INSERT, UPDATE or DELETE
  against a record's table, so that a write that is not logged (a sign-in, a test's factory)
  is counted too. Nothing parses SQL: the session knows what it flushes and executes.
- The bookkeeping tables (``EXCLUDED_TABLES``: who looked at or exported what, API token use,
  sign-in sessions' last-seen times, Alembic's and this table) never set it: every page view
  and API read writes them.
- Changes made inside ``unreported()`` never set it: a service wraps there what no figure
  worked out from the records can read (a draft audit's text and grades, which no report
  counts until the audit is submitted). When unsure, a service does not wrap it.

Just before the session's outermost commit (after its last flush) a marked session runs
``UPDATE data_version SET n = n + 1``: the last statement before COMMIT, so the row lock is held
for a moment. A rollback of the whole transaction drops the mark; rolling back to a savepoint
puts back the mark the session had when the savepoint began.

While the session holds a mark or unflushed changes to records, what it reads is not what
others see: ``holds_changes()`` tells the report cache to build afresh and keep nothing.

The listeners are registered on ``AppSession`` (and so on every session of the app) by
``init_app``, not when this module is imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from typing import Any

from flask import Flask
from sqlalchemy import BigInteger, CheckConstraint, Integer, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, SessionTransaction, mapped_column

from qa_audit.core.db import AppSession, Base
from qa_audit.core.extensions import db

TABLE = "data_version"
# Tables whose writes change nothing that is worked out from the records: the logs of who
# viewed or exported what (every download and API read writes these), API token use, sign-in
# sessions (a signed-in person's last-seen time is written as they browse).
EXCLUDED_TABLES = frozenset(
    {"access_log", "change_log", "api_token", "sign_in_session", TABLE, "alembic_version"}
)
BUMP = f"UPDATE {TABLE} SET n = n + 1 WHERE id = 1"

# Keys in Session.info: the mark; the mark as each open savepoint found it; the version read
# in this transaction (a later read in the same transaction could differ only on PostgreSQL,
# by another's commit: keeping the first is safe, as what is then built from the records is at
# least as new as it).
_MARK = "qa_audit.core.data_version.changed"
_SAVEPOINTS = "qa_audit.core.data_version.savepoints"
_VERSION = "qa_audit.core.data_version.version"
# How many ``unreported()`` blocks the session is inside.
_UNREPORTED = "qa_audit.core.data_version.unreported"
# Key in Connection.info (the pooled DBAPI connection's dictionary).
_HAS_TABLE = "qa_audit.core.data_version.has_table"


class DataVersion(Base):
    """The single row holding the database's data version."""

    __tablename__ = TABLE
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False)


def note_change(table: str | None = None, session: Session | None = None) -> None:
    """Mark the session's transaction as changing records (``table``, where known: a
    bookkeeping table is no change): the data version moves on when it commits."""
    session = session if session is not None else db.session()
    if table not in EXCLUDED_TABLES and not session.info.get(_UNREPORTED):
        session.info[_MARK] = True


@contextmanager
def unreported(session: Session | None = None) -> Iterator[None]:
    """Changes made (and flushed) inside this block do not move the data version: for what no
    figure worked out from the records can read. What the session held before is flushed
    first and counts as usual; what is left unflushed at the end counts when it is flushed."""
    session = session if session is not None else db.session()
    session.flush()
    session.info[_UNREPORTED] = session.info.get(_UNREPORTED, 0) + 1
    try:
        yield
    finally:
        session.info[_UNREPORTED] -= 1


def holds_changes(session: Session | None = None) -> bool:
    """Whether the session's transaction has changed records, or is about to (changes not yet
    flushed): what it reads then is not what is committed."""
    session = session if session is not None else db.session()
    if session.info.get(_MARK):
        return True
    return any(_is_record(record) for record in chain(session.new, session.deleted)) or any(
        _is_record(record) and session.is_modified(record) for record in session.dirty
    )


def current() -> int | None:
    """The data version as the request's session sees it (read once per transaction); None
    where this database has no data_version table yet (not migrated): then nothing may be
    reused."""
    session = db.session()
    if _VERSION in session.info:
        return session.info[_VERSION]
    version = (
        session.scalar(select(DataVersion.n).where(DataVersion.id == 1))
        if _has_table(session.connection())
        else None
    )
    session.info[_VERSION] = version
    return version


def init_app(app: Flask) -> None:
    """Watch every session of the app for changes and move the number on as they commit."""
    for name, listener in _LISTENERS:
        if not event.contains(AppSession, name, listener):
            event.listen(AppSession, name, listener)


# --- noticing changes -----------------------------------------------------------------------


def _is_record(instance: Any) -> bool:
    return getattr(instance, "__tablename__", None) not in EXCLUDED_TABLES


def _flushing(session: Session, flush_context: Any, instances: Any) -> None:
    if not session.info.get(_UNREPORTED) and holds_changes(session):
        session.info[_MARK] = True


def _executing(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        note_change(getattr(table, "name", None), state.session)


# --- moving the number on -------------------------------------------------------------------


def _committing(session: Session) -> None:
    """The outermost commit (a savepoint's release waits for it): flush, then count."""
    if session.in_nested_transaction():
        return
    session.flush()
    if session.info.pop(_MARK, False):
        connection = session.connection()
        if _has_table(connection):
            connection.exec_driver_sql(BUMP)


def _savepoint_began(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        session.info.setdefault(_SAVEPOINTS, {})[transaction] = bool(session.info.get(_MARK))


def _rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """Back to the state at the savepoint, the mark included; or, for the whole transaction,
    no mark at all."""
    if previous_transaction.nested:
        began = session.info.get(_SAVEPOINTS, {}).pop(previous_transaction, None)
        if began is not None:
            session.info[_MARK] = began
    else:
        _forget(session)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        _forget(session)


def _forget(session: Session) -> None:
    for key in (_MARK, _SAVEPOINTS, _VERSION):
        session.info.pop(key, None)


_LISTENERS: tuple[tuple[str, Any], ...] = (
    ("before_flush", _flushing),
    ("do_orm_execute", _executing),
    ("before_commit", _committing),
    ("after_transaction_create", _savepoint_began),
    ("after_soft_rollback", _rolled_back),
    ("after_transaction_end", _ended),
)


def _has_table(conn: Connection) -> bool:
    """Whether the database has the data_version table (a yes is remembered per connection;
    a no is looked up again, as a migration may create the table). Through the driver, so
    that it shows in no statement count."""
    info = conn.info
    if info.get(_HAS_TABLE):
        return True
    if conn.dialect.name == "sqlite":
        sql = f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'"
    elif conn.dialect.name == "postgresql":
        sql = f"SELECT 1 WHERE to_regclass('{TABLE}') IS NOT NULL"
    else:
        info[_HAS_TABLE] = True
        return True
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        found = cursor.fetchone() is not None
    finally:
        cursor.close()
    if found:
        info[_HAS_TABLE] = True
    return found
