"""Where the benchmark's databases live, and building them only when they are missing.

SQLite: files bench/data/qa-bench-<size>-<key>.sqlite. PostgreSQL: databases
qa_bench_<size>_<key> on the server of QA_AUDIT_TEST_POSTGRES_URL (`make bench` keeps that
server's cluster in bench/data/postgres between runs). <key> is data.schema_key(): a change to
the migrations or to the generator builds the database again (and removes the old one)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

from bench import data

DATA_DIR = data.ROOT / "bench" / "data"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Built:
    url: str
    built: bool
    seconds: float


def postgres_admin_url() -> str | None:
    return os.environ.get("QA_AUDIT_TEST_POSTGRES_URL") or None


def _pg_url(name: str) -> str:
    admin = postgres_admin_url()
    assert admin, "QA_AUDIT_TEST_POSTGRES_URL is not set"
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


@contextmanager
def _pg_admin() -> Iterator[Connection]:
    engine = create_engine(_pg_url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _pg_databases(conn: Connection, prefix: str) -> list[str]:
    rows = conn.execute(
        text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": f"{prefix}%"}
    )
    return [name for (name,) in rows]


def _sqlite_remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def ensure(
    backend: str, label: str, log: Callable[[str], None] = print, rebuild: bool = False
) -> Built:
    """The URL of the ``label`` database, built first if it is missing or out of date."""
    size = SIZES[label]
    key = data.schema_key()
    started = time.perf_counter()
    if backend == "sqlite":
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path = DATA_DIR / f"qa-bench-{label}-{key}.sqlite"
        url = f"sqlite:///{path}"
        if path.exists() and not rebuild:
            return Built(url, False, 0.0)
        for old in DATA_DIR.glob(f"qa-bench-{label}-*.sqlite*"):
            old.unlink()
        partial = DATA_DIR / f"qa-bench-{label}-{key}.partial.sqlite"
        _sqlite_remove(partial)
        log(f"building the {label} SQLite database ({size:,} audits) in {path.name}")
        data.build_database(f"sqlite:///{partial}", size, log=log)
        _sqlite_remove(path)
        partial.rename(path)
        _sqlite_remove(partial)
        return Built(url, True, time.perf_counter() - started)

    name = f"qa_bench_{label}_{key}"
    with _pg_admin() as conn:
        present = _pg_databases(conn, f"qa_bench_{label}_")
        if name in present and not rebuild:
            return Built(_pg_url(name), False, 0.0)
        for stale in present:
            conn.execute(text(f'DROP DATABASE "{stale}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}_partial"'))
    log(f"building the {label} PostgreSQL database ({size:,} audits) as {name}")
    data.build_database(_pg_url(f"{name}_partial"), size, log=log)
    with _pg_admin() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}_partial" RENAME TO "{name}"'))
    return Built(_pg_url(name), True, time.perf_counter() - started)


@contextmanager
def fresh(backend: str, label: str) -> Iterator[str]:
    """A new empty database of ``backend``, removed afterwards (the import benchmark)."""
    if backend == "sqlite":
        folder = Path(
            tempfile.mkdtemp(prefix="qa-bench-", dir=DATA_DIR if DATA_DIR.exists() else None)
        )
        try:
            yield f"sqlite:///{folder / f'{label}.sqlite'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"qa_bench_tmp_{label}_{uuid.uuid4().hex[:8]}"
    with _pg_admin() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _pg_url(name)
    finally:
        with _pg_admin() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def server_version(url: str) -> str:
    """The database engine's version (SQLite library or PostgreSQL server)."""
    if make_url(url).get_backend_name() == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()
