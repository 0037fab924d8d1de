"""The grade pairs of one period as numpy arrays, grouped once and resampled once per group,
so that a page's many figures cost little more than the one statement that reads the pairs.

The figures are those of the plain statement the tests hold this to (pandas, group by group,
in tests/agreement_reference.py) on the same pairs: the same tables per audit, in audit id
order, the same draws. Only the way there is cheaper, and numpy alone, so that no process of
the application loads pandas. Each pair is reduced to its audit and its cell of the 4x4
table; a group (a domain, an auditor, a service area, a month) is a slice of the pairs sorted
by group and audit; each group's tables per audit come from one ``np.bincount``, and its
bootstrap totals are worked out once and shared by its agreement and its optimism."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import select

from qa_audit.agreement.draws import resampled_sums
from qa_audit.agreement.pairs import COLUMNS, pairs_statement
from qa_audit.agreement.statistics import (
    CATEGORIES,
    MINIMUM_PAIRS,
    RESAMPLES,
    SCORES,
    SEED,
    Measures,
    Optimism,
    table_measures,
    table_optimism,
)
from qa_audit.core.extensions import db
from qa_audit.report_filters import ReportFilters

# Pairs read from the database this many at a time when only their cells are needed.
CHUNK = 20_000

CELLS = CATEGORIES**2
AUDITOR, MODERATOR = COLUMNS.index("auditor"), COLUMNS.index("moderator")
AUDIT = COLUMNS.index("audit_id")
EMPTY = np.zeros((0, CELLS))


class PairAnalysis:
    """The graded pairs of ``rows`` (``pairs.pair_rows``: N/A and missing grades left out),
    with each group's tables and bootstrap kept for the figures asked of them."""

    def __init__(
        self,
        rows: Sequence[Sequence[Any]],
        *,
        minimum_pairs: int = MINIMUM_PAIRS,
        resamples: int = RESAMPLES,
        seed: int = SEED,
    ) -> None:
        self.minimum_pairs, self.resamples, self.seed = minimum_pairs, resamples, seed
        graded = [
            (row, SCORES[row[AUDITOR]], SCORES[row[MODERATOR]])
            for row in rows
            if row[AUDITOR] in SCORES and row[MODERATOR] in SCORES
        ]
        self._rows = [row for row, _a, _m in graded]
        self._audit = np.fromiter((row[AUDIT] for row in self._rows), np.int64, len(graded))
        self._cell = np.fromiter(
            ((a - 1) * CATEGORIES + m - 1 for _row, a, m in graded), np.int64, len(graded)
        )
        self._groups: dict[str | None, dict[Hashable, np.ndarray]] = {}
        self._boot: dict[tuple[str | None, Hashable], np.ndarray] = {}

    def groups(self, column: str | None) -> dict[Hashable, np.ndarray]:
        """Each value of ``column`` (in sorted order) and its flattened tables per audit
        (audits x 16, audits in id order); ``column`` None: all pairs, under the key None."""
        if column not in self._groups:
            self._groups[column] = self._grouped(column)
        return self._groups[column]

    @classmethod
    def of_cells(cls, audits: np.ndarray, cells: np.ndarray, **options: Any) -> PairAnalysis:
        """The analysis of all the pairs together (no groups) from their audits and cells."""
        analysis = cls([], **options)
        analysis._audit, analysis._cell = audits, cells
        return analysis

    def _grouped(self, column: str | None) -> dict[Hashable, np.ndarray]:
        if column is None:
            keys: list[Hashable] = [None]
            codes = np.zeros(len(self._audit), np.int64)
        else:
            assert len(self._rows) == len(self._audit), "made of cells alone: no groups"
            index = COLUMNS.index(column)
            values = [row[index] for row in self._rows]
            keys = sorted(set(values))
            code_of = {key: code for code, key in enumerate(keys)}
            codes = np.fromiter((code_of[v] for v in values), np.int64, len(values))
        order = np.lexsort((self._audit, codes))
        codes, audits, cells = codes[order], self._audit[order], self._cell[order]
        ends = np.searchsorted(codes, np.arange(len(keys)), side="right")
        out: dict[Hashable, np.ndarray] = {}
        start = 0
        for key, end in zip(keys, ends, strict=True):
            out[key] = _tables(audits[start:end], cells[start:end])
            start = end
        return out

    def tables(self, column: str | None, key: Hashable) -> np.ndarray:
        return self.groups(column).get(key, EMPTY)

    def _resampled(self, column: str | None, key: Hashable) -> np.ndarray:
        """The group's bootstrap totals (resamples x 4 x 4): worked out for every group of
        ``column`` at once when first asked for."""
        if (column, key) not in self._boot:
            self._resample_groups(column)
        return self._boot[(column, key)]

    def _resample_groups(self, column: str | None) -> None:
        """Every group's bootstrap totals: draws depend on the number of audits alone, so the
        groups with as many audits share one draw and one product (their tables side by side).
        The counts are whole numbers well within float32's exact range, so the totals are
        exactly those of one product per group."""
        groups = self.groups(column)
        by_size: dict[int, list[Hashable]] = {}
        for key, tables in groups.items():
            by_size.setdefault(len(tables), []).append(key)
        for keys in by_size.values():
            side_by_side = np.hstack([groups[key] for key in keys])
            totals = resampled_sums(side_by_side, self.resamples, self.seed)
            for place, key in enumerate(keys):
                block = totals[:, place * CELLS : (place + 1) * CELLS]
                self._boot[(column, key)] = block.reshape(self.resamples, CATEGORIES, CATEGORIES)

    def measures(self, column: str | None = None, key: Hashable = None) -> Measures:
        """The agreement figures of one group (all pairs by default)."""
        return table_measures(
            self.tables(column, key),
            lambda: self._resampled(column, key),
            minimum_pairs=self.minimum_pairs,
        )

    def optimism(self, column: str | None = None, key: Hashable = None) -> Optimism:
        """The optimism of one group (all pairs by default)."""
        return table_optimism(
            key,
            self.tables(column, key),
            lambda: self._resampled(column, key),
            minimum_pairs=self.minimum_pairs,
        )

    def measures_by(self, column: str) -> list[tuple[Hashable, Measures]]:
        """The agreement figures of each value of ``column``, in sorted order."""
        return [(key, self.measures(column, key)) for key in self.groups(column)]

    def optimism_by(self, column: str) -> list[Optimism]:
        """The optimism of each value of ``column``, in sorted order."""
        return [self.optimism(column, key) for key in self.groups(column)]


