"""What the benchmark's bulk rows are made of: a batch of one table's rows, the next id of
each table, timestamps as each database stores them, and the month's audits that the rows
following them are drawn for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bench.people import Lookups

GRADES = np.array(
    ["not_applicable", "inadequate", "requires_improvement", "good", "outstanding"], dtype=object
)  # indexed by score; 0 = N/A
BULK_TABLES = (
    "allocation",
    "audit",
    "audit_domain_grade",
    "moderation",
    "moderation_grade",
    "reflective_conversation",
    "feedback_conversation",
    "action",
    "audit_learning_theme",
)


@dataclass
class Batch:
    """Rows of one table, as tuples in ``columns`` order."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass
class Ids:
    """The next id of each bulk table."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str, n: int) -> np.ndarray:
        first = self.next[table]
        self.next[table] = first + n
        return np.arange(first, first + n, dtype=np.int64)


def dates(days: np.ndarray) -> list[str]:
    """Days as 'YYYY-MM-DD', as both databases take a date."""
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").tolist()  # type: ignore[no-any-return]


class Stamps:
    """Timestamps as the database stores them (SQLite's text form; UTC offset for PostgreSQL)."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix

    def at(self, days: np.ndarray, clock: str) -> list[str]:
        return [f"{d} {clock}.000000{self.suffix}" for d in dates(days)]


def pick(rng: np.random.Generator, values: np.ndarray, n: int) -> list[Any]:
    """``n`` of ``values``, drawn with replacement."""
    return values[rng.integers(0, len(values), n)].tolist()  # type: ignore[no-any-return]


@dataclass
class MonthAudits:
    """One month's audits as drawn, for the rows that follow them (follow_up_rows.py): the
    month's generator goes on drawing from where the audits left it."""

    rng: np.random.Generator
    age: int  # months before END_MONTH
    n: int
    lookups: Lookups
    ids: Ids
    stamps: Stamps
    end_day: np.datetime64
    audit_ids: np.ndarray
    area: np.ndarray
    auditor: np.ndarray
    overall: np.ndarray
    counted: np.ndarray
    submitted: np.ndarray
    submitted_at: list[str]
    domains: list[tuple[int, str, int, bool]]
    scores: np.ndarray
