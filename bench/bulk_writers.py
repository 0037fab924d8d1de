"""Writing the benchmark's bulk rows: SQLite by executemany in one transaction (no journal,
synchronous off), PostgreSQL by COPY; each with the bulk tables' secondary indexes dropped
first and built again at the end."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Sequence
from typing import Any

from bench.bulk_rows import BULK_TABLES

VACUUM_ATTEMPTS = 5


class SQLiteWriter:
    def __init__(self, path: str, check_foreign_keys: bool) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute(f"PRAGMA foreign_keys={'ON' if check_foreign_keys else 'OFF'}")
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA cache_size=-262144")  # 256 MB
        self.conn.execute("PRAGMA temp_store=MEMORY")
        marks = ",".join("?" * len(BULK_TABLES))
        self.indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})",
            BULK_TABLES,
        ).fetchall()
        self.conn.execute("BEGIN")
        for name, _ in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')

    def max_id(self, table: str) -> int:
        return int(self.conn.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0])

    def columns(self, table: str) -> list[tuple[str, bool, bool]]:
        """(name, not null, has a default) of each column."""
        return [
            (row[1], bool(row[3]), row[4] is not None)
            for row in self.conn.execute(f'PRAGMA table_info("{table}")')
        ]

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def finish(self) -> None:
        for _, sql in self.indexes:
            self.conn.execute(sql)
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.close()


def libpq_url(url: str) -> str:
    """A SQLAlchemy postgresql+psycopg URL as psycopg's connection string."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresWriter:
    def __init__(self, url: str, check_foreign_keys: bool) -> None:
        import psycopg

        self.conn = psycopg.connect(libpq_url(url))
        if not check_foreign_keys:
            # The rows are made consistent; the smoke test builds with the checks on.
            self.conn.execute("SET session_replication_role = replica")
        self.conn.execute("SET maintenance_work_mem = '256MB'")
        self.indexes = self.conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(BULK_TABLES)],
        ).fetchall()
        for name, _ in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')

    def max_id(self, table: str) -> int:
        row = self.conn.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()
        return int(row[0]) if row else 0

    def columns(self, table: str) -> list[tuple[str, bool, bool]]:
        return [
            (name, nullable == "NO", default is not None)
            for name, nullable, default in self.conn.execute(
                "SELECT column_name, is_nullable, column_default FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
                [table],
            )
        ]

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        with (
            self.conn.cursor() as cursor,
            cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        for _, sql in self.indexes:
            self.conn.execute(sql)
        for table in BULK_TABLES:
            if table != "audit_learning_theme":
                self.conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)'
                )
        self.conn.commit()
        self.conn.autocommit = True
        # What autovacuum would do after such a load; until VACUUM has marked the pages
        # all-visible, index-only scans read the table too and the planner prefers scans.
        # A VACUUM can leave the newest pages unmarked while another transaction (autovacuum's
        # own ANALYZE of a table just loaded) holds an older snapshot: then once more.
        for attempt in range(VACUUM_ATTEMPTS):
            self.conn.execute("VACUUM ANALYZE")
            if self.all_visible() >= 0.99 or attempt + 1 == VACUUM_ATTEMPTS:
                break
            time.sleep(2)
        self.conn.close()

    def all_visible(self) -> float:
        """The share of the bulk tables' pages that VACUUM has marked all-visible."""
        row = self.conn.execute(
            "SELECT SUM(relallvisible)::float / NULLIF(SUM(relpages), 0) FROM pg_class "
            "WHERE relname = ANY(%s) AND relkind = 'r'",
            (list(BULK_TABLES),),
        ).fetchone()
        return float(row[0]) if row and row[0] is not None else 1.0


def check_columns(writer: Any, table: str, given: Sequence[str]) -> None:
    """Columns this generator does not fill that the database requires: refuse clearly (a new
    NOT NULL column without a default means bench/data.py must learn about it)."""
    missing = [
        name
        for name, not_null, has_default in writer.columns(table)
        if name not in given and not_null and not has_default
    ]
    if missing:
        raise RuntimeError(
            f"the benchmark's generator does not fill {table}.{', '.join(missing)} (NOT NULL, "
            "no default): add the column to bench/audit_rows.py or bench/follow_up_rows.py"
        )
