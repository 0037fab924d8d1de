"""Filling a URL rule's arguments from the database for the accessibility crawl: ids from the
table an argument names (several ids from one row and the rows it refers to), other arguments
from a column of that name, and the query strings a blueprint's pages need."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import Table, select
from werkzeug.routing import Rule

from qa_audit.core.extensions import db

CANDIDATES_PER_TABLE = 4

# Values for arguments that no table column names.
ARGUMENT_VALUES = {
    "fmt": ["csv", "json"],
    "section": ["assessment", "overall", "feedback", "actions"],  # the audit's section pages
    "allotment": ["crawledallotment"],  # a bulk allotment's batch id (build_records)
}

# Id arguments named for the part a person plays rather than for their table.
ID_TABLES = {"person_id": "user_account"}

# Query strings that pages of a blueprint need (the period of a report).
QUERIES = {"reports.": "from=2024-02&to=2024-04", "evidence.": "from=2024-02&to=2024-04"}


def _tables_for(argument: str) -> list[Table]:
    if argument in ID_TABLES:
        return [db.metadata.tables[ID_TABLES[argument]]]
    if not argument.endswith("_id"):
        return []
    stem = argument[: -len("_id")]
    tables = [t for t in db.metadata.tables.values() if "id" in t.primary_key.columns]
    return (
        [t for t in tables if t.name == stem]
        + sorted((t for t in tables if t.name.endswith(f"_{stem}")), key=lambda t: t.name)
        + sorted((t for t in tables if t.name.startswith(f"{stem}_")), key=lambda t: t.name)
    )


def _ordered_rows(table: Table, columns: list[Any], mine: dict[str, list[Any]]) -> list[Any]:
    """Rows made for these tests first, then the newest others."""
    own = mine.get(table.name, [])
    first = (
        list(db.session.execute(select(*columns).where(table.c.id.in_(own)).order_by(table.c.id)))
        if own
        else []
    )
    rest = list(
        db.session.execute(
            select(*columns)
            .where(table.c.id.not_in(own))
            .order_by(table.c.id.desc())
            .limit(CANDIDATES_PER_TABLE)
        )
    )
    return [*first, *rest]


def _id_combinations(arguments: list[str], mine: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Values for id arguments from one row, taking the other ids from what the row refers to."""
    out: list[dict[str, Any]] = []
    for leaf in arguments:
        others = [a for a in arguments if a != leaf]
        for table in _tables_for(leaf):
            links: dict[str, Any] = {}
            for other in others:
                wanted = {t.name for t in _tables_for(other)}
                column = next(
                    (
                        c
                        for c in table.columns
                        if c.name == other
                        or any(fk.column.table.name in wanted for fk in c.foreign_keys)
                    ),
                    None,
                )
                if column is None:
                    break
                links[other] = column
            if len(links) != len(others):
                continue
            columns = [table.c.id, *links.values()]
            for row in _ordered_rows(table, columns, mine):
                out.append({leaf: row[0], **{name: row[i + 1] for i, name in enumerate(links)}})
        if out:
            return out
    return out


def _values_for(argument: str) -> list[Any]:
    if argument in ARGUMENT_VALUES:
        return list(ARGUMENT_VALUES[argument])
    values: list[Any] = []
    for table in sorted(db.metadata.tables.values(), key=lambda t: t.name):
        if argument in table.columns:
            column = table.columns[argument]
            values += [
                v
                for v in db.session.scalars(select(column).distinct().limit(CANDIDATES_PER_TABLE))
                if v is not None
            ]
    return values


def candidate_urls(app: Flask, rule: Rule, mine: dict[str, list[Any]]) -> list[str]:
    """Paths for ``rule`` with its arguments filled from the database (may be empty)."""
    arguments = sorted(rule.arguments)
    with app.app_context(), app.test_request_context():
        from flask import url_for

        if not arguments:
            urls = [url_for(rule.endpoint)]
        else:
            ids = [a for a in arguments if a.endswith("_id")]
            plain = [a for a in arguments if a not in ids]
            id_sets = _id_combinations(ids, mine) if ids else [{}]
            plain_sets: list[dict[str, Any]] = [{}]
            for name in plain:
                plain_sets = [{**s, name: v} for s in plain_sets for v in _values_for(name)]
            combos = [{**a, **b} for a in id_sets for b in plain_sets]
            urls = [url_for(rule.endpoint, **c) for c in combos]
            db.session.rollback()
    query = next((q for prefix, q in QUERIES.items() if rule.endpoint.startswith(prefix)), None)
    if query:
        urls = [f"{u}?{query}" for u in urls]
    return list(dict.fromkeys(urls))
