"""Planner statistics after a bulk load (PostgreSQL's own advice in "Populating a Database").

Until autovacuum's next ANALYZE (up to a minute after the commit, and never for rows not yet
committed) PostgreSQL takes freshly filled tables for empty and joins them by nested loops:
the demo's two-year report then took 0.6 s instead of 0.05 s, and on a table with many dead
rows more than the 30-second statement limit. SQLite plans from its indexes alone."""

from __future__ import annotations

from sqlalchemy import text

from qa_audit.core.extensions import db


def refresh_statistics(*tables: str) -> None:
    """ANALYZE these tables in the current transaction (which sees its own new rows). Table
    names come from the models, never from input. A table the role does not own is skipped
    by PostgreSQL with a warning, not an error."""
    if db.session.get_bind().dialect.name != "postgresql" or not tables:
        return
    db.session.flush()
    db.session.execute(text(f"ANALYZE {', '.join(tables)}"))
