"""Reading a backup file and checking it whole before anything is restored: its signature,
its manifest, and each table's size (before reading it), checksum and row count."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qa_audit.backup.format import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_LIMIT,
    ROW_LIMIT,
    SIGNATURE,
    SIGNATURE_LIMIT,
    BackupError,
)
from qa_audit.backup.signing import signature_problem

UNREADABLE = (zipfile.BadZipFile, zlib.error, OSError, EOFError)
TABLE_FIELDS: dict[str, type] = {
    "name": str,
    "file": str,
    "columns": list,
    "rows": int,
    "bytes": int,
    "sha256": str,
}


def open_backup(path: Path) -> zipfile.ZipFile:
    if not Path(path).is_file():
        raise BackupError(f"{path} does not exist or is not a file")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(
            f"{path} is not a qa-audit backup (not a readable zip file: {error})"
        ) from error


def _read_small(archive: zipfile.ZipFile, member: str, limit: int, path: Path) -> bytes:
    """A member that is never large, refused by its stated size before it is unpacked."""
    info = archive.getinfo(member)
    if info.file_size > limit:
        raise BackupError(
            f"{path} is not a qa-audit backup: its {member} would unpack to {info.file_size} "
            f"bytes, and a backup's is never more than {limit}"
        )
    try:
        with archive.open(info) as stream:
            return stream.read(limit + 1)[:limit]
    except UNREADABLE as error:
        raise BackupError(f"{path} is damaged: its {member} cannot be read ({error})") from error


def _signed_manifest(archive: zipfile.ZipFile, path: Path) -> bytes:
    names = set(archive.namelist())
    if MANIFEST not in names:
        raise BackupError(f"{path} is not a qa-audit backup (no {MANIFEST})")
    manifest = _read_small(archive, MANIFEST, MANIFEST_LIMIT, path)
    if SIGNATURE not in names:
        raise BackupError(
            f"{path} is not signed, so nobody can tell whether it was altered; it was refused "
            f"(qa-audit signs every backup since backup format {FORMAT_VERSION})"
        )
    problem = signature_problem(manifest, _read_small(archive, SIGNATURE, SIGNATURE_LIMIT, path))
    if problem:
        raise BackupError(f"{path} was refused: {problem}")
    return manifest


def _valid_entry(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    for field, kind in TABLE_FIELDS.items():
        value = entry.get(field)
        if not isinstance(value, kind) or isinstance(value, bool):
            return False
    return (
        entry["rows"] >= 0
        and entry["bytes"] >= 0
        and all(isinstance(c, str) for c in entry["columns"])
    )


def read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(_signed_manifest(archive, path))
    except ValueError as error:
        raise BackupError(f"{path} is damaged: its {MANIFEST} is not JSON") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a qa-audit backup (its manifest is of another kind)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is in backup format {manifest.get('format_version')}; this version of "
            f"qa-audit reads format {FORMAT_VERSION}"
        )
    tables = manifest.get("tables")
    if not isinstance(tables, list) or not all(_valid_entry(t) for t in tables):
        raise BackupError(f"{path} is damaged: its manifest does not list the tables properly")
    revisions = manifest.get("alembic_revisions")
    if not isinstance(revisions, list) or not all(isinstance(r, str) for r in revisions):
        raise BackupError(f"{path} is damaged: its manifest does not give the database revision")
    return manifest


def table_lines(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """A table file's rows, one JSON line each; a line longer than any row is refused."""
    with archive.open(member) as stream:
        while line := stream.readline(ROW_LIMIT + 1):
            if len(line) > ROW_LIMIT:
                raise BackupError(f"The backup is damaged: a row of {member} is too long")
            yield line


def _verify_table(archive: zipfile.ZipFile, entry: dict[str, Any], path: Path) -> None:
    member = entry["file"]
    try:
        info = archive.getinfo(member)
    except KeyError as error:
        raise BackupError(f"{path} is damaged: {member} is missing") from error
    if info.file_size != entry["bytes"]:
        raise BackupError(
            f"{path} is damaged: {member} would unpack to {info.file_size} bytes, the manifest "
            f"says {entry['bytes']}"
        )
    digest = hashlib.sha256()
    count = 0
    try:
        for line in table_lines(archive, member):
            digest.update(line)
            count += 1
    except UNREADABLE as error:
        raise BackupError(f"{path} is damaged: {member} cannot be read ({error})") from error
    if digest.hexdigest() != entry["sha256"]:
        raise BackupError(
            f"{path} is damaged: the checksum of {member} does not match the manifest"
        )
    if count != entry["rows"]:
        raise BackupError(
            f"{path} is damaged: {member} holds {count} rows, the manifest says {entry['rows']}"
        )


def verify_backup(path: Path) -> dict[str, Any]:
    """Check a backup file whole (signature, manifest, every table's size, sha256 and row
    count); its manifest."""
    path = Path(path)
    with open_backup(path) as archive:
        manifest = read_manifest(archive, path)
        for entry in manifest["tables"]:
            _verify_table(archive, entry, path)
    return manifest
