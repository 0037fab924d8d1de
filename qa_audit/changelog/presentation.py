"""Change history in plain English: what each field is called, whose and which record an id
names, values as words and times in the council's clock.

The log keeps the stored values (its hash covers them); only the page reads them out. Each part
says what its records' fields are called from its ``init_app``:

    describe_fields(app, "allocation", "Rota allocation",
                    fields={"due_on": "Due date"}, actions={"allocation.allotted": "Allotted"})
    register_names(app, "user_account", names_of_users, fields={"auditor_id": "Auditor"})

A field or action nobody described is still read as words ("due_on" → "Due on")."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app

from qa_audit.core.clock import LOCAL_TZ

BLANK = "(blank)"
EXTENSION = "qa_audit.changelog.labels"
# A stored value that is a word of code (a status: "in_progress") is read as words, in the
# fields that hold such codes; elsewhere (a service area's key) it is shown as it is.
_CODE_WORD = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_CODE_FIELDS = ("status", "outcome", "priority", "source", "type", "kind", "grade", "role")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

NamesLookup = Callable[[Collection[int]], Mapping[int, str]]


@dataclass
class _Labels:
    """Everything the parts have said about their records."""

    entity_names: dict[str, str] = field(default_factory=dict)
    # (entity type or "" for any record, field) -> label
    fields: dict[tuple[str, str], str] = field(default_factory=dict)
    # field -> the entity type whose names its ids are
    references: dict[str, str] = field(default_factory=dict)
    # (entity type or "" for any record, field) -> stored value -> words
    values: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)
    names: dict[str, NamesLookup] = field(default_factory=dict)


def _labels(app: Flask) -> _Labels:
    return app.extensions.setdefault(EXTENSION, _Labels())


def describe_fields(
    app: Flask,
    entity_type: str | None,
    name: str | None = None,
    *,
    fields: Mapping[str, str] | None = None,
    actions: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """What a kind of record is called, its fields' labels (``entity_type`` None: on any
    record), its actions' words, and the words for a field's stored values."""
    labels = _labels(app)
    if entity_type is not None and name is not None:
        labels.entity_names[entity_type] = name
    for key, label in (fields or {}).items():
        labels.fields[(entity_type or "", key)] = label
    labels.actions.update(actions or {})
    for key, words in (values or {}).items():
        labels.values.setdefault((entity_type or "", key), {}).update(words)


def register_names(
    app: Flask, entity_type: str, lookup: NamesLookup, *, fields: Mapping[str, str]
) -> None:
    """``lookup(ids)`` names records of ``entity_type``; ``fields`` (on any record) hold their
    ids, with the label each field is shown by."""
    labels = _labels(app)
    labels.names[entity_type] = lookup
    for key, label in fields.items():
        labels.fields[("", key)] = label
        labels.references[key] = entity_type


def words(code: str) -> str:
    """'in_progress' → 'In progress'."""
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def local_time_text(moment: datetime) -> str:
    """A stored UTC time in the council's clock: '3 December 2026 at 2:05pm'."""
    local = moment.astimezone(LOCAL_TZ)
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{local.day} {local:%B %Y} at {hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def date_text(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Change:
    label: str
    value: str


@dataclass(frozen=True)
class PlainEntry:
    """One change-log entry as a person reads it."""

    when: str
    who: str
    what: str
    record: str
    before: list[Change]
    after: list[Change]
    withheld: bool


class _Reader:
    """Reads entries out, naming every referenced record with one query per kind of record."""

    def __init__(self, labels: _Labels, entries: list[Any]) -> None:
        self.labels = labels
        wanted: dict[str, set[int]] = {}
        for entry in entries:
            for side in (entry.before, entry.after):
                for key, value in (side or {}).items():
                    kind = labels.references.get(key)
                    if kind is not None:
                        wanted.setdefault(kind, set()).update(_ids(value))
        self.named = {
            kind: dict(labels.names[kind](sorted(ids))) for kind, ids in wanted.items() if ids
        }

    def field_label(self, entity_type: str, key: str) -> str:
        for scope in (entity_type, ""):
            if (scope, key) in self.labels.fields:
                return self.labels.fields[(scope, key)]
        head, _, tail = key.replace(":", ".").rpartition(".")
        if head:  # "assessment.grade": a domain's grade; "what_we_know:assessment"
            return f"{words(head)}: {self.field_label(entity_type, tail).lower()}"
        return words(key.removesuffix("_id"))

    def value_text(self, entity_type: str, key: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return BLANK
        kind = self.labels.references.get(key)
        if kind is not None:
            return ", ".join(self.named.get(kind, {}).get(i, f"number {i}") for i in _ids(value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, list):
            return ", ".join(self.value_text(entity_type, key, v) for v in value)
        if isinstance(value, dict):
            return "; ".join(
                f"{words(str(k))}: {self.value_text(entity_type, str(k), v)}"
                for k, v in value.items()
            )
        return self._scalar_text(entity_type, key.rpartition(".")[2], value)

    def _scalar_text(self, entity_type: str, key: str, value: Any) -> str:
        text = str(value)
        for scope in (entity_type, ""):
            known = self.labels.values.get((scope, key), {})
            if text in known:
                return known[text]
        if _ISO_TIME.match(text):
            try:
                return local_time_text(datetime.fromisoformat(text))
            except ValueError:
                return text
        if _ISO_DATE.match(text):
            try:
                return date_text(date.fromisoformat(text))
            except ValueError:
                return text
        if isinstance(value, str) and key.endswith(_CODE_FIELDS) and _CODE_WORD.match(text):
            return words(text)
        return text

    def changes(self, entity_type: str, side: Mapping[str, Any] | None) -> list[Change]:
        return [
            Change(self.field_label(entity_type, key), self.value_text(entity_type, key, value))
            for key, value in sorted((side or {}).items())
        ]

    def entry(self, entry: Any) -> PlainEntry:
        action = self.labels.actions.get(entry.action) or words(entry.action.rpartition(".")[2])
        kind = self.labels.entity_names.get(entry.entity_type) or words(entry.entity_type)
        withheld = bool(getattr(entry, "withheld", False))
        return PlainEntry(
            when=local_time_text(entry.at),
            who=entry.actor.name if entry.actor is not None else "System",
            what=action,
            record=f"{kind} {entry.entity_id}".strip(),
            before=[] if withheld else self.changes(entry.entity_type, entry.before),
            after=[] if withheld else self.changes(entry.entity_type, entry.after),
            withheld=withheld,
        )


def _ids(value: Any) -> Iterable[int]:
    values = value if isinstance(value, list) else [value]
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool):
            yield v
        elif isinstance(v, str) and v.isdigit():
            yield int(v)


def plain_history(entries: Iterable[Any]) -> list[PlainEntry]:
    """Change-log entries (or withheld ones) as people read them."""
    listed = list(entries)
    reader = _Reader(_labels(current_app), listed)
    return [reader.entry(e) for e in listed]


def init_app(app: Flask) -> None:
    """The history macro reads entries through ``plain_history``."""
    _labels(app)
    app.add_template_global(plain_history, "plain_history")
