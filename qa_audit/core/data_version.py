"""The data version: one number for the whole database that every transaction changing records
moves on, in that same transaction. Anything worked out from the records (the period report,
its charts) can be kept and reused for as long as the number has not moved.

How a change is noticed, whatever wrote it (ORM flush, ``session.execute(insert/update/
delete)``, the CSV importer's bulk inserts, command-line commands):
- every INSERT, UPDATE or DELETE sent to the database marks its DBAPI connection as holding
  an unrecorded change (``Connection.info``, which lives with the pooled connection), unless
  it writes only a bookkeeping table (``EXCLUDED_TABLES``: who looked at or exported what,
  API token use, Alembic's and this table);
- just before a session commits (after its last flush) a marked connection runs
  ``UPDATE data_version SET n = n + 1`` and loses its mark: the last statement before COMMIT,
  so the row lock is held for a moment;
- a connection used without a session (Core, ``engine.begin()``) does the same as it commits;
- a rollback drops the mark; rolling back to a savepoint puts back the mark it had when the
  savepoint began (the rolled-back part may have held a bump for earlier writes).

Migrations (transactions writing ``alembic_version``) do not move the number: the table may not
exist yet, and a deployment restarts the processes whose caches it would invalidate.
Writes that bypass SQLAlchemy's cursor (psycopg's COPY) must call ``note_change``.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Integer, event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column
from sqlalchemy.pool import Pool

from qa_audit.core.db import Base

TABLE = "data_version"
# Tables whose writes change nothing that is worked out from the records: the logs of who
# viewed or exported what (every download and API read writes these), API token use.
EXCLUDED_TABLES = frozenset({"access_log", "change_log", "api_token", TABLE, "alembic_version"})
BUMP = f"UPDATE {TABLE} SET n = n + 1 WHERE id = 1"

# Keys in Connection.info (the pooled DBAPI connection's dictionary).
_PENDING = "qa_audit.core.data_version.pending"  # a change not yet counted
_MIGRATING = "qa_audit.core.data_version.migrating"  # this transaction is a migration
_SAVEPOINTS = "qa_audit.core.data_version.savepoints"  # [[name, _PENDING when it began], …]
_HAS_TABLE = "qa_audit.core.data_version.has_table"  # the table was seen on this connection
# Keys in Session.info: the connections the session's transaction is using; the version
# read in that transaction. (A later read in the same transaction could differ only on
# PostgreSQL, by another's commit: keeping the first is safe, as what is then built from the
# records is at least as new as it.)
_CONNECTIONS = "qa_audit.core.data_version.connections"
_VERSION = "qa_audit.core.data_version.version"

_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|REPLACE|WITH|MERGE|TRUNCATE|COPY)\b", re.I)
_NAME = r"((?:\"[^\"]+\"|\w+)(?:\s*\.\s*(?:\"[^\"]+\"|\w+))?)"
_TARGET = re.compile(
    r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|(?<!FOR )UPDATE(?:\s+OR\s+\w+)?(?:\s+ONLY)?"
    r"|DELETE\s+FROM(?:\s+ONLY)?|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?(?:\s+ONLY)?)\s+" + _NAME,
    re.I,
)
_COPY_FROM = re.compile(r"\s*COPY\s+" + _NAME + r"\s*(?:\([^)]*\))?\s+FROM\b", re.I)


class DataVersion(Base):
    """The single row holding the database's data version."""

    __tablename__ = TABLE
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False)


def written_table(statement: str) -> str | None:
    """The table an INSERT, UPDATE, DELETE (or COPY … FROM) statement writes, unquoted and
    without its schema; None for a statement that writes nothing (or "?" if it cannot tell)."""
    if _WRITE.match(statement) is None:
        return None
    copy = _COPY_FROM.match(statement)
    if copy is not None:
        found = copy
    elif statement.lstrip()[:4].upper() == "COPY":
        return None  # COPY … TO: a read
    else:
        found = _TARGET.search(statement)  # type: ignore[assignment]
        if found is None:
            # A WITH … SELECT reads; any other statement that starts like a write, writes.
            return None if statement.lstrip()[:4].upper() == "WITH" else "?"
    return found.group(1).split(".")[-1].strip().strip('"').lower()


def note_change(connection: Connection) -> None:
    """Mark ``connection``'s transaction as changing records (for writes that SQLAlchemy does
    not see, such as psycopg's COPY): the data version moves on when it commits."""
    connection.info[_PENDING] = True


