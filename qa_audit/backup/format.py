"""The backup file's format: a zip of a manifest and one JSON-lines file a table; how each
column type is written and read back; the tables in dependency order."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.schema import sort_tables_and_constraints

from qa_audit.auth.models import User
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db

FORMAT = "qa-audit-backup"
# 2: signed, with each table file's size; sign-in sessions left out.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
BATCH = 1000
# Sizes refused before anything is read: a small file must not unpack into gigabytes. The
# manifest lists tables (a few hundred bytes each); a row is one record's JSON.
MANIFEST_LIMIT = 1 << 20
SIGNATURE_LIMIT = 4096
ROW_LIMIT = 64 << 20
# Who is signed in is never copied: a backup must not let anyone act as a user, and a
# restored database starts with everyone signed out (restore empties these tables).
SIGN_IN_SESSIONS = frozenset({"sign_in_session"})
# Kept by each database for itself, never copied: the data version must only move on in the
# database it counts (a restored old number would meet reports cached under it).
NOT_BACKED_UP = frozenset({"data_version"}) | SIGN_IN_SESSIONS


class BackupError(DomainError):
    """A backup cannot be written or restored; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: dict[str, int]
    revisions: list[str]
    sha256: str

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class RestoreSummary:
    rows: dict[str, int]
    revisions: list[str]
    created_at: str
    replaced: dict[str, int]  # rows the target held before, now removed

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# --- columns: how each type is written to and read from the file ---------------------------


@dataclass(frozen=True)
class Codec:
    kind: str
    type_: sa.types.TypeEngine[Any]


def column_codec(column: sa.Column[Any]) -> Codec:
    declared = column.type
    if isinstance(declared, sa.Interval):
        return Codec("interval", declared)
    base = declared
    while isinstance(base, sa.types.TypeDecorator):
        base = base.impl_instance
    # Order matters: Float is a Numeric, Enum is a String.
    for kind, cls in (
        ("json", sa.JSON),
        ("datetime", sa.DateTime),
        ("date", sa.Date),
        ("time", sa.Time),
        ("float", sa.Float),
        ("decimal", sa.Numeric),
        ("bytes", sa.LargeBinary),
        ("uuid", sa.Uuid),
        ("enum", sa.Enum),
    ):
        if isinstance(base, cls):
            if isinstance(base, sa.Numeric) and not base.asdecimal:
                kind = "float"
            return Codec(kind, base)
    return Codec("plain", base)


def encode_value(value: Any, codec: Codec, where: str) -> Any:
    if value is None:
        return None
    kind = codec.kind
    if kind == "json":  # selected as text: the JSON exactly as stored
        return value
    if kind in ("datetime", "date", "time") and isinstance(value, datetime | date | time):
        return value.isoformat()
    if kind == "interval" and isinstance(value, timedelta):
        return value // timedelta(microseconds=1)
    if kind == "decimal" and isinstance(value, Decimal):
        return str(value)
    if kind == "bytes" and isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "uuid" and isinstance(value, uuid.UUID):
        return str(value)
    if kind == "enum" and isinstance(value, Enum):
        return value.name
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str | int | float | bool):
        return value
    raise BackupError(
        f"Cannot write {where}: a value of type {type(value).__name__} is not supported"
    )


def decode_value(value: Any, codec: Codec) -> Any:
    if value is None:
        return None
    kind = codec.kind
    if kind == "json":
        parsed = json.loads(value)
        # JSON null stays JSON null (SQL NULL was written as a bare null above).
        return sa.JSON.NULL if parsed is None else parsed
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "time":
        return time.fromisoformat(value)
    if kind == "interval":
        return timedelta(microseconds=value)
    if kind == "decimal":
        return Decimal(value)
    if kind == "float":
        return float(value)
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "uuid":
        return uuid.UUID(value) if codec.type_.as_uuid else value  # type: ignore[attr-defined]
    if kind == "enum":
        enum_class = codec.type_.enum_class  # type: ignore[attr-defined]
        return enum_class[value] if enum_class is not None else value
    return value


def select_expression(column: sa.Column[Any], codec: Codec) -> sa.ColumnElement[Any]:
    # JSON as its stored text: keeps SQL NULL apart from JSON null, on every database.
    if codec.kind == "json":
        return sa.cast(column, sa.Text).label(column.name)
    return column


def bind_type(column: sa.Column[Any], codec: Codec) -> sa.types.TypeEngine[Any]:
    if codec.kind == "json" and isinstance(column.type, sa.JSON):
        json_type = column.type.copy()
        json_type.none_as_null = True  # None -> SQL NULL; JSON null comes as JSON.NULL
        return json_type
    return column.type


# --- the tables, in dependency order -------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The tables in dependency order and the foreign-key columns to fill in afterwards
    (self-references and cycles), which are inserted as NULL and then updated."""

    tables: list[sa.Table]
    deferred: dict[str, list[sa.Column[Any]]]
    sign_in_sessions: list[sa.Table]


def table_plan() -> Plan:
    metadata = db.metadata
    # metadata.sorted_tables' order, without its warning when references form a cycle
    ordered = sort_tables_and_constraints(sorted(metadata.tables.values(), key=lambda t: t.key))
    tables = [
        table for table, _ in ordered if table is not None and table.name not in NOT_BACKED_UP
    ]
    late: list[sa.ForeignKeyConstraint] = [
        fkc for table, fkcs in ordered if table is None for fkc in fkcs
    ]
    late += [
        fkc
        for table in tables
        for fkc in table.foreign_key_constraints
        if fkc.referred_table is table
    ]
    deferred: dict[str, list[sa.Column[Any]]] = {}
    for fkc in late:
        columns = [c for c in fkc.columns if c.nullable and not c.primary_key]
        if len(columns) == len(fkc.columns):  # a NOT NULL reference cannot wait
            deferred.setdefault(fkc.parent.name, []).extend(columns)
    sessions = [t for t in metadata.tables.values() if t.name in SIGN_IN_SESSIONS]
    return Plan(tables, deferred, sessions)


def table_file(table: sa.Table) -> str:
    return f"tables/{table.name}.jsonl"


def database_revisions(connection: Connection) -> list[str]:
    if not sa.inspect(connection).has_table("alembic_version"):
        return []
    rows = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
    return sorted(row[0] for row in rows)


def row_counts(connection: Connection, tables: list[sa.Table]) -> dict[str, int]:
    return {
        table.name: int(connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
        for table in tables
    }


def app_version() -> str:
    try:
        return importlib_metadata.version("qa-audit")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def log_database_change(
    actor: User | None, action: str, before: dict[str, Any] | None, after: dict[str, Any]
) -> None:
    """The change-log entry of a backup or a restore: the whole database is the record."""
    db.session.add(
        ChangeLogEntry(
            actor_id=actor.id if actor is not None else None,
            action=action,
            entity_type="database",
            entity_id="database",
            before=before,
            after=after,
        )
    )
