"""`qa-audit backup` and `qa-audit restore`: every table round-trips exactly, on SQLite and
PostgreSQL and from one to the other; damaged files, the wrong revision and a database that
already holds data are refused with a clear message, leaving the target untouched."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import stat
import struct
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import JSON, MetaData, Table, create_engine, select, text
from sqlalchemy.engine import make_url

from qa_audit import create_app
from qa_audit.auth.roles import Role
from qa_audit.backup.format import NOT_BACKED_UP
from qa_audit.backup.signing import signature
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db
from tests import factories
from tests.conftest import make_migrated_app
from tests.databases import fresh_database, is_postgres

REPORT_TODAY = date(2024, 6, 1)


# --- databases -----------------------------------------------------------------------------


@contextmanager
def other_database(tmp_dir: Path) -> Iterator[str]:
    """A fresh database of the other kind from the suite's: SQLite when the suite runs on
    PostgreSQL; PostgreSQL (QA_AUDIT_TEST_POSTGRES_URL, set by scripts/with-postgres.sh)
    when it runs on SQLite."""
    if is_postgres():
        yield f"sqlite:///{tmp_dir / f'other-{uuid.uuid4().hex[:8]}.sqlite'}"
        return
    server = os.environ.get("QA_AUDIT_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("QA_AUDIT_TEST_POSTGRES_URL is not set (run through scripts/with-postgres.sh)")
    name = f"qa_test_other_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migrated(url: str) -> Iterator[Flask]:
    app = make_migrated_app(url)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Flask]:
    """A freshly migrated and seeded database of the suite's kind: what `qa-audit db upgrade
    heads` and `qa-audit seed` leave on a new server."""
    with fresh_database(tmp_path, "restore") as url, migrated(url) as app:
        yield app


# --- reading a whole database back -----------------------------------------------------------


def tables() -> list[Table]:
    """The tables a backup holds (each database keeps its own data version)."""
    return sorted(
        (t for t in db.metadata.tables.values() if t.name not in NOT_BACKED_UP),
        key=lambda t: t.name,
    )


def table_rows(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by primary key, as Python values; JSON columns also
    say whether they are SQL NULL (apart from JSON null)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with app.app_context(), db.engine.connect() as conn:
        for table in tables():
            columns: list[Any] = []
            for column in table.columns:
                columns.append(column)
                if isinstance(column.type, JSON):
                    columns.append(column.is_(None))
            query = select(*columns).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(row) for row in conn.execute(query)]
    return out


def without_restore_entry(
    rows: dict[str, list[tuple[Any, ...]]],
) -> dict[str, list[tuple[Any, ...]]]:
    names = row_names(db.metadata.tables["change_log"])
    kept = [r for r in rows["change_log"] if r[names.index("action")] != "database.restore"]
    if "log_chain_head" not in rows:
        return rows | {"change_log": kept}
    # The restore's own entry moved the change log's chain on: without it, the chain ends
    # at the last entry kept.
    last = kept[-1][names.index("row_hash")]
    heads = [(n, last if n == "change_log" else h) for n, h in rows["log_chain_head"]]
    return rows | {"change_log": kept, "log_chain_head": heads}


def row_names(table: Table) -> list[str]:
    """The names of a row's values as table_rows gives them."""
    names: list[str] = []
    for column in table.columns:
        names.append(column.name)
        if isinstance(column.type, JSON):
            names.append(f"{column.name} is SQL NULL")
    return names


def period_report(app: Flask) -> dict[str, Any] | None:
    """February–April 2024's report JSON, or None if the reports part is not importable."""
    try:
        from qa_audit.report_filters import resolve_filters
        from qa_audit.reports.services import build_period_report
    except ImportError:
        return None
    with app.app_context():
        report = build_period_report(resolve_filters("2024-02", "2024-04"), today=REPORT_TODAY)
        db.session.rollback()
        return json.loads(json.dumps(report, sort_keys=True, default=str))


def alembic_revisions(app: Flask) -> list[str]:
    with app.app_context(), db.engine.connect() as conn:
        return sorted(r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version")))


def cli(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


# --- the data backed up --------------------------------------------------------------------


def build_case_data() -> None:
    """Users of every role, audits of three months (one closing the loop on a later one, so
    an audit refers forward to another), feedback, learning themes, a safeguarding concern,
    a completed moderation with a sampling decision, actions open and done, change-log
    entries with JSON null and SQL NULL, and text that is not ASCII."""
    from qa_audit.actions.models import Action
    from qa_audit.actions.services import add_action
    from qa_audit.audits.models import FeedbackConversation, SafeguardingConcern
    from qa_audit.changelog.services import record_change
    from qa_audit.learning_themes.models import LearningTheme
    from qa_audit.moderation.models import Moderation, ModerationGrade, SamplingDecision

    auditor = factories.user(Role.AUDITOR, area_key="locality", name="Siân O’Connor-Ünal")
    other = factories.user(Role.AUDITOR, area_key="corporate_parenting")
    moderator = factories.user(Role.MODERATOR, Role.AUDITOR)
    lead = factories.user(Role.QA_LEAD, Role.MODERATOR)
    factories.user(Role.SERVICE_MANAGER, area_key="locality")
    factories.user(Role.VIEWER)
    factories.user(Role.ADMIN)
    factories.user(Role.AUDITOR, active=False, password=None)
    grades = [
        ("good", date(2024, 2, 12), auditor, "locality"),
        ("requires_improvement", date(2024, 3, 5), other, "corporate_parenting"),
        ("inadequate", date(2024, 4, 22), auditor, "locality"),
        ("outstanding", date(2024, 4, 30), other, "corporate_parenting"),
        ("good", date(2024, 1, 31), auditor, "locality"),
    ]
    audits = [
        factories.audit(
            auditor=who,
            overall=grade,
            submitted_on=on,
            area_key=area,
            grades={"permanence": "not_applicable"} if grade == "good" else None,
        )
        for grade, on, who, area in grades
    ]
    factories.audit(auditor=auditor, status="draft", overall=None)
    # Closing the loop: the earlier row points at a later one (filled in after the insert).
    audits[0].audit_type = "closing_the_loop"
    audits[0].previous_audit_id = audits[3].id
    themes = list(db.session.scalars(select(LearningTheme).order_by(LearningTheme.id).limit(2)))
    audits[1].learning_themes.extend(themes)
    audits[2].feedback.append(
        FeedbackConversation(
            who="child",
            how="visit",
            said="“I like my social worker” – ok",
            tone="positive",
            consent_to_quote=True,
        )
    )
    db.session.add(
        SafeguardingConcern(
            audit=audits[2],
            raised_by_id=auditor.id,
            description="Concern",
            service_area_id=audits[2].service_area_id,
        )
    )
    moderation = Moderation(
        audit=audits[2],
        status="completed",
        priority="high",
        selection_reason="Inadequate",
        selected_at=datetime(2024, 4, 22, 13, 5, 7, 123456, tzinfo=UTC),
        due_on=date(2024, 4, 29),
        moderator_id=moderator.id,
        overall_grade="requires_improvement",
        outcome="upgraded",
        overall_rationale="Better than judged",
        moderated_on=date(2024, 4, 26),
        completed_at=datetime(2024, 4, 26, 9, 0, tzinfo=UTC),
    )
    moderation.grades.append(ModerationGrade(domain_key="assessment", grade="good", rationale="R"))
    db.session.add(moderation)
    db.session.add(
        SamplingDecision(
            audit_id=audits[0].id,
            grade="good",
            rate=0.5,
            draw=0.123456789012345,
            selected=False,
            reason="Draw above the rate",
        )
    )
    add_action(
        lead,
        source="audit",
        description="Review the plan",
        owner_id=auditor.id,
        due_on=date(2024, 5, 1),
        audit_id=audits[1].id,
        today=date(2024, 4, 1),
    )
    db.session.add(
        Action(
            source="audit",
            audit_id=audits[2].id,
            description="Visit",
            owner_id=auditor.id,
            due_on=date(2024, 3, 1),
            status="done",
            completion_note="Done",
            completed_at=datetime(2024, 3, 2, tzinfo=UTC),
            completed_by_id=auditor.id,
        )
    )
    record_change(lead, "audit.noted", audits[1], None, {"note": "ünïcödé", "n": [1, 2.5, None]})
    db.session.commit()


@dataclass
class Backup:
    path: Path
    source: Flask
    rows: dict[str, list[tuple[Any, ...]]]
    report: dict[str, Any] | None
    output: str


@contextmanager
def backup_of(url: str, tmp_dir: Path) -> Iterator[Backup]:
    with migrated(url) as source:
        with source.app_context():
            build_case_data()
        rows = table_rows(source)
        report = period_report(source)
        path = tmp_dir / "qa-audit.backup.zip"
        result = cli(source, "backup", str(path))
        assert result.exit_code == 0, result.output
        yield Backup(path, source, rows, report, result.output)


@pytest.fixture(scope="module")
def backup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backup]:
    folder = tmp_path_factory.mktemp("backup")
    with fresh_database(folder, "backup") as url, backup_of(url, folder) as made:
        yield made


# --- round trips ---------------------------------------------------------------------------


def assert_restored_exactly(backup: Backup, target: Flask) -> None:
    result = cli(target, "restore", str(backup.path))
    assert result.exit_code == 0, result.output
    total = sum(len(r) for r in backup.rows.values())
    assert f"Restored {total} rows into {len(backup.rows)} tables" in result.output
    restored = table_rows(target)
    assert without_restore_entry(restored) == backup.rows
    for name, rows in backup.rows.items():  # the same rows, and the data is really there
        assert len(restored[name]) == len(rows) + (name == "change_log")
    assert len(backup.rows["audit"]) == 6
    assert len(backup.rows["moderation"]) == 1
    assert len(backup.rows["action"]) == 2
    assert len(backup.rows["user_account"]) >= 8
    if backup.report is not None:
        assert period_report(target) == backup.report

    with target.app_context():
        from qa_audit.changelog.models import ChangeLogEntry

        entry = db.session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.action == "database.restore")
        ).one()
        assert entry.after is not None
        assert entry.before is not None
        assert entry.after["total_rows"] == total
        assert entry.after["rows"]["audit"] == 6
        assert entry.after["file"] == backup.path.name
        assert entry.after["forced"] is False
        assert entry.before["rows"]["user_account"] == 0  # a seeded, empty target
        # The restore's own entry, and new rows, take fresh ids (PostgreSQL sequences reset).
        assert entry.id == max(r[0] for r in backup.rows["change_log"]) + 1
        user = factories.user(Role.AUDITOR)
        audit = factories.audit(auditor=user)
        db.session.commit()
        assert user.id > max(r[0] for r in backup.rows["user_account"])
        assert audit.id > max(r[0] for r in backup.rows["audit"])


def test_backup_restores_into_a_fresh_database_exactly(backup: Backup, target: Flask) -> None:
    assert "Backed up" in backup.output
    assert_restored_exactly(backup, target)  # the report JSON too, when reports exist


def test_report_compared_before_and_after_has_the_hand_worked_figures(backup: Backup) -> None:
    """The report the round trips compare is not empty. Worked by hand: February–April 2024
    holds 4 submitted audits (Good, RI, Inadequate, Outstanding; the January one and the
    draft are out); the Inadequate was moderated and upgraded to RI."""
    if backup.report is None:
        pytest.skip("qa_audit.reports.services.build_period_report is not importable")
    assert backup.report["audits_completed"] == 4
    assert backup.report["moderation"]["moderated"] == 1
    assert backup.report["moderation"]["upgraded"] == 1
    overall = backup.report["overall"]
    assert overall["as_audited"] == {
        "outstanding": 1,
        "good": 1,
        "requires_improvement": 1,
        "inadequate": 1,
    }
    assert overall["final"] == {
        "outstanding": 1,
        "good": 1,
        "requires_improvement": 2,
        "inadequate": 0,
    }
    assert overall["final_percent"]["requires_improvement"] == 50.0


def test_backup_from_one_database_kind_restores_into_the_other(
    backup: Backup, tmp_path: Path
) -> None:
    with other_database(tmp_path) as url, migrated(url) as target:
        assert_restored_exactly(backup, target)


def test_backup_of_the_other_kind_restores_here(tmp_path: Path, target: Flask) -> None:
    with other_database(tmp_path) as url, backup_of(url, tmp_path) as made:
        assert_restored_exactly(made, target)


def test_restored_database_backs_up_to_the_same_rows(
    backup: Backup, target: Flask, tmp_path: Path
) -> None:
    assert cli(target, "restore", str(backup.path)).exit_code == 0
    again = tmp_path / "again.zip"
    assert cli(target, "backup", str(again)).exit_code == 0
    with zipfile.ZipFile(backup.path) as first, zipfile.ZipFile(again) as second:
        for name in first.namelist():
            # The restore's change-log entry is new, and so is the end of the log's chain.
            if name.startswith("tables/") and name not in (
                "tables/change_log.jsonl",
                "tables/log_chain_head.jsonl",
            ):
                assert first.read(name) == second.read(name), name


# --- the file ------------------------------------------------------------------------------


def test_backup_file_holds_a_manifest_with_checksums(backup: Backup) -> None:
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600  # special-category data
    with zipfile.ZipFile(backup.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "qa-audit-backup"
        assert manifest["format_version"] == 2
        assert manifest["app_version"] == importlib.metadata.version("qa-audit")
        assert manifest["alembic_revisions"] == alembic_revisions(backup.source)
        assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
        listed = [t["name"] for t in manifest["tables"]]
        assert sorted(listed) == sorted(set(db.metadata.tables) - NOT_BACKED_UP)
        # Dependency order: every table comes after the tables it refers to (bar itself).
        for position, name in enumerate(listed):
            for fk in db.metadata.tables[name].foreign_keys:
                if fk.column.table.name != name:
                    assert listed.index(fk.column.table.name) < position, (name, fk)
        for entry in manifest["tables"]:
            data = archive.read(entry["file"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
            assert len(data) == entry["bytes"] == archive.getinfo(entry["file"]).file_size
            assert len(data.splitlines()) == entry["rows"] == len(backup.rows[entry["name"]])
        audit_row = json.loads(archive.read("tables/audit.jsonl").splitlines()[0])
        assert audit_row["submitted_on"] == "2024-02-12"
        assert audit_row["submitted_at"] == "2024-02-12T12:00:00+00:00"
    with backup.source.app_context():
        from qa_audit.changelog.models import ChangeLogEntry

        entry = db.session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.action == "database.backup")
        ).one()
        assert entry.after is not None
        assert entry.after["rows"] == {t["name"]: t["rows"] for t in manifest["tables"]}
        assert entry.after["sha256"] == hashlib.sha256(backup.path.read_bytes()).hexdigest()


def test_backup_will_not_overwrite_a_file(backup: Backup, tmp_path: Path) -> None:
    existing = tmp_path / "existing.zip"
    existing.write_bytes(b"yesterday's backup")
    result = cli(backup.source, "backup", str(existing))
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert existing.read_bytes() == b"yesterday's backup"
    assert list(tmp_path.iterdir()) == [existing]  # no temporary file left behind


# --- refusals: the target is left as it was -------------------------------------------------


def rewrite(
    source: Path,
    dest: Path,
    change: dict[str, bytes],
    fix_manifest: bool,
    signed_by: Flask | None = None,
) -> None:
    """A copy of a backup with some members replaced (and, if asked, the manifest made to
    agree with them, as a careless hand edit would not; and signed again with ``signed_by``'s
    backup key, as only someone holding the key could)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w") as new:
        manifest_bytes = old.read("manifest.json")
        manifest = json.loads(manifest_bytes)
        for name in old.namelist():
            if name not in ("manifest.json", "signature.json"):
                new.writestr(name, change.get(name, old.read(name)))
        if fix_manifest:
            for entry in manifest["tables"]:
                if entry["file"] in change:
                    data = change[entry["file"]]
                    entry["sha256"] = hashlib.sha256(data).hexdigest()
                    entry["rows"] = len(data.splitlines())
                    entry["bytes"] = len(data)
            manifest_bytes = json.dumps(manifest).encode()
        new.writestr("manifest.json", manifest_bytes)
        signed = old.read("signature.json")
        if signed_by is not None:
            with signed_by.app_context():
                signed = signature(manifest_bytes)
        new.writestr("signature.json", signed)


def stored_rows(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the database really has (alembic_version included), read
    through reflection: the schema may be older than the models."""
    with app.app_context(), db.engine.connect() as conn:
        reflected = MetaData()
        reflected.reflect(conn)
        return {
            name: sorted(tuple(map(str, row)) for row in conn.execute(select(table)))
            for name, table in reflected.tables.items()
        }


def refused(target: Flask, path: Path, *args: str) -> str:
    before = stored_rows(target)
    result = cli(target, "restore", str(path), *args)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a message, not a crash
    assert stored_rows(target) == before
    assert "Traceback" not in result.output
    return result.stderr


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
