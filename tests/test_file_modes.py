"""Files holding case data are their owner's alone whatever the umask of the shell that made
them: report exports, backups and a restored SQLite database 0600, a new backups folder 0700.

Each test runs under umask 022, an operator's usual shell, where these files came out 0644."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from qa_audit.core.extensions import db as _db
from qa_audit.core.private_files import private_folder, write_private
from tests import factories
from tests.conftest import make_migrated_app


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def operators_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on an SQLite file of its own, with an audit in it."""
    app = make_migrated_app(f"sqlite:///{tmp_path / 'source.sqlite'}")
    with app.app_context():
        factories.audit()
        _db.session.commit()
    yield app
    with app.app_context():
        _db.engine.dispose()


def test_the_report_written_with_out_is_private(app: Flask, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    new = tmp_path / "report.csv"
    args = ["report", "--from", "2024-01", "--to", "2024-03", "--format", "csv", "--out"]
    result = runner.invoke(args=[*args, str(new)])
    assert result.exit_code == 0, result.output
    assert mode(new) == 0o600
    assert new.read_bytes()
    # A file already there, readable by everyone, is narrowed before the report goes in.
    old = tmp_path / "old.csv"
    old.write_bytes(b"last month's report, longer than this month's " * 100)
    old.chmod(0o644)
    result = runner.invoke(args=[*args, str(old)])
    assert result.exit_code == 0, result.output
    assert mode(old) == 0o600
    assert old.read_bytes() == new.read_bytes()


def test_a_backup_makes_its_missing_folder_private(sqlite_app: Flask, tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    target = tmp_path / "backups" / "nightly" / "qa-audit.zip"
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert mode(target) == 0o600
    assert mode(tmp_path / "backups") == 0o700
    assert mode(tmp_path / "backups" / "nightly") == 0o700
    assert mode(tmp_path) == 0o755  # a folder that was there keeps its own mode


def test_a_backup_into_a_file_where_a_folder_should_be_is_refused(
    sqlite_app: Flask, tmp_path: Path
) -> None:
    (tmp_path / "not-a-folder").write_text("")
    result = sqlite_app.test_cli_runner().invoke(
        args=["backup", str(tmp_path / "not-a-folder" / "qa-audit.zip")]
    )
    assert result.exit_code == 1
    assert "is not a folder" in result.stderr


def test_a_restored_sqlite_database_is_private(sqlite_app: Flask, tmp_path: Path) -> None:
    backup = tmp_path / "qa-audit.zip"
    assert sqlite_app.test_cli_runner().invoke(args=["backup", str(backup)]).exit_code == 0
    restored = tmp_path / "restored.sqlite"
    target = make_migrated_app(f"sqlite:///{restored}")
    try:
        assert mode(restored) == 0o644  # made under the operator's umask by the migration
        result = target.test_cli_runner().invoke(args=["restore", str(backup)])
        assert result.exit_code == 0, result.output
        assert mode(restored) == 0o600
        for journal in tmp_path.glob("restored.sqlite-*"):
            assert mode(journal) == 0o600, journal.name
    finally:
        with target.app_context():
            _db.engine.dispose()


def test_private_files_and_folders(tmp_path: Path) -> None:
    private_folder(tmp_path / "a" / "b")
    assert mode(tmp_path / "a") == mode(tmp_path / "a" / "b") == 0o700
    private_folder(tmp_path / "a" / "b")  # already there: nothing to do
    write_private(tmp_path / "a" / "b" / "export.csv", b"case_ref\n")
    assert mode(tmp_path / "a" / "b" / "export.csv") == 0o600
