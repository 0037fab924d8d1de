"""The page's cheaper way to its figures (numpy tables per audit, one resampling per group)
gives exactly the figures of the reference statement (tests/agreement_reference.py: pandas,
group by group) on the same pairs: every group's counts, values and interval ends, to the
last digit."""

from __future__ import annotations

import numpy as np
import pytest

from qa_audit.agreement.analysis import PairAnalysis
from qa_audit.agreement.pairs import COLUMNS
from qa_audit.agreement.statistics import SCORES
from tests.agreement_reference import measures, measures_by, optimism, pairs_frame

GRADES = [*SCORES, "not_applicable", None]
DOMAINS = ["assessment", "plans", "voice", "overall"]


def random_rows(seed: int, audits: int) -> list[tuple[object, ...]]:
    """Grade pairs as ``pair_rows`` gives them (grades as stored), for ``audits`` audits of
    several auditors, areas and months, some grades not applicable or missing, some domains
    left out of some audits (so groups have different numbers of audits)."""
    rng = np.random.default_rng(seed)
    rows = []
    for audit in rng.permutation(np.arange(1, audits + 1) * 7):
        auditor, area = int(rng.integers(1, 6)), int(rng.integers(1, 3))
        month = f"2024-{int(rng.integers(1, 13)):02d}"
        for position, domain in enumerate(DOMAINS):
            if domain != "overall" and rng.random() < 0.15:
                continue
            auditor_grade = GRADES[int(rng.choice(6, p=[0.1, 0.3, 0.4, 0.1, 0.05, 0.05]))]
            # Mostly the same grade, sometimes one apart.
            moderator_grade = auditor_grade if rng.random() < 0.7 else GRADES[int(rng.integers(6))]
            values = {
                "audit_id": int(audit),
                "month": month,
                "auditor_id": auditor,
                "auditor_name": f"Auditor {auditor}",
                "service_area_id": area,
                "service_area_name": f"Area {area}",
                "team_id": None,
                "team_name": None,
                "domain_key": domain,
                "domain_title": domain.title(),
                "domain_position": position,
                "auditor": auditor_grade,
                "moderator": moderator_grade,
            }
            rows.append(tuple(values[column] for column in COLUMNS))
    return rows


@pytest.mark.parametrize(("seed", "audits"), [(1, 40), (2, 120), (3, 7)])
def test_every_figure_equals_the_dataframe_way(seed: int, audits: int) -> None:
    rows = random_rows(seed, audits)
    frame, analysis = pairs_frame(rows), PairAnalysis(rows)
    assert analysis.measures() == measures(frame)
    assert analysis.optimism() == optimism(frame)[0]
    overall = frame[frame["domain_key"] == "overall"]
    assert analysis.measures("domain_key", "overall") == measures(overall)
    for column in ("domain_key", "auditor_id", "service_area_id", "month"):
        assert analysis.measures_by(column) == measures_by(frame, column)
        assert analysis.optimism_by(column) == optimism(frame, by=column)


def test_the_figures_are_shown_and_differ_between_groups() -> None:
    """The comparison above is not of empty figures: groups have enough pairs, intervals,
    and different numbers of audits (so they use different draws)."""
    analysis = PairAnalysis(random_rows(2, 120))
    by_auditor = analysis.measures_by("auditor_id")
    assert all(figures.shown and figures.ac2.low is not None for _key, figures in by_auditor)
    assert len({figures.audits for _key, figures in by_auditor}) > 1


def test_no_pairs() -> None:
    analysis = PairAnalysis([])
    assert analysis.measures().pairs == 0
    assert not analysis.measures("domain_key", "overall").shown
    assert analysis.measures_by("auditor_id") == []
    assert not analysis.optimism().shown