def _tables(audits: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """One flattened 4x4 table of counts per audit of sorted ``audits``."""
    if not len(audits):
        return EMPTY
    new = np.empty(len(audits), bool)
    new[0], new[1:] = True, audits[1:] != audits[:-1]
    codes = np.cumsum(new) - 1
    count = int(codes[-1]) + 1
    flat = np.bincount(codes * CELLS + cells, minlength=count * CELLS).astype(float)
    return flat.reshape(count, CELLS)


def all_pairs(filters: ReportFilters) -> PairAnalysis:
    """All the grade pairs under ``filters`` as one group, read a chunk at a time straight
    into numpy (the report's confidence section needs no more of a pair than its audit and
    its cell: a busy year's 394,000 pairs held as rows took 300 MB)."""
    every = pairs_statement(filters).subquery()
    result = db.session.execute(
        select(every.c.audit_id, every.c.auditor, every.c.moderator).execution_options(
            yield_per=CHUNK
        )
    )
    audits: list[np.ndarray] = [np.zeros(0, np.int64)]
    cells: list[np.ndarray] = [np.zeros(0, np.int64)]
    for chunk in result.partitions():
        graded = [
            (audit, SCORES[auditor], SCORES[moderator])
            for audit, auditor, moderator in chunk
            if auditor in SCORES and moderator in SCORES
        ]
        audits.append(np.fromiter((g[0] for g in graded), np.int64, len(graded)))
        cells.append(
            np.fromiter(
                ((a - 1) * CATEGORIES + m - 1 for _audit, a, m in graded), np.int64, len(graded)
            )
        )
    return PairAnalysis.of_cells(np.concatenate(audits), np.concatenate(cells))
