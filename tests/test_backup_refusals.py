"""`qa-audit restore` refuses damaged files, the wrong revision and a database that already
holds data with a clear message, leaving the target untouched; a restore failing half way is
undone."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select, text

from qa_audit import create_app
from qa_audit.auth.roles import Role
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db
from tests import factories
from tests.backups import (
    Backup,
    cli,
    refused,
    rewrite,
    table_rows,
    without_restore_entry,
)
from tests.backups import backup as backup  # a fixture
from tests.backups import target as target  # a fixture
from tests.databases import fresh_database


def test_edited_table_is_refused_by_its_checksum(
    backup: Backup, target: Flask, tmp_path: Path
) -> None:
    with zipfile.ZipFile(backup.path) as archive:
        original = archive.read("tables/audit.jsonl")
    # The same size (a grade for another of four letters): only the checksum tells.
    data = original.replace(b'"good"', b'"poor"', 1)
    assert data != original
    edited = tmp_path / "edited.zip"
    rewrite(backup.path, edited, {"tables/audit.jsonl": data}, fix_manifest=False)
    message = refused(target, edited)
    assert "the checksum of tables/audit.jsonl does not match the manifest" in message
    # Longer: refused by its size, before it is read.
    data = original.replace(b'"good"', b'"outstanding"', 1)
    rewrite(backup.path, edited, {"tables/audit.jsonl": data}, fix_manifest=False)
    message = refused(target, edited)
    assert "tables/audit.jsonl would unpack to" in message
    assert f"the manifest says {len(original)}" in message


def test_truncated_and_foreign_files_are_refused(
    backup: Backup, target: Flask, tmp_path: Path
) -> None:
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(backup.path.read_bytes()[: backup.path.stat().st_size // 2])
    assert "is not a qa-audit backup" in refused(target, truncated)
    # One byte of a table's compressed data flipped (disk or copy damage): zlib or the CRC
    # notices, whichever the byte upsets.
    whole = backup.path.read_bytes()
    with zipfile.ZipFile(backup.path) as archive:
        info = archive.getinfo("tables/change_log.jsonl")
    name_length, extra_length = struct.unpack_from("<HH", whole, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    for eighth in range(1, 8, 2):
        data = bytearray(whole)
        data[start + info.compress_size * eighth // 8] ^= 0xFF
        flipped = tmp_path / f"flipped-{eighth}.zip"
        flipped.write_bytes(bytes(data))
        assert "is damaged" in refused(target, flipped)
    other = tmp_path / "notes.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "no manifest.json" in refused(target, other)
    assert "does not exist" in refused(target, tmp_path / "missing.zip")


def test_wrong_revision_is_refused(backup: Backup, tmp_path: Path) -> None:
    with fresh_database(tmp_path, "oldrev") as url:
        app = create_app(TestConfig(database_url=url))
        with app.app_context():
            # The chain holds one revision, so an older one is written in by hand.
            upgrade(revision="head")
            db.session.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
            db.session.commit()
        try:
            message = refused(app, backup.path)
            assert "this database is at 0000_older" in message
            assert "qa-audit db upgrade" in message
        finally:
            with app.app_context():
                db.engine.dispose()


def test_unmigrated_database_is_refused(backup: Backup, tmp_path: Path) -> None:
    with fresh_database(tmp_path, "bare") as url:
        app = create_app(TestConfig(database_url=url))
        try:
            result = cli(app, "restore", str(backup.path))
            assert result.exit_code == 1
            assert "has not been migrated" in result.stderr
            with app.app_context(), db.engine.connect() as conn:
                from sqlalchemy import inspect

                assert inspect(conn).get_table_names() == []
        finally:
            with app.app_context():
                db.engine.dispose()


def test_database_in_use_is_refused_unless_forced(backup: Backup, target: Flask) -> None:
    with target.app_context():
        factories.user(Role.ADMIN, email="it.admin@anytown.gov.uk")
        db.session.commit()
    message = refused(target, backup.path)
    assert "already holds data" in message
    assert "user_account 1" in message
    assert "--force" in message
    result = cli(target, "restore", "--force", str(backup.path))
    assert result.exit_code == 0, result.output
    restored = table_rows(target)
    assert without_restore_entry(restored) == backup.rows
    with target.app_context():
        from qa_audit.changelog.models import ChangeLogEntry

        entry = db.session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.action == "database.restore")
        ).one()
        assert entry.after is not None
        assert entry.before is not None
        assert entry.after["forced"] is True
        assert entry.before["rows"]["user_account"] == 1


def test_restore_failing_half_way_is_undone(backup: Backup, target: Flask, tmp_path: Path) -> None:
    """Checksums agree but a row breaks a constraint (two accounts with one e-mail address):
    the rows already inserted, and the deletion of the seeded data, are all rolled back."""
    with zipfile.ZipFile(backup.path) as archive:
        lines = archive.read("tables/user_account.jsonl").splitlines(keepends=True)
    first, second = json.loads(lines[0]), json.loads(lines[1])
    second["email"] = first["email"]
    lines[1] = json.dumps(second).encode() + b"\n"
    broken = tmp_path / "broken.zip"
    rewrite(
        backup.path,
        broken,
        {"tables/user_account.jsonl": b"".join(lines)},
        fix_manifest=True,
        signed_by=target,
    )
    message = refused(target, broken)
    assert "The restore failed and was undone" in message
