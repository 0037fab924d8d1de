"""Writing a backup: every table streamed into a zip beside the target, renamed at the end."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from qa_audit.auth.models import User
from qa_audit.backup.format import (
    BATCH,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SIGNATURE,
    BackupError,
    BackupSummary,
    Plan,
    app_version,
    column_codec,
    database_revisions,
    encode_value,
    log_database_change,
    select_expression,
    table_file,
    table_plan,
)
from qa_audit.backup.signing import signature
from qa_audit.core.clock import utcnow
from qa_audit.core.extensions import db
from qa_audit.core.private_files import private_folder


def backup_database(actor: User | None, path: Path, *, overwrite: bool = False) -> BackupSummary:
    """Write every table to ``path`` (a zip, readable only by its owner); logs the backup."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists; choose a new file name (or pass --overwrite)")
    try:
        private_folder(path.parent)  # a new backups folder is its owner's alone (0700)
    except OSError as error:
        raise BackupError(f"Cannot make the folder {path.parent}: {error.strerror}") from error
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder")
    plan = table_plan()
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
    log_database_change(
        actor,
        "database.backup",
        None,
        {
            "file": path.name,
            "sha256": digest,
            "alembic_revisions": manifest["alembic_revisions"],
            "total_rows": sum(rows.values()),
            "rows": rows,
        },
    )
    db.session.flush()
    return BackupSummary(path, rows, manifest["alembic_revisions"], digest)


def _write_backup(target: Path, plan: Plan) -> dict[str, Any]:
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
        revisions = database_revisions(connection)
        if not revisions:
            raise BackupError(
                "The database has not been migrated (no Alembic revision); nothing to back up"
            )
        tables = [_write_table(connection, archive, table) for table in plan.tables]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": app_version(),
            "created_at": utcnow().isoformat(),
            "database": engine.dialect.name,
            "alembic_revisions": revisions,
            "tables": tables,
        }
        signed = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        archive.writestr(MANIFEST, signed)
        archive.writestr(SIGNATURE, signature(signed))
    return manifest


def _write_table(
    connection: Connection, archive: zipfile.ZipFile, table: sa.Table
) -> dict[str, Any]:
    columns = list(table.columns)
    codecs = [column_codec(c) for c in columns]
    query = sa.select(*(select_expression(c, k) for c, k in zip(columns, codecs, strict=True)))
    order = list(table.primary_key.columns)
    if order:
        query = query.order_by(*order)
    digest = hashlib.sha256()
    count = size = 0
    buffer: list[bytes] = []
    names = [c.name for c in columns]
    result = connection.execution_options(yield_per=BATCH).execute(query)
    member = zipfile.ZipInfo(table_file(table), date_time=utcnow().timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(member, "w", force_zip64=True) as out:
        for row in result:
            record = {
                name: encode_value(value, codec, f"{table.name}.{name}")
                for name, value, codec in zip(names, row, codecs, strict=True)
            }
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            digest.update(line)
            buffer.append(line)
            count += 1
            size += len(line)
            if len(buffer) >= BATCH:
                out.write(b"".join(buffer))
                buffer.clear()
        out.write(b"".join(buffer))
    return {
        "name": table.name,
        "file": table_file(table),
        "columns": names,
        "rows": count,
        "bytes": size,
        "sha256": digest.hexdigest(),
    }


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
