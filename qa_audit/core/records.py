"""Reading one record by its id, as every part's ``get_…`` does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from qa_audit.core.errors import NotFound
from qa_audit.core.extensions import db

if TYPE_CHECKING:
    from sqlalchemy.orm.interfaces import ORMOption

T = TypeVar("T")


def get_or_not_found(
    model: type[T], record_id: int, what: str, options: Sequence[ORMOption] = ()
) -> T:
    """The record with this id, loaded with ``options``; NotFound ("No such …") when none."""
    record = db.session.get(model, record_id, options=options)
    if record is None:
        raise NotFound(f"No such {what}")
    return record
