"""Which statements upgrade a reading request's SQLite transaction before they run: every
write (and a savepoint), never a read, a SELECT with a WITH included."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import column, create_engine, event, insert, literal, select, table

from qa_audit.core.db import _writes

THINGS = table("things", column("id"), column("name"))


def compiled_statements(*statements: Any) -> list[tuple[str, bool]]:
    """Each statement as SQLite receives it, and whether it would upgrade."""
    engine = create_engine("sqlite://")
    seen: list[tuple[str, bool]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def note(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: Any) -> None:
        seen.append((statement.split()[0], _writes(statement, context)))

    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
        for statement in statements:
            conn.execute(statement)
    return seen


def test_compiled_writes_upgrade_and_reads_do_not() -> None:
    recent = select(THINGS.c.id).where(THINGS.c.name == "a").cte("recent")
    seen = compiled_statements(
        insert(THINGS).values(name="a"),
        select(THINGS.c.id),
        select(recent.c.id),  # WITH recent AS (...) SELECT: a read
        select(literal(1)),
    )
    assert seen == [
        ("CREATE", True),
        ("INSERT", True),
        ("SELECT", False),
        ("WITH", False),
        ("SELECT", False),
    ]


@pytest.mark.parametrize(
    ("statement", "writes"),
    [
        ("UPDATE data_version SET n = n + 1 WHERE id = 1", True),
        ("  delete from things", True),
        ("SAVEPOINT sa_savepoint_1", True),
        ("REPLACE INTO things VALUES (1, 'a')", True),
        ("WITH x AS (SELECT 1) INSERT INTO things SELECT * FROM x", True),
        ("SELECT 1 FROM sqlite_master WHERE name = 'data_version'", False),
        ("PRAGMA foreign_keys=ON", False),
        ("BEGIN", False),
        ("", False),
    ],
)
def test_sql_given_as_text_is_judged_by_its_first_word(statement: str, writes: bool) -> None:
    assert _writes(statement, None) is writes
