"""Full-text search of the audits' evidence with each database's own features: SQLite's FTS5
and PostgreSQL's text search, both with English stemming ("father" finds "fathers").

The indexes are made by migration 0007_evidence_search, not by the models (neither can be
written as a SQLAlchemy table or index that both databases share):

- SQLite: an external-content FTS5 table over ``audit_domain_grade``'s three texts, kept in
  step by triggers on that table. FTS5 keeps its index in shadow tables of its own.
- PostgreSQL: one GIN index per text on ``to_tsvector('english', <text>)``; a query uses it
  only when it repeats that expression exactly (the configuration written as a literal).

People's words never reach the query language as syntax: on SQLite each word (or "quoted
phrase") becomes an FTS5 string, so quotes, ``*``, NEAR, AND, parentheses and the like are
searched as text, never obeyed or refused with an error; PostgreSQL's
``websearch_to_tsquery`` accepts any text."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Integer, bindparam, column, func, literal_column, select
from sqlalchemy import table as sql_table

# The FTS5 table, and the shadow tables FTS5 makes beside it: they are the database's, not
# models, so the schema comparison (autogenerate, the migration tests) leaves them out.
FTS_TABLE = "evidence_search"
FTS_SHADOW_SUFFIXES = ("data", "idx", "docsize", "config", "content")
SEARCH_TABLES = frozenset({FTS_TABLE, *(f"{FTS_TABLE}_{s}" for s in FTS_SHADOW_SUFFIXES)})
# The three texts of a domain grade that hold evidence, in the order people read them.
TEXT_COLUMNS = ("working_well", "needs_improvement", "impact")
# PostgreSQL's expression indexes, one a text.
PG_INDEXES = {name: f"ix_audit_domain_grade_{name}_search" for name in TEXT_COLUMNS}
# The configuration is part of the indexed expression: written out, never a bound parameter.
PG_CONFIG: Any = literal_column("'english'::regconfig")
# A search longer than this is cut (a pasted page of text is not a search; it would make a
# long query of terms all of which must be found).
MAX_QUERY_LENGTH = 200
MAX_TERMS = 20

_TERM = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w", re.UNICODE)


def is_search_object(name: str | None) -> bool:
    """True for a table or index that full-text search keeps (not a model's)."""
    return name in SEARCH_TABLES or name in PG_INDEXES.values()


def search_terms(text: str | None) -> list[str]:
    """The words and "quoted phrases" of a search, each holding at least one letter or digit
    (a term of punctuation alone would find nothing); at most MAX_TERMS of them."""
    terms = []
    for match in _TERM.finditer((text or "")[:MAX_QUERY_LENGTH]):
        term = (match.group(1) if match.group(1) is not None else match.group(2)).strip()
        if _WORD.search(term):
            terms.append(term)
    return terms[:MAX_TERMS]


def fts5_query(terms: list[str]) -> str:
    """An FTS5 query finding every term: each an FTS5 string (double quotes doubled inside),
    so that nothing in it is read as FTS5 syntax."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def text_matches(dialect: str, id_column: Any, text_column: Any, terms: list[str]) -> Any:
    """A condition on a domain grade: its ``text_column`` holds every term. ``dialect`` is the
    database's name ('sqlite' or 'postgresql'); ``id_column`` the domain grade's id."""
    if dialect == "postgresql":
        # Every term quoted: each must be found, as on SQLite (unquoted, "or" and "-word"
        # would be websearch_to_tsquery's operators).
        query = " ".join(f'"{term}"' for term in terms)
        vector = func.to_tsvector(PG_CONFIG, text_column)
        return vector.op("@@")(
            func.websearch_to_tsquery(PG_CONFIG, bindparam("search", query, unique=True))
        )
    fts = sql_table(FTS_TABLE, column("rowid", Integer), column(text_column.key))
    found: ColumnElement[bool] = fts.c[text_column.key].op("MATCH")(
        bindparam("search", fts5_query(terms), unique=True)
    )
    return id_column.in_(select(fts.c.rowid).where(found))
