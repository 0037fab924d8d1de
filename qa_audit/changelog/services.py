"""Writing and reading the change log. Every service that changes a record calls record_change."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, inspect, or_, select
from sqlalchemy.orm import joinedload

from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.data_version import note_change
from qa_audit.core.extensions import db

if TYPE_CHECKING:
    from qa_audit.auth.models import User

# Never copied into the log, whatever the record.
SECRET_FIELDS = frozenset({"password_hash", "session_token"})


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(record: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """The column values of a record (secrets left out), ready to store as JSON."""
    mapper = inspect(record).mapper
    names = fields or [c.key for c in mapper.column_attrs]
    return {n: _plain(getattr(record, n)) for n in names if n not in SECRET_FIELDS}


def record_change(
    actor: User | None,
    action: str,
    record: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> ChangeLogEntry | None:
    """Add a change-log entry for ``record``; unchanged fields are left out of both sides."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if not changed:
            return None
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    db.session.flush()  # the record needs its id
    entry = ChangeLogEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity_type=type(record).__tablename__,
        entity_id=str(inspect(record).identity[0] if inspect(record).identity else ""),
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )
    db.session.add(entry)
    note_change(entry.entity_type)
    return entry


def record_added(
    actor: User | None, action: str, record: Any, fields: list[str]
) -> ChangeLogEntry | None:
    """Add a new record to the session and log it as it stands once stored (``fields`` of it)."""
    db.session.add(record)
    db.session.flush()
    return record_change(actor, action, record, None, snapshot(record, fields))


# A record whose case content was removed under the retention schedule (qa_audit.retention)
# has an entry with an action ending so.
ANONYMISED = ".anonymised"


@dataclass(frozen=True)
class WithheldEntry:
    """A change made before the record was anonymised, as its history shows it: who, when and
    what, without the values. The log row keeps them (its hash covers them): the logs have
    their own retention (docs/retention.md)."""

    id: int
    at: datetime
    actor_id: int | None
    actor: User | None
    action: str
    entity_type: str
    entity_id: str
    before: None = None
    after: None = None
    withheld: bool = True


def _withheld(entries: list[ChangeLogEntry]) -> list[ChangeLogEntry | WithheldEntry]:
    """The values of the entries before the record's latest anonymisation withheld."""
    cut = max((i for i, e in enumerate(entries) if e.action.endswith(ANONYMISED)), default=-1)
    return [
        WithheldEntry(e.id, e.at, e.actor_id, e.actor, e.action, e.entity_type, e.entity_id)
        if i < cut
        else e
        for i, e in enumerate(entries)
    ]


def history(record: Any) -> list[ChangeLogEntry | WithheldEntry]:
    """Every change-log entry for a record, oldest first; for an imported record, its import
    (who imported it, from which file, when) first of all. Once the record has been
    anonymised, the values of the changes made before are withheld."""
    identity = inspect(record).identity
    about = [
        and_(
            ChangeLogEntry.entity_type == type(record).__tablename__,
            ChangeLogEntry.entity_id == str(identity[0]),
        )
    ]
    batch_id = getattr(record, "import_batch_id", None)
    if batch_id is not None:
        about.append(
            and_(
                ChangeLogEntry.entity_type == "import_batch",
                ChangeLogEntry.entity_id == str(batch_id),
            )
        )
    entries = db.session.scalars(
        select(ChangeLogEntry)
        .where(or_(*about))
        .order_by(ChangeLogEntry.at, ChangeLogEntry.id)
        # The actor is shown by name: not their roles and service area's teams too.
        .options(joinedload(ChangeLogEntry.actor).lazyload("*"))
    )
    return _withheld(list(entries))


# Records that hold no case data: all an administrator (who sees no case data) is shown.
NON_CASE_ENTITY_TYPES = frozenset(
    {
        "user_account",
        "service_area",
        "team",
        "api_token",
        "audit_tool",
        "learning_theme",
        "database",
    }
)


def recent(
    limit: int = 100, offset: int = 0, entity_types: Collection[str] | None = None
) -> list[ChangeLogEntry]:
    """The newest change-log entries (only of ``entity_types`` when given)."""
    query = select(ChangeLogEntry)
    if entity_types is not None:
        query = query.where(ChangeLogEntry.entity_type.in_(sorted(entity_types)))
    return list(
        db.session.scalars(query.order_by(ChangeLogEntry.id.desc()).limit(limit).offset(offset))
    )
