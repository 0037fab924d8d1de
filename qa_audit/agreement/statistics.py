"""How far auditors' and moderators' grades agree, with how sure we can be: exact and
within-one agreement, quadratic-weighted Cohen's kappa and Gwet's AC2, each with a 95%
interval, and the auditors' optimism (mean auditor - moderator grade).

Pure numpy functions of 4x4 tables of counts (auditor's grade x moderator's grade; no
database, no pandas): every figure is a function of such a table, so the bootstrap works on
counts. Each audit's own table is built once, a resample is a vector of how many times each
audit is drawn, and a batch of resamples is one matrix product (draws.py); analysis.py turns
grade pairs into those tables. Audits are resampled, not pairs: the domains of one audit are
judged by the same two people on the same case and are not independent, so treating them as
separate draws would make the intervals too narrow. docs/agreement.md explains each figure
for readers."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from qa_audit.audit_tools.grades import GRADE_SCORES
from qa_audit.core.figures import one_decimal, percent

# Below this many grade pairs no figure is shown, only the count ("too few to say"): with
# fewer than ten pairs one disagreement moves exact agreement by ten points or more and the
# 95% interval of kappa spans most of the scale, so a figure would say more than it knows.
MINIMUM_PAIRS = 10
RESAMPLES = 2000
# A fixed seed: the same grades always give the same interval (a page reloaded, the report
# and the API asked for the same period agree to the last digit).
SEED = 20240917
# Grades are scored 1 (Inadequate) .. 4 (Outstanding); tables are indexed by score - 1.
CATEGORIES = 4
SCORES = {grade.value: score for grade, score in GRADE_SCORES.items()}

_DISTANCE = np.subtract.outer(np.arange(CATEGORIES), np.arange(CATEGORIES))
# Quadratic weights: disagreement (i - j)^2 / (q - 1)^2 for kappa, agreement 1 - that for AC2.
DISAGREEMENT = _DISTANCE.astype(float) ** 2 / (CATEGORIES - 1) ** 2
EXACT = (_DISTANCE == 0).astype(float)
WITHIN_ONE = (np.abs(_DISTANCE) <= 1).astype(float)
# The signed difference auditor - moderator of each cell (positive: auditor more generous).
DIFFERENCE = _DISTANCE.astype(float)

# Landis and Koch (1977): upper bound of each band, the band's name.
BANDS = (
    (0.0, "poor"),
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.0, "almost perfect"),
)


@dataclass(frozen=True)
class Estimate:
    """One figure with its 95% interval, as shown; None when not shown (too few pairs) or
    when the figure is undefined (kappa when both people used one and the same grade)."""

    value: float | None
    low: float | None
    high: float | None
    band: str | None = None

    @property
    def known(self) -> bool:
        return self.value is not None


UNKNOWN = Estimate(None, None, None)


@dataclass(frozen=True)
class Measures:
    """The agreement figures for one set of grade pairs. ``exact`` and ``within_one`` are
    percentages to one decimal; ``kappa`` and ``ac2`` are coefficients to two decimals with
    their Landis and Koch band."""

    pairs: int
    audits: int
    shown: bool
    agreeing: int
    exact: Estimate
    within_one: Estimate
    kappa: Estimate
    ac2: Estimate


@dataclass(frozen=True)
class Optimism:
    """Mean auditor - moderator grade of one group (an auditor, a domain, a month), in grade
    points with its 95% interval; ``flag`` when clearly above 0 (auditor more generous)."""

    key: Hashable
    pairs: int
    audits: int
    shown: bool
    mean: float | None
    low: float | None
    high: float | None
    flag: bool


def two_decimals(value: float) -> float:
    """A coefficient to two decimal places, half away from zero (as percentages round)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def band(value: float | None) -> str | None:
    """Landis and Koch's name for a kappa-like coefficient (already rounded as shown)."""
    if value is None:
        return None
    if value < 0:
        return "poor"
    return next((name for upper, name in BANDS[1:] if value <= upper), BANDS[-1][1])


