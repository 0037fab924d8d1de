"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from qa_audit import create_app
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db
from qa_audit.evidence.search import SEARCH_TABLES, is_search_object
from tests.databases import fresh_database, is_postgres


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on a new, empty database of the suite's kind (no tables at all)."""
    with fresh_database(tmp_path, "migrations") as url:
        app = create_app(TestConfig(database_url=url))
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


def schema_differences() -> list:
    """What autogenerate would still do to make the database match the models."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                # as migrations/env.py: full-text search's tables and indexes are not models
                "include_name": lambda name, *_: not is_search_object(name),
            },
        )
        return compare_metadata(context, db.metadata)


def app_tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version", *SEARCH_TABLES}


def enum_types() -> list[str]:
    """Native PostgreSQL enum types (an Alembic downgrade can leave them behind)."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                "WHERE t.typtype = 'e' AND n.nspname = 'public'"
            )
        )
        return [row[0] for row in rows]


def test_empty_database_upgraded_to_head_matches_the_models(empty_app: Flask) -> None:
    assert app_tables() == set()
    upgrade(revision="head")
    assert app_tables() == set(db.metadata.tables)
    assert schema_differences() == []


def test_downgrade_to_base_removes_everything_and_upgrade_rebuilds_it(empty_app: Flask) -> None:
    upgrade(revision="head")
    downgrade(revision="base")
    assert app_tables() == set()
    if is_postgres(str(db.engine.url)):
        assert enum_types() == []
    upgrade(revision="head")
    assert app_tables() == set(db.metadata.tables)
    assert schema_differences() == []


def test_the_migrations_are_one_linear_chain(empty_app: Flask) -> None:
    """One head and one base: a second branch would need a merge revision and "heads"."""
    migrate = empty_app.extensions["migrate"]
    config = migrate.migrate.get_config(migrate.directory)
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1
    chain = list(script.walk_revisions())
    assert all(not revision.is_merge_point for revision in chain)


def test_the_seeded_rows_exist_after_upgrade(empty_app: Flask) -> None:
    upgrade(revision="head")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT id, n FROM data_version")).all() == [(1, 1)]
        settings = connection.execute(
            text("SELECT id, length(salt) FROM moderation_sampling_settings")
        ).all()
    assert settings == [(1, 32)]
