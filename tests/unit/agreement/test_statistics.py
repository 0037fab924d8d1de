"""The agreement statistics checked against an independent implementation (scikit-learn), a
published worked example (Gwet's handbook, through irrCAC) and simulation (the intervals'
coverage). Grades are scores 1 (Inadequate) .. 4 (Outstanding)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from qa_audit.agreement.statistics import MINIMUM_PAIRS, ac2, band, kappa, two_decimals
from tests.agreement_reference import measures, optimism

GRADES = [1, 2, 3, 4]


def frame(auditor, moderator, audit_ids=None) -> pd.DataFrame:
    audit_ids = range(len(auditor)) if audit_ids is None else audit_ids
    return pd.DataFrame({"audit_id": list(audit_ids), "auditor": auditor, "moderator": moderator})


def table(auditor, moderator) -> np.ndarray:
    counts = np.zeros((4, 4))
    for a, m in zip(auditor, moderator, strict=True):
        counts[a - 1, m - 1] += 1
    return counts


@pytest.mark.parametrize("seed", range(8))
def test_kappa_equals_scikit_learn_on_random_grades(seed: int) -> None:
    rng = np.random.default_rng(seed)
    auditor = rng.integers(1, 5, 40)
    # Moderators mostly agree, sometimes a grade or two apart.
    moderator = np.clip(auditor + rng.choice([-2, -1, 0, 0, 0, 1], 40), 1, 4)
    expected = cohen_kappa_score(auditor, moderator, weights="quadratic", labels=GRADES)
    assert float(kappa(table(auditor, moderator))) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("auditor", "moderator"),
    [
        ([1, 2, 3, 4], [1, 2, 3, 4]),  # perfect agreement: 1
        ([3, 3, 3, 3], [1, 2, 3, 4]),  # the auditor used one grade: 0
        ([2, 4, 2, 4, 4], [4, 2, 4, 2, 2]),  # systematic disagreement: negative
        ([1, 1, 4, 4], [1, 4, 1, 4]),  # two grades unused (weights by score, not by position)
        ([3, 2, 3, 3, 4, 3], [3, 3, 3, 2, 4, 4]),
    ],
)
def test_kappa_equals_scikit_learn_on_edge_cases(auditor, moderator) -> None:
    # labels=[1, 2, 3, 4]: without it scikit-learn weighs by the position among the grades
    # used, so Inadequate vs Outstanding would count as one step when RI and Good are unused.
    expected = cohen_kappa_score(auditor, moderator, weights="quadratic", labels=GRADES)
    assert float(kappa(table(auditor, moderator))) == pytest.approx(expected, abs=1e-12)


def test_kappa_is_undefined_when_both_used_one_and_the_same_grade() -> None:
    figures = measures(frame([3] * 12, [3] * 12))
    assert figures.kappa.value is None
    assert figures.exact.value == 100.0
    # AC2 stays defined where kappa is not (the "kappa paradox").
    assert figures.ac2.value == 1.0


def test_ac2_equals_the_published_worked_examples() -> None:
    """Gwet's AC2 with quadratic weights against the values Gwet publishes for two tables of
    his Handbook of Inter-Rater Reliability (4th edition, 2014, chapters 2-3), as shipped with
    his irrCAC package (datasets ``cont3x3abstractors`` and ``cont4x4diagnosis``; results of
    ``gwet.ac1.table(..., weights = quadratic.weights(1:q))``, three decimals):

    - 100 pregnancies classified by two abstractors (Ectopic / AIU / NIU), rows abstractor 1:
      [[13, 0, 0], [0, 20, 7], [0, 4, 56]] -> AC2 0.940;
    - 223 psychiatric patients by two diagnosis methods (four categories):
      [[40, 4, 4, 17], [6, 25, 2, 13], [4, 1, 21, 12], [15, 5, 9, 45]] -> AC2 0.299."""
    abstractors = np.array([[13, 0, 0], [0, 20, 7], [0, 4, 56]], dtype=float)
    diagnosis = np.array(
        [[40, 4, 4, 17], [6, 25, 2, 13], [4, 1, 21, 12], [15, 5, 9, 45]], dtype=float
    )
    assert round(float(ac2(abstractors)), 3) == 0.940
    assert round(float(ac2(diagnosis)), 3) == 0.299


def test_exact_agreement_rounds_half_up_as_the_report_does() -> None:
    # 9 of 16 pairs agree: 56.25%, which round() would show as 56.2.
    auditor = [3] * 16
    moderator = [3] * 9 + [2] * 7
    figures = measures(frame(auditor, moderator))
    assert (figures.pairs, figures.agreeing) == (16, 9)
    assert figures.exact.value == 56.3
    assert figures.within_one.value == 100.0


def test_below_the_minimum_only_the_count_is_given() -> None:
    few = MINIMUM_PAIRS - 1
    figures = measures(frame([3] * few, [3] * few))
    assert figures.pairs == few
    assert not figures.shown
    assert figures.exact.value is None
    assert figures.kappa.value is None
    assert figures.ac2.low is None


def test_not_applicable_and_missing_grades_are_left_out() -> None:
    pairs = frame([3, 3, None, 2] + [3] * 10, [3, None, 3, 2] + [3] * 10)
    assert measures(pairs).pairs == 12


def test_the_same_grades_always_give_the_same_interval() -> None:
    rng = np.random.default_rng(5)
    auditor = rng.integers(1, 5, 60)
    moderator = np.clip(auditor + rng.integers(-1, 2, 60), 1, 4)
    pairs = frame(auditor, moderator, np.arange(60) // 4)
    assert measures(pairs) == measures(pairs)
    first = measures(pairs).ac2
    assert first.low is not None
    assert first.high is not None
    assert first.low <= first.value <= first.high


def test_the_bootstrap_resamples_audits_not_pairs() -> None:
    """Five domains of one audit copying one judgement are one piece of evidence, not five:
    the interval over 12 audits of 5 identical pairs must be wider than over 60 audits."""
    rng = np.random.default_rng(11)
    auditor = rng.integers(1, 5, 12)
    moderator = np.clip(auditor + rng.integers(-1, 2, 12), 1, 4)
    grouped = frame(np.repeat(auditor, 5), np.repeat(moderator, 5), np.repeat(np.arange(12), 5))
    separate = frame(np.repeat(auditor, 5), np.repeat(moderator, 5))
    narrow, wide = measures(separate).exact, measures(grouped).exact
    assert narrow.value == wide.value
    assert wide.high - wide.low > 1.5 * (narrow.high - narrow.low)


def test_the_95_percent_interval_covers_the_true_value_about_95_times_in_100() -> None:
    """200 samples from a population with known agreement: 75% exact agreement, the rest one
    grade apart either way, grades spread over the scale. Each sample has 40 audits of 3
    domains; the true kappa and AC2 are those of the population's table."""
    population = np.array(
        [
            [0.07, 0.03, 0.00, 0.00],
            [0.03, 0.17, 0.06, 0.00],
            [0.00, 0.06, 0.35, 0.04],
            [0.00, 0.00, 0.03, 0.16],
        ]
    )
    true_kappa, true_ac2 = float(kappa(population)), float(ac2(population))
    true_exact = 100 * float(np.trace(population))
    rng = np.random.default_rng(2024)
    cells = rng.choice(16, size=(200, 120), p=population.ravel())
    covered = {"kappa": 0, "ac2": 0, "exact": 0}
    for sample in cells:
        figures = measures(frame(sample // 4 + 1, sample % 4 + 1, np.arange(120) // 3))
        covered["kappa"] += figures.kappa.low <= true_kappa <= figures.kappa.high
        covered["ac2"] += figures.ac2.low <= true_ac2 <= figures.ac2.high
        covered["exact"] += figures.exact.low <= true_exact <= figures.exact.high
    for name, count in covered.items():
        assert 180 <= count <= 198, (name, count)


def test_optimism_flags_an_auditor_clearly_more_generous() -> None:
    rng = np.random.default_rng(3)
    moderator = rng.integers(1, 4, 30)
    generous = frame(moderator + rng.choice([0, 1, 1], 30), moderator, np.arange(30) // 2)
    generous["auditor_id"] = 7
    even = frame(moderator, moderator, np.arange(30) // 2)
    even["auditor_id"] = 8
    results = {r.key: r for r in optimism(pd.concat([generous, even]), by="auditor_id")}
    assert results[7].flag
    assert results[7].low > 0
    assert results[7].mean == pytest.approx(0.67, abs=0.2)
    assert not results[8].flag
    assert results[8].mean == 0.0


def test_optimism_never_flags_below_the_minimum() -> None:
    pairs = frame([4] * 5, [1] * 5)
    (result,) = optimism(pairs)
    assert not result.shown
    assert not result.flag
    assert result.mean is None


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (-0.01, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.41, "moderate"),
        (0.61, "substantial"),
        (0.8, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_landis_and_koch_bands(value: float, name: str) -> None:
    assert band(value) == name


def test_coefficients_round_half_up_to_two_decimals() -> None:
    assert two_decimals(0.125) == 0.13
    assert two_decimals(-0.125) == -0.13
