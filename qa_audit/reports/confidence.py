"""The report's "confidence in grades" section: how far the period's grades can be trusted.

For each overall grade as audited, how many audits were moderated and how many upheld: the
very counts of the moderation section (``moderation.by_original_grade``), never counted
again. Beside them, how far auditors and moderators agree over the period's grade pairs
(every domain and the overall judgement of each moderated audit, under the report's filters):
exact and within-one agreement, quadratic-weighted kappa and Gwet's AC2, each with its 95%
interval, from qa_audit.agreement, so that the agreement page and the report give the same
figures for the same filters. Below the minimum number of pairs the figures are null and
``too_few`` is true.

Its sentences are in exports/confidence_words.py, shared by the page and the documents."""

from __future__ import annotations

from typing import Any

from qa_audit.agreement import statistics
from qa_audit.agreement.services import period_measures
from qa_audit.audit_tools.grades import Grade
from qa_audit.core import data_version
from qa_audit.report_filters import ReportFilters

# The order the committee reads the grades in: the grade most reports rest on first.
CONFIDENCE_GRADES = (
    Grade.GOOD.value,
    Grade.REQUIRES_IMPROVEMENT.value,
    Grade.INADEQUATE.value,
    Grade.OUTSTANDING.value,
)
METHOD = f"bootstrap over audits, {statistics.RESAMPLES:,} resamples, fixed seed"
SCALE = "Landis and Koch (1977)"
PAIRS_OF = "every domain and the overall judgement of each moderated audit"


def _estimate(estimate: statistics.Estimate) -> dict[str, Any]:
    return {
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "band": estimate.band,
    }


def agreement_figures(measures: statistics.Measures, minimum: int) -> dict[str, Any]:
    """The overall agreement of the JSON: the counts always, the figures when there are
    enough pairs (null otherwise, with ``too_few``)."""
    return {
        "pairs": measures.pairs,
        "audits": measures.audits,
        "pairs_of": PAIRS_OF,
        "minimum_pairs": minimum,
        "too_few": not measures.shown,
        "agreeing": measures.agreeing if measures.shown else None,
        "exact_percent": measures.exact.value,
        "exact_low": measures.exact.low,
        "exact_high": measures.exact.high,
        "within_one_percent": measures.within_one.value,
        "within_one_low": measures.within_one.low,
        "within_one_high": measures.within_one.high,
        "kappa": _estimate(measures.kappa),
        "ac2": _estimate(measures.ac2),
        "method": METHOD,
        "weights": "quadratic",
        "scale": SCALE,
    }


def confidence_section(filters: ReportFilters, moderation: dict[str, Any]) -> dict[str, Any]:
    """The section for ``filters``, with the per-grade counts of the report's ``moderation``
    section."""
    by_grade = moderation["by_original_grade"]
    grades = {
        key: {
            "moderated": by_grade[key]["moderated"],
            "upheld": by_grade[key]["upheld"],
            "upheld_percent": by_grade[key]["upheld_percent"],
        }
        for key in CONFIDENCE_GRADES
    }
    minimum = statistics.MINIMUM_PAIRS
    return {"by_grade": grades, "agreement": agreement_figures(_measures(filters), minimum)}


def _measures(filters: ReportFilters) -> statistics.Measures:
    """The agreement figures of the period's grade pairs, kept while no record changes:
    reading the pairs into a DataFrame and their bootstrap cost 20 to 100 ms on the demo
    data, more than the rest of the report, and the figures are the same for every asker
    (any role, the page, the API) of the same filters. Measures is frozen, so sharing it is
    safe."""
    # Imported here: the cache module builds reports with services, which imports this one.
    from qa_audit.reports import cache

    # Where nothing could be kept (no data version, or uncommitted changes) the report that
    # holds these figures is already counted as built without the cache.
    if data_version.current() is None or data_version.holds_changes():
        return period_measures(filters)
    return cache.cached("confidence-measures", (filters,), lambda: period_measures(filters))
