"""The reference statement of the agreement figures: every figure of qa_audit.agreement said
plainly over a pandas table of grade pairs (one row per pair), group by group, one bootstrap
per group. The application works the same figures out another way, cheaper and without
pandas (qa_audit/agreement/analysis.py); the tests hold it to this statement, figure by figure
and to the last digit, and check this statement against scikit-learn, Gwet's published
examples and simulation.

The figures of one set of tables per audit (``table_measures``, ``table_optimism``), kappa,
AC2 and the draws are the application's own: what is stated here is how pairs become those
tables and their bootstrap totals. Pandas is a test dependency only, so this lives under
tests/."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from qa_audit.agreement.draws import resampled_sums
from qa_audit.agreement.pairs import COLUMNS, pair_rows
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
from qa_audit.report_filters import ReportFilters


def pairs_frame(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Rows as ``pair_rows`` gives them (COLUMNS, grades as stored) as a DataFrame, the
    auditor's and the moderator's grade as scores 1-4 (missing for N/A or no grade), in audit
    and domain order."""
    frame = pd.DataFrame([tuple(row) for row in rows], columns=COLUMNS)
    for column in ("auditor", "moderator"):
        frame[column] = frame[column].map(SCORES).astype("Int64")
    return frame.sort_values(["audit_id", "domain_position", "domain_key"], ignore_index=True)


def grade_pairs(filters: ReportFilters) -> pd.DataFrame:
    """Every grade pair under ``filters`` (``pairs_frame`` of ``pair_rows``)."""
    return pairs_frame(pair_rows(filters))


def clean(pairs: pd.DataFrame) -> pd.DataFrame:
    """The rows where both people gave a grade 1-4 (N/A and missing grades left out)."""
    # As floats: a missing grade is NaN, outside every grade, whatever the column's dtype.
    auditor = pd.to_numeric(pairs["auditor"], errors="coerce").astype("float64")
    moderator = pd.to_numeric(pairs["moderator"], errors="coerce").astype("float64")
    keep = auditor.between(1, CATEGORIES) & moderator.between(1, CATEGORIES)
    out = pairs.loc[keep].copy()
    out["auditor"] = auditor[keep].astype(int)
    out["moderator"] = moderator[keep].astype(int)
    return out


def audit_tables(pairs: pd.DataFrame) -> np.ndarray:
    """One flattened 4x4 table of counts per audit, audits in id order: shape (audits, 16)."""
    codes, _ids = pd.factorize(pairs["audit_id"], sort=True)
    cells = (pairs["auditor"].to_numpy() - 1) * CATEGORIES + pairs["moderator"].to_numpy() - 1
    flat = np.bincount(codes * CATEGORIES**2 + cells, minlength=len(_ids) * CATEGORIES**2).astype(
        float
    )
    return flat.reshape(len(_ids), CATEGORIES**2)


def resampled_tables(tables: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """``resamples`` bootstrap totals (resamples, 4, 4): audits drawn with replacement, as
    many as there are, each bringing all its pairs: one product, draw counts @ tables."""
    totals = resampled_sums(tables.reshape(len(tables), -1), resamples, seed)
    return totals.reshape(resamples, CATEGORIES, CATEGORIES)


def measures(
    pairs: pd.DataFrame,
    *,
    minimum_pairs: int = MINIMUM_PAIRS,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Measures:
    """The agreement figures of ``pairs`` (columns audit_id, auditor, moderator: scores 1-4;
    other rows are left out). Below ``minimum_pairs`` only the counts are given."""
    per_audit = audit_tables(clean(pairs))
    return table_measures(
        per_audit,
        lambda: resampled_tables(per_audit, resamples, seed),
        minimum_pairs=minimum_pairs,
    )


def measures_by(
    pairs: pd.DataFrame,
    by: str,
    *,
    minimum_pairs: int = MINIMUM_PAIRS,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> list[tuple[Hashable, Measures]]:
    """``measures`` for each value of the column ``by`` (a domain, an auditor, a month), in
    the column's order; each group's audits are resampled within the group."""
    graded = clean(pairs)
    return [
        (key, measures(group, minimum_pairs=minimum_pairs, resamples=resamples, seed=seed))
        for key, group in graded.groupby(by, sort=True)
    ]


def _optimism_of(
    key: Hashable, group: pd.DataFrame, minimum_pairs: int, resamples: int, seed: int
) -> Optimism:
    per_audit = audit_tables(group)
    return table_optimism(
        key,
        per_audit,
        lambda: resampled_tables(per_audit, resamples, seed),
        minimum_pairs=minimum_pairs,
    )


def optimism(
    pairs: pd.DataFrame,
    by: str | None = None,
    *,
    minimum_pairs: int = MINIMUM_PAIRS,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> list[Optimism]:
    """Mean auditor - moderator grade (positive: the auditor grades more generously than
    moderation) with its bootstrap 95% interval, for each value of the column ``by``
    (auditor_id, domain_key, month...) or, with ``by`` None, for all pairs (key None).
    ``flag`` when the interval lies wholly above 0 and there are enough pairs."""
    graded = clean(pairs)
    if by is None:
        return [_optimism_of(None, graded, minimum_pairs, resamples, seed)]
    return [
        _optimism_of(key, group, minimum_pairs, resamples, seed)
        for key, group in graded.groupby(by, sort=True)
    ]
