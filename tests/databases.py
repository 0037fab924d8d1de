"""Fresh, empty databases for tests: a temporary SQLite file, or a new PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def base_url() -> str:
    """The database the suite runs on: QA_AUDIT_TEST_DATABASE_URL, SQLite by default."""
    return os.environ.get("QA_AUDIT_TEST_DATABASE_URL", "sqlite://")


def is_postgres(url: str | None = None) -> bool:
    return make_url(url or base_url()).get_backend_name() == "postgresql"


@contextmanager
def fresh_database(tmp_dir: Path, label: str) -> Iterator[str]:
    """A new empty database of the suite's kind; dropped afterwards."""
    url = base_url()
    if not is_postgres(url):
        path = tmp_dir / f"{label}-{uuid.uuid4().hex[:8]}.sqlite"
        yield f"sqlite:///{path}"
        return
    name = f"qa_test_{label}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
