"""Backup and restore of the whole database to one file, portable between SQLite and PostgreSQL.

A backup is a zip holding ``manifest.json`` (format, app version, Alembic revisions, when it
was made, and for each table its columns, row count and sha256) and ``tables/<name>.jsonl``:
one JSON object a row, in primary-key order. Every table of the metadata is included, in
dependency order, so tables added by later migrations are picked up without changes here.
Values are written by column type (dates and times in ISO 8601, decimals as strings, JSON
columns as their JSON text, binary as base64) and read back by the target's column types,
which is what lets a backup taken from SQLite restore into PostgreSQL and the other way round.
Tables are streamed (server-side cursors, batches), never held whole in memory.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.schema import sort_tables_and_constraints

from qa_audit.auth.models import User
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.clock import utcnow
from qa_audit.core.data_version import note_change
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db

FORMAT = "qa-audit-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 1000
# Kept by each database for itself, never copied: the data version must only move on in the
# database it counts (a restored old number would meet reports cached under it).
NOT_BACKED_UP = frozenset({"data_version"})


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
class _Codec:
    kind: str
    type_: sa.types.TypeEngine[Any]


def _codec(column: sa.Column[Any]) -> _Codec:
    declared = column.type
    if isinstance(declared, sa.Interval):
        return _Codec("interval", declared)
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
            return _Codec(kind, base)
    return _Codec("plain", base)


def _encode(value: Any, codec: _Codec, where: str) -> Any:
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


def _decode(value: Any, codec: _Codec) -> Any:
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


def _select_expression(column: sa.Column[Any], codec: _Codec) -> sa.ColumnElement[Any]:
    # JSON as its stored text: keeps SQL NULL apart from JSON null, on every database.
    if codec.kind == "json":
        return sa.cast(column, sa.Text).label(column.name)
    return column


def _bind_type(column: sa.Column[Any], codec: _Codec) -> sa.types.TypeEngine[Any]:
    if codec.kind == "json" and isinstance(column.type, sa.JSON):
        json_type = column.type.copy()
        json_type.none_as_null = True  # None -> SQL NULL; JSON null comes as JSON.NULL
        return json_type
    return column.type


# --- the tables, in dependency order -------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """The tables in dependency order and the foreign-key columns to fill in afterwards
    (self-references and cycles), which are inserted as NULL and then updated."""

    tables: list[sa.Table]
    deferred: dict[str, list[sa.Column[Any]]]


def _plan() -> _Plan:
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
    return _Plan(tables, deferred)


def _member(table: sa.Table) -> str:
    return f"tables/{table.name}.jsonl"


def _revisions(connection: Connection) -> list[str]:
    if not sa.inspect(connection).has_table("alembic_version"):
        return []
    rows = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
    return sorted(row[0] for row in rows)


def _row_counts(connection: Connection, tables: list[sa.Table]) -> dict[str, int]:
    return {
        table.name: int(connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
        for table in tables
    }


def _app_version() -> str:
    try:
        return importlib_metadata.version("qa-audit")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


# --- backup --------------------------------------------------------------------------------


def backup_database(actor: User | None, path: Path, *, overwrite: bool = False) -> BackupSummary:
    """Write every table to ``path`` (a zip, readable only by its owner); logs the backup."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists; choose a new file name (or pass --overwrite)")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist")
    plan = _plan()
    # Written beside the target and renamed at the end: a failed backup leaves no half file.
    try:
        handle, temporary = tempfile.mkstemp(prefix=".qa-audit-backup-", dir=path.parent)  # 0600
    except OSError as error:
        raise BackupError(f"Cannot write in {path.parent}: {error.strerror}") from error
    os.close(handle)
    try:
        manifest = _write_backup(Path(temporary), plan)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise BackupError(f"Cannot write {path}: {error.strerror or error}") from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    digest = _file_sha256(path)
    rows = {t["name"]: t["rows"] for t in manifest["tables"]}
    db.session.add(
        ChangeLogEntry(
            actor_id=actor.id if actor is not None else None,
            action="database.backup",
            entity_type="database",
            entity_id="database",
            before=None,
            after={
                "file": path.name,
                "sha256": digest,
                "alembic_revisions": manifest["alembic_revisions"],
                "total_rows": sum(rows.values()),
                "rows": rows,
            },
        )
    )
    db.session.flush()
    return BackupSummary(path, rows, manifest["alembic_revisions"], digest)


