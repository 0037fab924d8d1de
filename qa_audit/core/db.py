"""Declarative base, constraint naming convention, UTC timestamps and model mixins."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from flask import has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import DateTime, Integer, MetaData, TypeDecorator, event
from sqlalchemy.engine import Connection, Dialect, Engine, ExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from qa_audit.core.clock import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use qa_audit.core.clock.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class AppSession(FlaskSession):
    """qa-audit's database session. The rules that hold for every change (grades of a
    submitted audit stay put; e-mail waits for the commit; the data version moves on) are
    registered on this class by the parts that own them, from their ``init_app``."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class VersionedMixin:
    """Optimistic concurrency: a write of a stale row raises StaleDataError, never overwrites."""

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}


def configure_sqlite(engine: Engine) -> None:
    """SQLite only, for this app's engine: real transactions (SAVEPOINT works), foreign keys
    enforced, WAL, waiting on locks, and how a web request's transaction begins (below)."""
    if engine.dialect.name != "sqlite" or event.contains(engine, "connect", _sqlite_on_connect):
        return
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    event.listen(engine, "before_cursor_execute", _sqlite_before_execute)


def _sqlite_on_connect(dbapi_connection: object, connection_record: object) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


# An execution option for a connection that only reads (the readiness probe): on SQLite its
# transaction begins DEFERRED even in a request that may write, and is never upgraded.
READS_ONLY = "qa_audit_reads_only"
# Requests that only ask to see something: their transaction begins DEFERRED on SQLite.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Key in Connection.info (the pooled DBAPI connection's): this connection's SQLite transaction
# is a reading request's, begun DEFERRED, and has written nothing yet.
_READING = "qa_audit.core.db.reading"
# Statements that write (or open a savepoint, which is there to write): a reading request's
# transaction is upgraded before the first of them.
_WRITING_KEYWORDS = frozenset(
    {"INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER"}
)


def _sqlite_begin_statement() -> str:
    """How a transaction begins on SQLite.

    In WAL mode a deferred transaction that reads and then writes fails at once with
    "database is locked" if another connection committed in between (busy_timeout cannot
    help: its snapshot is stale), and most requests that write read first: a form post, an
    export that logs itself. A request that may write (POST and the like) therefore begins
    IMMEDIATE and waits (up to busy_timeout) for the write lock instead.

    A request that asks only to see something (GET, HEAD) begins DEFERRED: it reads its own
    snapshot of WAL and never queues behind a writer, so pages are built side by side. What
    such a request still writes (the access log's row after a case-level page, a sign-in's
    last-seen time) is written after an explicit upgrade (``_sqlite_before_execute``).
    Outside requests (command line, tests' own sessions) a transaction begins DEFERRED, as
    SQLite's default."""
    if has_request_context() and request.method not in READING_METHODS:
        return "BEGIN IMMEDIATE"
    return "BEGIN"


def _sqlite_on_begin(connection: Connection) -> None:
    reads_only = bool(connection.get_execution_options().get(READS_ONLY))
    statement = "BEGIN" if reads_only else _sqlite_begin_statement()
    connection.exec_driver_sql(statement)
    connection.info[_READING] = statement == "BEGIN" and has_request_context() and not reads_only


def _sqlite_before_execute(
    connection: Connection,
    cursor: sqlite3.Cursor,
    statement: str,
    parameters: object,
    context: ExecutionContext | None,
    executemany: bool,
) -> None:
    """The upgrade of a reading request's transaction, just before its first write: end the
    read (nothing has been written, so the COMMIT only lets go of the snapshot) and begin
    IMMEDIATE, waiting (up to busy_timeout) for whoever holds the write lock. The request's
    transaction in SQLAlchemy's eyes goes on; SQLite's is a new one, so the write never meets
    a stale snapshot. What the request writes from there on must not depend on what it read
    being current (a row written whatever was read: a log entry, a time), or be guarded by a
    record's version (``VersionedMixin``), which a stale read then fails, as it should."""
    if not connection.info.get(_READING) or not _writes(statement, context):
        return
    connection.info[_READING] = False
    cursor.execute("COMMIT")
    cursor.execute("BEGIN IMMEDIATE")


def _writes(statement: str, context: ExecutionContext | None) -> bool:
    """Whether a statement about to run writes: as SQLAlchemy compiled it, else by its first
    word (a savepoint, or SQL given as text); a WITH writes unless it was compiled as a
    SELECT."""
    if any(getattr(context, flag, False) for flag in ("isinsert", "isupdate", "isdelete")):
        return True
    words = statement.lstrip().split(None, 1)
    keyword = words[0].upper() if words else ""
    if keyword == "WITH":
        compiled = getattr(context, "compiled", None)
        return not getattr(getattr(compiled, "statement", None), "is_select", False)
    return keyword in _WRITING_KEYWORDS