def current() -> int | None:
    """The data version as the request's session sees it (read once per transaction); None
    where this database has no data_version table yet (not migrated): then nothing may be
    reused."""
    from qa_audit.core.extensions import db

    session = db.session()
    if _VERSION in session.info:
        return session.info[_VERSION]  # type: ignore[no-any-return]
    connection = session.connection()
    version = (
        session.scalar(select(DataVersion.n).where(DataVersion.id == 1))
        if _has_table(connection)
        else None
    )
    session.info[_VERSION] = version
    return version


# --- noticing writes ----------------------------------------------------------------------


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(  # type: ignore[no-untyped-def]
    conn, cursor, statement, parameters, context, executemany
):
    if _WRITE.match(statement) is None:  # the common case, a SELECT: cheap
        if statement.startswith("SAVEPOINT "):
            # The savepoint event is told no name when SQLAlchemy makes one up: learn it here.
            stack = conn.info.get(_SAVEPOINTS)
            if stack and stack[-1][0] is None:
                stack[-1][0] = statement[len("SAVEPOINT ") :].strip()
        return
    table = written_table(statement)
    if table is None or table in EXCLUDED_TABLES:
        if table == "alembic_version":
            conn.info[_MIGRATING] = True
        return
    conn.info[_PENDING] = True


# --- moving the number on -----------------------------------------------------------------


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


def _forget(info: dict[str, Any]) -> None:
    info.pop(_PENDING, None)
    info.pop(_MIGRATING, None)
    info.pop(_SAVEPOINTS, None)


@event.listens_for(Session, "after_begin")
def _session_began(session: Session, transaction: SessionTransaction, connection: Connection):  # type: ignore[no-untyped-def]
    held = session.info.setdefault(_CONNECTIONS, [])
    if not any(c is connection for c in held):
        held.append(connection)


@event.listens_for(Session, "after_transaction_end")
def _session_ended(session: Session, transaction: SessionTransaction):  # type: ignore[no-untyped-def]
    if transaction.parent is None:
        session.info.pop(_CONNECTIONS, None)
        session.info.pop(_VERSION, None)


@event.listens_for(Session, "before_commit")
def _session_committing(session: Session):  # type: ignore[no-untyped-def]
    """The session's outermost commit: flush, then count the changes (savepoints inside the
    session wait for it). In the tests' sessions this commit is itself a savepoint's release,
    which is why the count is made here and not only as the connection commits."""
    if session.in_nested_transaction():
        return
    session.flush()
    for connection in session.info.get(_CONNECTIONS, ()):
        info = connection.info if not connection.closed else None
        if info is None or not info.get(_PENDING):
            continue
        if not info.get(_MIGRATING) and _has_table(connection):
            connection.exec_driver_sql(BUMP)
        info.pop(_PENDING, None)


@event.listens_for(Engine, "commit")
def _connection_committing(conn: Connection):  # type: ignore[no-untyped-def]
    """A transaction committing outside a session (or with changes made after the session's
    last look): the bump, through the driver, as the statement before COMMIT."""
    info = conn.info
    if info.get(_PENDING) and not info.get(_MIGRATING) and _has_table(conn):
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(BUMP)
        finally:
            cursor.close()
    _forget(info)


@event.listens_for(Engine, "rollback")
def _connection_rolled_back(conn: Connection):  # type: ignore[no-untyped-def]
    _forget(conn.info)


@event.listens_for(Engine, "savepoint")
def _savepoint_began(conn: Connection, name: str | None):  # type: ignore[no-untyped-def]
    conn.info.setdefault(_SAVEPOINTS, []).append([name, bool(conn.info.get(_PENDING))])


def _savepoint_ended(conn: Connection, name: str) -> bool | None:
    """The mark as it was when savepoint ``name`` began (None if unknown); it and the
    savepoints inside it are gone."""
    stack = conn.info.get(_SAVEPOINTS) or []
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == name:
            began = bool(stack[index][1])
            del stack[index:]
            return began
    return None


@event.listens_for(Engine, "release_savepoint")
def _savepoint_released(conn: Connection, name: str, context: Any):  # type: ignore[no-untyped-def]
    _savepoint_ended(conn, name)


@event.listens_for(Engine, "rollback_savepoint")
def _savepoint_rolled_back(conn: Connection, name: str, context: Any):  # type: ignore[no-untyped-def]
    """Back to the state at the savepoint, the mark included: changes made since are undone,
    and so is any bump made since for changes made before it."""
    began = _savepoint_ended(conn, name)
    if began is not None:
        conn.info[_PENDING] = began
    # An unknown savepoint: the mark stays as it is (at worst one bump too many).


@event.listens_for(Pool, "checkin")
def _connection_returned(dbapi_connection: Any, connection_record: Any) -> None:  # type: ignore[no-untyped-def]
    if connection_record is not None:
        _forget(connection_record.info)