def _write_backup(target: Path, plan: _Plan) -> dict[str, Any]:
    engine = db.engine
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        # One snapshot for every table, so the backup is consistent while people work.
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with (
        engine.connect().execution_options(**options) as connection,
        connection.begin(),
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
    ):
        revisions = _revisions(connection)
        if not revisions:
            raise BackupError(
                "The database has not been migrated (no Alembic revision); nothing to back up"
            )
        tables = [_write_table(connection, archive, table) for table in plan.tables]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": _app_version(),
            "created_at": utcnow().isoformat(),
            "database": engine.dialect.name,
            "alembic_revisions": revisions,
            "tables": tables,
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def _write_table(
    connection: Connection, archive: zipfile.ZipFile, table: sa.Table
) -> dict[str, Any]:
    columns = list(table.columns)
    codecs = [_codec(c) for c in columns]
    query = sa.select(*(_select_expression(c, k) for c, k in zip(columns, codecs, strict=True)))
    order = list(table.primary_key.columns)
    if order:
        query = query.order_by(*order)
    digest = hashlib.sha256()
    count = 0
    buffer: list[bytes] = []
    names = [c.name for c in columns]
    result = connection.execution_options(yield_per=BATCH).execute(query)
    member = zipfile.ZipInfo(_member(table), date_time=utcnow().timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(member, "w", force_zip64=True) as out:
        for row in result:
            record = {
                name: _encode(value, codec, f"{table.name}.{name}")
                for name, value, codec in zip(names, row, codecs, strict=True)
            }
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            digest.update(line)
            buffer.append(line)
            count += 1
            if len(buffer) >= BATCH:
                out.write(b"".join(buffer))
                buffer.clear()
        out.write(b"".join(buffer))
    return {
        "name": table.name,
        "file": _member(table),
        "columns": names,
        "rows": count,
        "sha256": digest.hexdigest(),
    }


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- reading and checking a backup ---------------------------------------------------------


def _open(path: Path) -> zipfile.ZipFile:
    if not Path(path).is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(
            f"{path} is not a qa-audit backup (not a readable zip file: {error})"
        ) from error


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise BackupError(f"{path} is not a qa-audit backup (no {MANIFEST})") from error
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError) as error:
        raise BackupError(f"{path} is damaged: its {MANIFEST} cannot be read ({error})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a qa-audit backup (its manifest is of another kind)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is in backup format {manifest.get('format_version')}; this version of "
            f"qa-audit reads format {FORMAT_VERSION}"
        )
    tables = manifest.get("tables")
    if not isinstance(tables, list) or not all(
        isinstance(t, dict) and {"name", "file", "columns", "rows", "sha256"} <= set(t)
        for t in tables
    ):
        raise BackupError(f"{path} is damaged: its manifest does not list the tables properly")
    return manifest


