"""Record ids in URLs: ``<int:…>`` matches only ids a database integer column can hold, so
/audits/99999999999999999999 is a 404 like any other missing record, not a database error;
query_id does the same for an id in the query string."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider


class RecordIdConverter(IntegerConverter):
    """Werkzeug's int converter, bounded to 0..MAX_ID unless a rule says otherwise."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def query_id(value: str) -> int:
    """A record id from a query string, for ``request.args.get(name, type=query_id)``: a value
    that is not a whole number an id column can hold raises ValueError, so it counts as absent
    (rather than reaching the database, which cannot compare a column with it)."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"{value!r} is not a record id")
    return number
