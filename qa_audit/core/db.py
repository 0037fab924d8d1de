"""Declarative base, constraint naming convention, UTC timestamps and model mixins."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from flask import has_request_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import DateTime, Integer, MetaData, TypeDecorator, event
from sqlalchemy.engine import Connection, Dialect, Engine
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
    enforced, WAL, waiting on locks, and BEGIN IMMEDIATE in web requests (below)."""
    if engine.dialect.name != "sqlite" or event.contains(engine, "connect", _sqlite_on_connect):
        return
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)


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
# transaction begins DEFERRED even in a request, so it never waits behind a writer.
READS_ONLY = "qa_audit_reads_only"


def _sqlite_begin_statement() -> str:
    """BEGIN IMMEDIATE in a web request, so that concurrent requests queue for the write lock
    instead of failing; BEGIN elsewhere (command line, tests' own sessions).

    In WAL mode a deferred transaction that reads and then writes fails at once with
    "database is locked" if another connection committed in between (busy_timeout cannot
    help: its snapshot is stale), and most requests read before they write: a form post, an
    export that logs itself, the access log's row after a page. IMMEDIATE waits (up to
    busy_timeout) for the lock instead; readers of WAL outside requests are never blocked.
    On SQLite the requests' database work is thus one at a time: concurrent users at scale
    are what PostgreSQL is for."""
    return "BEGIN IMMEDIATE" if has_request_context() else "BEGIN"


def _sqlite_on_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(READS_ONLY):
        connection.exec_driver_sql("BEGIN")  # reads only: no write lock to queue for
        return
    connection.exec_driver_sql(_sqlite_begin_statement())