def _lines(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    with archive.open(member) as stream:
        yield from stream


def verify_backup(path: Path) -> dict[str, Any]:
    """Check a backup file whole (manifest, every table's sha256 and row count); its manifest."""
    path = Path(path)
    with _open(path) as archive:
        manifest = _manifest(archive, path)
        names = set(archive.namelist())
        for entry in manifest["tables"]:
            member = entry["file"]
            if member not in names:
                raise BackupError(f"{path} is damaged: {member} is missing")
            digest = hashlib.sha256()
            count = 0
            try:
                for line in _lines(archive, member):
                    digest.update(line)
                    count += 1
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
                raise BackupError(
                    f"{path} is damaged: {member} cannot be read ({error})"
                ) from error
            if digest.hexdigest() != entry["sha256"]:
                raise BackupError(
                    f"{path} is damaged: the checksum of {member} does not match the manifest"
                )
            if count != entry["rows"]:
                raise BackupError(
                    f"{path} is damaged: {member} holds {count} rows, the manifest says "
                    f"{entry['rows']}"
                )
    return manifest


# --- restore -------------------------------------------------------------------------------


def restore_database(actor: User | None, path: Path, *, force: bool = False) -> RestoreSummary:
    """Replace every row of this database with a backup's, in one transaction; logs the restore.

    Refused unless the database is at the backup's Alembic revision(s) and holds no user
    accounts (reference data from ``qa-audit seed`` is replaced); ``force`` replaces
    whatever it holds. Caller commits (or rolls back on error: then nothing has changed)."""
    path = Path(path)
    manifest = verify_backup(path)
    plan = _plan()
    connection = db.session.connection()
    here = _revisions(connection)
    wanted = sorted(manifest["alembic_revisions"])
    if not here:
        raise BackupError(
            "The target database has not been migrated: run `qa-audit db upgrade "
            f"{' '.join(wanted) if len(wanted) == 1 else 'heads'}` first, then restore"
        )
    if here != wanted:
        raise BackupError(
            f"The backup was taken at database revision {', '.join(wanted)} (qa-audit "
            f"{manifest.get('app_version', '?')}); this database is at {', '.join(here)}. "
            "Restore into a database migrated to the backup's revision "
            f"(`qa-audit db upgrade {wanted[0]}`), then run `qa-audit db upgrade heads`"
        )
    _check_tables(manifest, plan, path)
    before = _row_counts(connection, plan.tables)
    users = User.__tablename__
    if before.get(users) and not force:
        held = ", ".join(f"{name} {n}" for name, n in before.items() if n)
        raise BackupError(
            f"The target database already holds data ({held} rows); nothing was changed. "
            "Restore into a new database, or pass --force to delete everything in it first"
        )
    try:
        _wipe(connection, plan)
        with _open(path) as archive:
            entries = {t["name"]: t for t in manifest["tables"]}
            for table in plan.tables:
                _insert_table(connection, archive, table, entries[table.name], plan)
            for table in plan.tables:
                if table.name in plan.deferred:
                    _fill_deferred(connection, archive, table, plan.deferred[table.name])
        _reset_sequences(connection, plan.tables)
    except (SQLAlchemyError, ValueError, TypeError) as error:
        raise BackupError(
            "The restore failed and was undone; the database is as it was "
            f"({error.__class__.__name__}: {str(error).splitlines()[0]})"
        ) from error
    rows = {t["name"]: int(t["rows"]) for t in manifest["tables"]}
    note_change()  # every table rewritten on the session's connection, not through it
    db.session.add(
        ChangeLogEntry(
            actor_id=actor.id if actor is not None else None,
            action="database.restore",
            entity_type="database",
            entity_id="database",
            before={"total_rows": sum(before.values()), "rows": before},
            after={
                "file": path.name,
                "backup_created_at": manifest.get("created_at"),
                "backup_app_version": manifest.get("app_version"),
                "backup_database": manifest.get("database"),
                "alembic_revisions": wanted,
                "forced": force,
                "total_rows": sum(rows.values()),
                "rows": rows,
            },
        )
    )
    db.session.flush()
    db.session.expire_all()
    return RestoreSummary(
        rows, wanted, str(manifest.get("created_at")), {k: v for k, v in before.items() if v}
    )


def _check_tables(manifest: dict[str, Any], plan: _Plan, path: Path) -> None:
    in_file = {t["name"]: t for t in manifest["tables"]}
    here = {t.name: t for t in plan.tables}
    if set(in_file) != set(here):
        extra = sorted(set(in_file) - set(here))
        missing = sorted(set(here) - set(in_file))
        raise BackupError(
            f"{path} does not match this version of qa-audit: "
            + "; ".join(
                part
                for part in (
                    f"tables only in the backup: {', '.join(extra)}" if extra else "",
                    f"tables missing from the backup: {', '.join(missing)}" if missing else "",
                )
                if part
            )
        )
    for name, table in here.items():
        if set(in_file[name]["columns"]) != {c.name for c in table.columns}:
            raise BackupError(
                f"{path} does not match this version of qa-audit: the columns of {name} differ"
            )


def _wipe(connection: Connection, plan: _Plan) -> None:
    """Delete every row, dependants first; references that form cycles are cleared first."""
    for table_name, columns in plan.deferred.items():
        table = db.metadata.tables[table_name]
        connection.execute(sa.update(table).values({c.name: None for c in columns}))
    for table in reversed(plan.tables):
        connection.execute(sa.delete(table))


def _insert_table(
    connection: Connection,
    archive: zipfile.ZipFile,
    table: sa.Table,
    entry: dict[str, Any],
    plan: _Plan,
) -> None:
    columns = list(table.columns)
    codecs = [_codec(c) for c in columns]
    later = {c.name for c in plan.deferred.get(table.name, [])}
    binds = {c.name: f"p{i}" for i, c in enumerate(columns)}
    statement = sa.insert(table).values(
        {
            c.name: sa.bindparam(binds[c.name], type_=_bind_type(c, k))
            for c, k in zip(columns, codecs, strict=True)
        }
    )
    digest = hashlib.sha256()
    batch: list[dict[str, Any]] = []
    for line in _lines(archive, entry["file"]):
        digest.update(line)
        record = _record(line, table, entry)
        batch.append(
            {
                binds[c.name]: None if c.name in later else _decode(record[c.name], k)
                for c, k in zip(columns, codecs, strict=True)
            }
        )
        if len(batch) >= BATCH:
            connection.execute(statement, batch)
            batch = []
    if batch:
        connection.execute(statement, batch)
    if digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"The backup changed while it was being restored ({entry['file']})")


