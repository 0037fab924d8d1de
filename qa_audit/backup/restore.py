"""Restoring a backup checked whole: every row of the database replaced with its rows, in one
transaction; everyone signed out."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from qa_audit.auth.models import User
from qa_audit.backup.format import (
    BATCH,
    BackupError,
    Plan,
    RestoreSummary,
    bind_type,
    column_codec,
    database_revisions,
    decode_value,
    log_database_change,
    row_counts,
    table_file,
    table_plan,
)
from qa_audit.backup.reading import open_backup, table_lines, verify_backup
from qa_audit.core.data_version import note_change
from qa_audit.core.extensions import db
from qa_audit.core.private_files import make_private

# --- restore -------------------------------------------------------------------------------


def restore_database(actor: User | None, path: Path, *, force: bool = False) -> RestoreSummary:
    """Replace every row of this database with a backup's, in one transaction; logs the restore.

    Refused unless the database is at the backup's Alembic revision(s) and holds no user
    accounts (reference data from ``qa-audit seed`` is replaced); ``force`` replaces
    whatever it holds. Caller commits (or rolls back on error: then nothing has changed)."""
    path = Path(path)
    manifest = verify_backup(path)
    plan = table_plan()
    connection = db.session.connection()
    here = database_revisions(connection)
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
    before = row_counts(connection, plan.tables)
    users = User.__tablename__
    if before.get(users) and not force:
        held = ", ".join(f"{name} {n}" for name, n in before.items() if n)
        raise BackupError(
            f"The target database already holds data ({held} rows); nothing was changed. "
            "Restore into a new database, or pass --force to delete everything in it first"
        )
    _keep_sqlite_file_private(connection)
    try:
        sessions_ended = _wipe(connection, plan)
        with open_backup(path) as archive:
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
    log_database_change(
        actor,
        "database.restore",
        {"total_rows": sum(before.values()), "rows": before},
        {
            "file": path.name,
            "backup_created_at": manifest.get("created_at"),
            "backup_app_version": manifest.get("app_version"),
            "backup_database": manifest.get("database"),
            "alembic_revisions": wanted,
            "forced": force,
            "sign_in_sessions_ended": sessions_ended,
            "total_rows": sum(rows.values()),
            "rows": rows,
        },
    )
    db.session.flush()
    db.session.expire_all()
    return RestoreSummary(
        rows, wanted, str(manifest.get("created_at")), {k: v for k, v in before.items() if v}
    )


def _keep_sqlite_file_private(connection: Connection) -> None:
    """An SQLite database is a file, which is about to hold everything the backup does: it
    and its journals are made the owner's alone (0600) before a row is written. (SQLite gives
    journals it creates later the database file's mode.)"""
    if connection.dialect.name != "sqlite":
        return
    for _seq, name, file in connection.exec_driver_sql("PRAGMA database_list"):
        if name == "main" and file:  # '' for a database in memory
            for suffix in ("", "-wal", "-shm", "-journal"):
                make_private(file + suffix)


def _check_tables(manifest: dict[str, Any], plan: Plan, path: Path) -> None:
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


def _wipe(connection: Connection, plan: Plan) -> int:
    """Delete every row, dependants first; references that form cycles are cleared first.
    Every sign-in session ends: the accounts they belonged to are replaced. How many ended."""
    ended = sum(connection.execute(sa.delete(t)).rowcount for t in plan.sign_in_sessions)
    for table_name, columns in plan.deferred.items():
        table = db.metadata.tables[table_name]
        connection.execute(sa.update(table).values({c.name: None for c in columns}))
    for table in reversed(plan.tables):
        connection.execute(sa.delete(table))
    return ended


def _insert_table(
    connection: Connection,
    archive: zipfile.ZipFile,
    table: sa.Table,
    entry: dict[str, Any],
    plan: Plan,
) -> None:
    columns = list(table.columns)
    codecs = [column_codec(c) for c in columns]
    later = {c.name for c in plan.deferred.get(table.name, [])}
    binds = {c.name: f"p{i}" for i, c in enumerate(columns)}
    statement = sa.insert(table).values(
        {
            c.name: sa.bindparam(binds[c.name], type_=bind_type(c, k))
            for c, k in zip(columns, codecs, strict=True)
        }
    )
    digest = hashlib.sha256()
    batch: list[dict[str, Any]] = []
    for line in table_lines(archive, entry["file"]):
        digest.update(line)
        record = _record(line, table, entry)
        batch.append(
            {
                binds[c.name]: None if c.name in later else decode_value(record[c.name], k)
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
    key_codecs = [column_codec(c) for c in key]
    value_codecs = [column_codec(c) for c in columns]
    batch: list[dict[str, Any]] = []
    for line in table_lines(archive, table_file(table)):
        record = json.loads(line)
        if all(record[c.name] is None for c in columns if c.onupdate is None):
            continue
        params = {
            f"k_{c.name}": decode_value(record[c.name], k)
            for c, k in zip(key, key_codecs, strict=True)
        }
        params |= {
            f"v_{c.name}": decode_value(record[c.name], k)
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
