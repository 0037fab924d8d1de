"""The agreement figures of a period and filters, as the agreement page shows them: overall,
broken down by domain, auditor, service area or month, and the auditors' optimism (per
auditor and per domain beside the period of the same length before, and month by month, so
drift shows)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from enum import StrEnum

import pandas as pd

from qa_audit.agreement.pairs import OVERALL, grade_pairs
from qa_audit.agreement.statistics import Measures, Optimism, measures, measures_by, optimism
from qa_audit.report_filters import ReportFilters, month_label, period_label


class Dimension(StrEnum):
    """What the figures are broken down by: (key column, label column, sort column)."""

    DOMAIN = "domain"
    AUDITOR = "auditor"
    SERVICE_AREA = "service_area"
    MONTH = "month"

    @property
    def label(self) -> str:
        return {
            "domain": "Domain",
            "auditor": "Auditor",
            "service_area": "Service area",
            "month": "Month submitted",
        }[self.value]

    @property
    def columns(self) -> tuple[str, str, str]:
        return {
            "domain": ("domain_key", "domain_title", "domain_position"),
            "auditor": ("auditor_id", "auditor_name", "auditor_name"),
            "service_area": ("service_area_id", "service_area_name", "service_area_name"),
            "month": ("month", "month", "month"),
        }[self.value]


@dataclass(frozen=True)
class Row:
    label: str
    measures: Measures


@dataclass(frozen=True)
class OptimismRow:
    label: str
    optimism: Optimism
    # The same in the period of the same length just before (drift); None: no pairs then.
    earlier: Optimism | None = None


@dataclass(frozen=True)
class AgreementFigures:
    filters: ReportFilters
    dimension: Dimension
    # Every judgement (domains and overall), then the overall judgements alone.
    everything: Measures
    overall: Measures
    rows: list[Row]
    optimism_overall: Optimism
    optimism_by_auditor: list[OptimismRow]
    optimism_by_domain: list[OptimismRow]
    optimism_by_month: list[OptimismRow]
    # The months of the earlier period the auditors' and domains' optimism is compared with.
    earlier_label: str


def _labels(pairs: pd.DataFrame, dimension: Dimension) -> dict[Hashable, tuple[str, object]]:
    """Each key of the dimension: its label and its place in the order shown."""
    key, label, order = dimension.columns
    found: dict[Hashable, tuple[str, object]] = {}
    for row in pairs[[key, label, order]].drop_duplicates(subset=[key]).itertuples(index=False):
        text = month_label(row[1]) if dimension is Dimension.MONTH else str(row[1])
        found[row[0]] = (text, row[2])
    return found


def _place(
    labels: dict[Hashable, tuple[str, object]], key: Hashable, dimension: Dimension
) -> tuple[int, str, str]:
    """Where ``key`` comes: domains in the tool's order (the overall judgement last), the
    others by name or month."""
    label, order = labels[key]
    if dimension is Dimension.DOMAIN:
        return (int(str(order)), "", label)
    return (0, str(order), label)


def _breakdown(pairs: pd.DataFrame, dimension: Dimension) -> list[Row]:
    key = dimension.columns[0]
    labels = _labels(pairs, dimension)
    found = sorted(measures_by(pairs, key), key=lambda item: _place(labels, item[0], dimension))
    return [Row(labels[k][0], m) for k, m in found]


def _optimism_rows(
    pairs: pd.DataFrame, dimension: Dimension, earlier: pd.DataFrame | None = None
) -> list[OptimismRow]:
    """Optimism for each key of ``dimension``, beside its optimism in ``earlier`` pairs."""
    key = dimension.columns[0]
    labels = _labels(pairs, dimension)
    found = sorted(optimism(pairs, by=key), key=lambda item: _place(labels, item.key, dimension))
    before = {} if earlier is None else {item.key: item for item in optimism(earlier, by=key)}
    return [OptimismRow(labels[item.key][0], item, before.get(item.key)) for item in found]


def agreement_figures(filters: ReportFilters, dimension: Dimension) -> AgreementFigures:
    """The figures of the agreement page for ``filters``, broken down by ``dimension``."""
    pairs = grade_pairs(filters)
    overall = pairs[pairs["domain_key"] == OVERALL]
    first, last = filters.earlier_period
    earlier = grade_pairs(replace(filters, from_month=first, to_month=last))
    return AgreementFigures(
        filters=filters,
        dimension=dimension,
        everything=measures(pairs),
        overall=measures(overall),
        rows=_breakdown(pairs, dimension),
        optimism_overall=optimism(pairs)[0],
        optimism_by_auditor=_optimism_rows(pairs, Dimension.AUDITOR, earlier),
        optimism_by_domain=_optimism_rows(pairs, Dimension.DOMAIN, earlier),
        optimism_by_month=_optimism_rows(pairs, Dimension.MONTH),
        earlier_label=period_label(first, last),
    )