def _record(line: bytes, table: sa.Table, entry: dict[str, Any]) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except ValueError as error:
        raise BackupError(f"The backup is damaged: a row of {entry['file']} is not JSON") from error
    if not isinstance(record, dict) or set(record) != {c.name for c in table.columns}:
        raise BackupError(f"The backup is damaged: a row of {entry['file']} has the wrong columns")
    return record


def _fill_deferred(
    connection: Connection, archive: zipfile.ZipFile, table: sa.Table, columns: list[sa.Column[Any]]
) -> None:
    key = list(table.primary_key.columns)
    if not key:
        raise BackupError(
            f"Cannot restore {table.name}: it refers to itself and has no primary key"
        )
    # Columns with an on-update default (updated_at) are set too, or the UPDATE would stamp them.
    columns = columns + [c for c in table.columns if c.onupdate is not None and c not in columns]
    statement = (
        sa.update(table)
        .where(*(c == sa.bindparam(f"k_{c.name}", type_=c.type) for c in key))
        .values({c.name: sa.bindparam(f"v_{c.name}", type_=c.type) for c in columns})
    )
    key_codecs = [_codec(c) for c in key]
    value_codecs = [_codec(c) for c in columns]
    batch: list[dict[str, Any]] = []
    for line in _lines(archive, _member(table)):
        record = json.loads(line)
        if all(record[c.name] is None for c in columns if c.onupdate is None):
            continue
        params = {
            f"k_{c.name}": _decode(record[c.name], k) for c, k in zip(key, key_codecs, strict=True)
        }
        params |= {
            f"v_{c.name}": _decode(record[c.name], k)
            for c, k in zip(columns, value_codecs, strict=True)
        }
        batch.append(params)
        if len(batch) >= BATCH:
            connection.execute(statement, batch)
            batch = []
    if batch:
        connection.execute(statement, batch)


def _reset_sequences(connection: Connection, tables: list[sa.Table]) -> None:
    """PostgreSQL: move each id sequence past the restored ids, so new rows get fresh ones.
    (SQLite takes the next id from the table itself.)"""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer
    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, sa.Integer):
            continue
        sequence = connection.scalar(
            sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": quote.format_table(table), "column": key[0].name},
        )
        if sequence is None:
            continue
        highest = connection.scalar(sa.select(sa.func.max(key[0])))
        connection.execute(
            sa.text("SELECT setval(CAST(:sequence AS regclass), :next, false)"),
            {"sequence": sequence, "next": (highest or 0) + 1},
        )
