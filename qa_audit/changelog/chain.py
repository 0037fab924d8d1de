"""Tamper-evident logs: every row of a chained table (the change log, the access log) stores
sha256(the previous row's hash + its own content), so a row edited, deleted or moved later
no longer fits the chain, and ``verify`` names the first that does not.

A head row per chain holds the newest hash. Appending locks it (an UPDATE, which on
PostgreSQL waits for any other transaction appending to the same chain), so two
transactions never fork the chain, and deleting the newest rows is seen too. The hashes are
worked out as the rows are inserted, in the order they were added; the head is taken once
per flush and chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from flask import Flask
from sqlalchemy import String, Table, event, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session

from qa_audit.core.clock import utcnow
from qa_audit.core.db import AppSession, Base

GENESIS = "0" * 64
HASH_COLUMN = "row_hash"
# Not part of a row's content: its id (the order is what the chain itself proves) and hash.
_NOT_CONTENT = frozenset({"id", HASH_COLUMN})
# The chained models, by table name, in the order they registered.
_CHAINED: dict[str, type[Any]] = {}
# Key in Session.info: the newest hash of each chain appended to in the flush under way.
_HEADS = "qa_audit.changelog.chain.heads"


class LogChainHead(Base):
    """The newest hash of one chained table."""

    __tablename__ = "log_chain_head"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_hash: Mapped[str] = mapped_column(String(64))


HEAD = cast(Table, LogChainHead.__table__)


def chained(model: type[Any]) -> type[Any]:
    """Class decorator: rows of ``model`` (with a ``row_hash`` and an ``at`` column) are chained."""
    _CHAINED[model.__tablename__] = model
    return model


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical(row: Mapping[Any, Any]) -> bytes:
    """A row's content as hashed: its columns but id and hash, blanks left out (so a column
    added later, blank in older rows, leaves their hashes as they were), keys sorted."""
    content = {
        key: _plain(value)
        for key, value in row.items()
        if key not in _NOT_CONTENT and value is not None
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def link(previous: str, row: Mapping[Any, Any]) -> str:
    """The hash of ``row`` following a row whose hash is ``previous``."""
    return hashlib.sha256(previous.encode() + canonical(row)).hexdigest()


# --- appending --------------------------------------------------------------------------------


def _take_head(connection: Connection, name: str) -> str:
    """The chain's newest hash, its head row locked until the transaction ends."""
    touched = connection.execute(
        update(HEAD).where(HEAD.c.name == name).values(name=name).returning(HEAD.c.last_hash)
    ).scalar()
    if touched is not None:
        return str(touched)
    connection.execute(insert(HEAD).values(name=name, last_hash=GENESIS))
    return GENESIS


def _content(record: Any) -> dict[str, Any]:
    table: Table = record.__table__
    return {column.key: getattr(record, column.key) for column in table.columns}


def _hash_row(mapper: Any, connection: Connection, record: Any) -> None:
    """Before each log row's INSERT (rows of a flush come in the order they were added, their
    foreign keys set): its hash, following the chain's newest as this flush holds it."""
    session = object_session(record)
    heads: dict[str, str] = session.info.setdefault(_HEADS, {}) if session is not None else {}
    name = record.__tablename__
    if name not in heads:
        heads[name] = _take_head(connection, name)
    if record.at is None:
        record.at = utcnow()
    heads[name] = link(heads[name], _content(record))
    setattr(record, HASH_COLUMN, heads[name])
    if session is None:
        _store_heads(connection, heads)


def _store_heads(connection: Connection, heads: dict[str, str]) -> None:
    for name, last_hash in heads.items():
        connection.execute(update(HEAD).where(HEAD.c.name == name).values(last_hash=last_hash))
    heads.clear()


def _flush_begins(session: Session, flush_context: Any, instances: Any) -> None:
    session.info.pop(_HEADS, None)  # what a failed flush left


def _flush_ends(session: Session, flush_context: Any) -> None:
    heads = session.info.pop(_HEADS, None)
    if heads:
        # Not session.execute: the head is bookkeeping, not a record (no new data version).
        _store_heads(session.connection(), heads)


def init_app(app: Flask) -> None:
    """Chain the rows of every registered log as they are inserted."""
    for model in _CHAINED.values():
        if not event.contains(model, "before_insert", _hash_row):
            event.listen(model, "before_insert", _hash_row)
    for name, listener in (("before_flush", _flush_begins), ("after_flush", _flush_ends)):
        if not event.contains(AppSession, name, listener):
            event.listen(AppSession, name, listener)


# --- verifying --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """Where a chain first fails, in words for the person running the check."""

    table: str
    row_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"row {self.row_id}" if self.row_id is not None else "its newest rows"
        return f"{self.table}: {where}: {self.problem}"


def _rows(connection: Connection, table: Table) -> Iterator[Mapping[Any, Any]]:
    result = connection.execute(
        select(table).order_by(table.c.id).execution_options(yield_per=1000)
    )
    for row in result:
        yield row._mapping


def verify_table(connection: Connection, table: Table) -> tuple[int, Break | None]:
    """How many rows were checked, and the first break in ``table``'s chain (None: whole)."""
    previous = GENESIS
    checked = 0
    for row in _rows(connection, table):
        checked += 1
        stored = row[HASH_COLUMN]
        if stored != link(previous, row):
            problem = "changed, or a row just before it was deleted or moved"
            return checked, Break(table.name, int(row["id"]), problem)
        previous = stored
    head = connection.execute(select(HEAD.c.last_hash).where(HEAD.c.name == table.name)).scalar()
    if (head or GENESIS) != previous:
        return checked, Break(table.name, None, "the newest rows were deleted")
    return checked, None


def verify(connection: Connection) -> tuple[dict[str, int], list[Break]]:
    """Check every chained table: rows checked per table, and the first break in each."""
    counts: dict[str, int] = {}
    breaks: list[Break] = []
    for name, model in _CHAINED.items():
        checked, broken = verify_table(connection, model.__table__)
        counts[name] = checked
        if broken is not None:
            breaks.append(broken)
    return counts, breaks
