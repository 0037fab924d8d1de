"""The kinds of record the access log names, registered by the parts that own them.

Each part says, from its own init_app, what its records are called and how to find the audit
reference and case reference of one of them (so that the log can be searched by either),
without the access log importing the parts above it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import Select, func, inspect, null, select

from qa_audit.core.extensions import db

MAX_ID = 2**31 - 1
EXTENSION = "access_log.entities"
# Entity ids that name no one record.
NO_RECORD = frozenset({"list", "export"})

Refs = tuple[str | None, str | None]
# A model's mapped attribute, e.g. Audit.id (typed loosely: a dataclass field typed as the
# attribute reads to mypy as the column's value).
Column = Any


@dataclass(frozen=True)
class Entity:
    """A kind of record: its names (one, many) and where its references are.

    ``key`` is the record's id column; ``reference`` and ``case_ref`` its own columns holding
    them (a record with ``reference`` may also be named by it); ``audit`` the column holding
    the id of the audit whose references it shows; ``shown_cases`` the case references a page
    of one record shows, found by ``shown_by`` (the record's id), in the order entered."""

    labels: tuple[str, str]
    key: Column | None = None
    reference: Column | None = None
    case_ref: Column | None = None
    audit: Column | None = None
    shown_cases: Column | None = None
    shown_by: Column | None = None


def register_entity(
    app: Flask,
    entity_type: str,
    labels: tuple[str, str] | None = None,
    **where: Any,
) -> None:
    """Name a kind of record for the access log (see Entity for ``where``); unless told, one
    record is called by its type in words and several by adding an s."""
    if labels is None:
        words = entity_type.replace("_", " ")
        labels = (words, f"{words}s")
    app.extensions.setdefault(EXTENSION, {})[entity_type] = Entity(labels, **where)


def register_audit_record(app: Flask, entity_type: str, model: Any) -> None:
    """Name a kind of record that belongs to one audit (``model.audit_id``) and is searched
    by that audit's references."""
    register_entity(app, entity_type, key=model.id, audit=model.audit_id)


def entity(entity_type: str) -> Entity | None:
    """The registered kind of record, if any."""
    if not has_app_context():
        return None
    registered: dict[str, Entity] = current_app.extensions.get(EXTENSION, {})
    return registered.get(entity_type)


def labels(entity_type: str) -> tuple[str, str]:
    """What one and several records of the kind are called ('audit', 'audits')."""
    kind = entity(entity_type)
    if kind is None:
        return (entity_type.replace("_", " "),) * 2
    return kind.labels


def record_number(entity_id: str) -> int | None:
    """The record's id when the entity id is one that could exist (PostgreSQL's integer
    would overflow on a longer one)."""
    if not (entity_id.isascii() and entity_id.isdigit()):
        return None
    number = int(entity_id)
    return number if number <= MAX_ID else None


def record_refs(entity_type: str, entity_id: str) -> Refs:
    """The audit reference and case reference of the record, for searching by either."""
    kind = entity(entity_type)
    if kind is None or kind.key is None or entity_id in NO_RECORD:
        # A list or an export names no one record. (Looked up, upper(reference) read every
        # audit on every view of the audit list: make bench, 100,000 audits.)
        return None, None
    number = record_number(entity_id)
    if number is None:
        looks_numeric = entity_id.isascii() and entity_id.isdigit()
        if kind.reference is None or looks_numeric:
            return None, None
        return _by_reference(kind, entity_id)
    if kind.audit is not None:
        return _via_audit(kind, number)
    refs = select(_or_null(kind.reference), _or_null(kind.case_ref))
    return _first(refs.where(kind.key == number))


def _or_null(column: Column | None) -> Any:
    return null() if column is None else column


def _by_reference(kind: Entity, reference: str) -> Refs:
    assert kind.reference is not None
    refs = select(kind.reference, _or_null(kind.case_ref))
    exact = _first(refs.where(kind.reference == reference))
    if exact != (None, None):
        return exact
    return _first(refs.where(func.upper(kind.reference) == reference.upper()))


def _via_audit(kind: Entity, number: int) -> Refs:
    audit = entity("audit")
    if audit is None or audit.key is None or kind.key is None or kind.audit is None:
        return None, None
    refs = select(_or_null(audit.reference), _or_null(audit.case_ref)).join(
        kind.key.class_, kind.audit == audit.key
    )
    return _first(refs.where(kind.key == number))


def _first(query: Select[Any]) -> Refs:
    found = db.session.execute(query).first()
    return (found[0], found[1]) if found else (None, None)


def shown_case_refs(entity_type: str, entity_id: str) -> list[str]:
    """The case references a page of one record shows (a dip sample's sampled cases)."""
    kind = entity(entity_type)
    number = record_number(entity_id)
    if kind is None or kind.shown_cases is None or kind.shown_by is None or number is None:
        return []
    table = kind.shown_cases.class_
    query = (
        select(kind.shown_cases)
        .where(kind.shown_by == number)
        .order_by(*inspect(table).primary_key)
    )
    return list(db.session.scalars(query))
