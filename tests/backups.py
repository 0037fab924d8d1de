"""Backups in tests: databases to back up and restore into (of the suite's kind or the other),
case data to fill one, every row of a database read back, the `qa-audit` command, and a
restore that must be refused leaving its target as it was. The fixtures ``target`` (a fresh
database to restore into) and ``backup`` (one backup a module) are imported by the test modules
that use them."""

from __future__ import annotations

import hashlib
import json
import os
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
from sqlalchemy import JSON, MetaData, Table, create_engine, select, text
from sqlalchemy.engine import make_url

from qa_audit.auth.roles import Role
from qa_audit.backup.format import NOT_BACKED_UP
from qa_audit.backup.signing import signature
from qa_audit.core.extensions import db
from tests import factories
from tests.conftest import make_migrated_app
from tests.databases import fresh_database, is_postgres

REPORT_TODAY = date(2024, 6, 1)


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


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Flask]:
    """A freshly migrated and seeded database of the suite's kind: what `qa-audit db upgrade
    heads` and `qa-audit seed` leave on a new server."""
    with fresh_database(tmp_path, "restore") as url, migrated(url) as app:
        yield app


@pytest.fixture(scope="module")
def backup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backup]:
    folder = tmp_path_factory.mktemp("backup")
    with fresh_database(folder, "backup") as url, backup_of(url, folder) as made:
        yield made