def share(tables: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted share of pairs for each table (..., 4, 4): exact or within-one agreement."""
    n = tables.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (tables * weights).sum(axis=(-2, -1)) / n


def quadratic_disagreement(categories: int) -> np.ndarray:
    """(i - j)^2 / (q - 1)^2 for a q x q table (only the tables' size matters: any other
    table than grades, such as a published worked example, is scored the same way)."""
    if categories == CATEGORIES:
        return DISAGREEMENT
    distance = np.subtract.outer(np.arange(categories), np.arange(categories))
    return distance.astype(float) ** 2 / (categories - 1) ** 2


def kappa(tables: np.ndarray) -> np.ndarray:
    """Quadratic-weighted Cohen's kappa of each table (..., q, q); NaN where undefined (both
    people used one and the same grade throughout)."""
    weights = quadratic_disagreement(tables.shape[-1])
    n = tables.sum(axis=(-2, -1))
    rows = tables.sum(axis=-1)
    cols = tables.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = rows[..., :, None] * cols[..., None, :] / n[..., None, None]
        observed_d = (tables * weights).sum(axis=(-2, -1))
        expected_d = (expected * weights).sum(axis=(-2, -1))
        return np.where(expected_d > 0, 1.0 - observed_d / expected_d, np.nan)


def ac2(tables: np.ndarray) -> np.ndarray:
    """Gwet's AC2 with quadratic weights of each table (..., q, q), over all q categories
    (all four grades, used or not: the scale, not the data, defines chance agreement).

    p_a = sum w_kl p_kl; p_e = T_w / (q (q - 1)) * sum pi_k (1 - pi_k), pi_k the mean of the
    two people's shares of grade k, T_w the sum of the weights (Gwet 2014, chapter 3)."""
    categories = tables.shape[-1]
    agreement = 1.0 - quadratic_disagreement(categories)
    n = tables.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        proportions = tables / n[..., None, None]
        observed = (proportions * agreement).sum(axis=(-2, -1))
        pi = (proportions.sum(axis=-1) + proportions.sum(axis=-2)) / 2
        chance = agreement.sum() / (categories * (categories - 1)) * (pi * (1 - pi)).sum(axis=-1)
        return (observed - chance) / (1 - chance)


def mean_difference(tables: np.ndarray) -> np.ndarray:
    """Mean auditor - moderator score of each table (..., 4, 4)."""
    return share(tables, DIFFERENCE)


def interval(values: np.ndarray) -> tuple[float | None, float | None]:
    """The percentile bootstrap's 95% interval (2.5th and 97.5th percentiles)."""
    values = values[~np.isnan(values)]
    if not len(values):
        return None, None
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def _percent_estimate(count: int, pairs: int, resampled: np.ndarray) -> Estimate:
    low, high = interval(resampled)
    return Estimate(
        percent(count, pairs),
        None if low is None else one_decimal(100 * low),
        None if high is None else one_decimal(100 * high),
    )


def _coefficient_estimate(value: float, resampled: np.ndarray) -> Estimate:
    if np.isnan(value):
        return UNKNOWN
    low, high = interval(resampled)
    shown = two_decimals(value)
    return Estimate(
        shown,
        None if low is None else two_decimals(low),
        None if high is None else two_decimals(high),
        band(shown),
    )


def table_measures(
    per_audit: np.ndarray,
    resample: Callable[[], np.ndarray],
    *,
    minimum_pairs: int = MINIMUM_PAIRS,
) -> Measures:
    """The agreement figures of one flattened 4x4 table per audit (audits in id order);
    ``resample()`` gives their bootstrap totals (resamples x 4 x 4: draws.resampled_sums of
    the tables), asked for only when the figures are shown (callers may keep it for the
    optimism of the same pairs)."""
    count, audits = int(per_audit.sum()), len(per_audit)
    total = per_audit.sum(axis=0).reshape(CATEGORIES, CATEGORIES)
    agreeing = int((total * EXACT).sum())
    if count < minimum_pairs or count == 0:
        return Measures(count, audits, False, agreeing, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)
    boot = resample()
    within = int((total * WITHIN_ONE).sum())
    return Measures(
        pairs=count,
        audits=audits,
        shown=True,
        agreeing=agreeing,
        exact=_percent_estimate(agreeing, count, share(boot, EXACT)),
        within_one=_percent_estimate(within, count, share(boot, WITHIN_ONE)),
        kappa=_coefficient_estimate(float(kappa(total)), kappa(boot)),
        ac2=_coefficient_estimate(float(ac2(total)), ac2(boot)),
    )


def table_optimism(
    key: Hashable,
    per_audit: np.ndarray,
    resample: Callable[[], np.ndarray],
    *,
    minimum_pairs: int = MINIMUM_PAIRS,
) -> Optimism:
    """The optimism of one group from its tables per audit (as ``table_measures``)."""
    count, audits = int(per_audit.sum()), len(per_audit)
    if count < minimum_pairs or count == 0:
        return Optimism(key, count, audits, False, None, None, None, False)
    total = per_audit.sum(axis=0).reshape(CATEGORIES, CATEGORIES)
    low, high = interval(mean_difference(resample()))
    if low is None or high is None:  # cannot happen: every resample has pairs
        return Optimism(key, count, audits, False, None, None, None, False)
    return Optimism(
        key,
        count,
        audits,
        True,
        two_decimals(float(mean_difference(total))),
        two_decimals(low),
        two_decimals(high),
        # The unrounded low end: "clearly" means the whole interval is above nought.
        flag=low > 0,
    )
