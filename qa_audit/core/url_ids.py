"""Record ids in URLs: ``<int:…>`` matches only ids a database integer column can hold, so
/audits/99999999999999999999 is a 404 like any other missing record, not a database error."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider


class RecordIdConverter(IntegerConverter):
    """Werkzeug's int converter, bounded to 0..MAX_ID unless a rule says otherwise."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
