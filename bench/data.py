"""Synthetic authorities for the benchmark, built by bulk insert into a migrated database.

The shape (the same for every size, so that sizes differ only in history):
- 120 months of audits ending at END_MONTH (ten years);
- the latest RECENT_MONTHS months hold RECENT_PER_MONTH audits each (9,600 audits): every
  report the benchmark times reads only these months, so the one-month report has the same
  audits to count on the 10,000- and the 1,000,000-audit database;
- everything else is older history, spread evenly over the 96 months before.
Each audit has a grade per domain of its tool (qaif-2022 before April 2024, the practice
principles after), about 36% a moderation (every Inadequate, a sample of the rest) with a
grade per domain, 1.2 feedback conversations, 0.8 actions, 1.2 learning-theme tags and its
rota allocation; Inadequate maintained after moderation has a reflective conversation.

Built by ``build_database``: migrations (flask_migrate upgrade to head through create_app),
reference data and people through the ORM, then the bulk tables with the secondary indexes
dropped, by executemany in one transaction (SQLite, synchronous=OFF, no journal) or COPY
(PostgreSQL, foreign-key triggers off unless checked), and the indexes built again at the end.
The generator is seeded: the same size always gives the same rows.

Where each part is: authority.py (the shape), people.py (reference data and people, through
the ORM), audit_rows.py and follow_up_rows.py (the bulk rows), bulk_writers.py (writing them).
This module builds a database from them, and is what the rest of the benchmark imports."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.audit_rows import generate
from bench.authority import (
    END_MONTH,
    MONTHS,
    RECENT_MONTHS,
    RECENT_PER_MONTH,
    ROOT,
    add_months,
    busiest_year,
    month_counts,
)
from bench.bulk_rows import BULK_TABLES, Batch, Ids, Stamps
from bench.bulk_writers import PostgresWriter, SQLiteWriter, check_columns
from bench.people import PASSWORD, QA_LEAD_EMAIL, bench_app, make_people, migrate

# What the rest of the benchmark reads from here, wherever it is defined.
__all__ = [
    "END_MONTH",
    "MONTHS",
    "PASSWORD",
    "QA_LEAD_EMAIL",
    "RECENT_MONTHS",
    "RECENT_PER_MONTH",
    "ROOT",
    "BuildSummary",
    "add_months",
    "bench_app",
    "build_database",
    "busiest_year",
    "migrate",
    "month_counts",
    "schema_key",
]
# The modules whose code decides the rows: a change to any of them rebuilds the databases.
GENERATOR = (
    "data.py",
    "authority.py",
    "people.py",
    "bulk_rows.py",
    "audit_rows.py",
    "follow_up_rows.py",
    "bulk_writers.py",
)


def schema_key() -> str:
    """A hash of the migrations and of this generator: a database is rebuilt when it changes."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "qa_audit" / "migrations" / "versions").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for name in GENERATOR:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:12]


@dataclass
class BuildSummary:
    audits: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def build_database(
    url: str,
    size: int,
    *,
    check_foreign_keys: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> BuildSummary:
    """Fill the empty database at ``url``: migrate, seed, people, then ``size`` audits."""
    from sqlalchemy.engine import make_url

    migrate(url)
    lookups = make_people(url, size)
    backend = make_url(url).get_backend_name()
    writer: Any
    if backend == "sqlite":
        database = make_url(url).database
        assert database, "a SQLite file, not an in-memory database"
        writer = SQLiteWriter(database, check_foreign_keys)
        stamps = Stamps("")
    else:
        writer = PostgresWriter(url, check_foreign_keys)
        stamps = Stamps("+00")
    ids = Ids({t: writer.max_id(t) + 1 for t in BULK_TABLES if t != "audit_learning_theme"})
    summary = BuildSummary(audits=size)
    checked: set[str] = set()
    pending: dict[str, Batch] = {}

    def flush(table: str) -> None:
        batch = pending.pop(table)
        if table not in checked:
            check_columns(writer, table, batch.columns)
            checked.add(table)
        writer.write(table, batch.columns, batch.rows)
        summary.rows[table] = summary.rows.get(table, 0) + len(batch.rows)

    done = 0
    for batches in generate(size, lookups, ids, stamps):
        for batch in batches:
            if batch.table in pending:
                pending[batch.table].rows.extend(batch.rows)
            else:
                pending[batch.table] = batch
        done += len(batches[1].rows)
        # Flush in foreign-key order once enough rows have gathered.
        if sum(len(b.rows) for b in pending.values()) > 400_000:
            for table in list(pending):
                flush(table)
            log(f"{done:,} of {size:,} audits")
    for table in list(pending):
        flush(table)
    writer.finish()
    return summary
