"""The agreement figures of a period and filters, as the agreement page shows them: overall,
broken down by domain, auditor, service area or month, and the auditors' optimism (per
auditor and per domain beside the period of the same length before, and month by month, so
drift shows)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from qa_audit.agreement.analysis import PairAnalysis, all_pairs
from qa_audit.agreement.pairs import COLUMNS, OVERALL, pair_rows
from qa_audit.agreement.statistics import Measures, Optimism
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


def _labels(
    rows: Sequence[Sequence[Any]], dimension: Dimension
) -> dict[Hashable, tuple[str, object]]:
    """Each key of the dimension: its label and its place in the order shown, from its first
    pair in audit and domain order."""
    key, label, order = (COLUMNS.index(column) for column in dimension.columns)
    audit, position, domain = (
        COLUMNS.index(c) for c in ("audit_id", "domain_position", "domain_key")
    )
    first: dict[Hashable, tuple[tuple[Any, ...], str, object]] = {}
    for row in rows:
        place = (row[audit], row[position], row[domain])
        if row[key] not in first or place < first[row[key]][0]:
            text = month_label(row[label]) if dimension is Dimension.MONTH else str(row[label])
            first[row[key]] = (place, text, row[order])
    return {k: (text, order_value) for k, (_place, text, order_value) in first.items()}


def _place(
    labels: dict[Hashable, tuple[str, object]], key: Hashable, dimension: Dimension
) -> tuple[int, str, str]:
    """Where ``key`` comes: domains in the tool's order (the overall judgement last), the
    others by name or month."""
    label, order = labels[key]
    if dimension is Dimension.DOMAIN:
        return (int(str(order)), "", label)
    return (0, str(order), label)


def _breakdown(
    analysis: PairAnalysis, rows: Sequence[Sequence[Any]], dimension: Dimension
) -> list[Row]:
    key = dimension.columns[0]
    labels = _labels(rows, dimension)
    found = sorted(analysis.measures_by(key), key=lambda item: _place(labels, item[0], dimension))
    return [Row(labels[k][0], m) for k, m in found]


def _optimism_rows(
    analysis: PairAnalysis,
    rows: Sequence[Sequence[Any]],
    dimension: Dimension,
    earlier: PairAnalysis | None = None,
) -> list[OptimismRow]:
    """Optimism for each key of ``dimension``, beside its optimism in the ``earlier`` pairs."""
    key = dimension.columns[0]
    labels = _labels(rows, dimension)
    found = sorted(analysis.optimism_by(key), key=lambda item: _place(labels, item.key, dimension))
    before = {} if earlier is None else {item.key: item for item in earlier.optimism_by(key)}
    return [OptimismRow(labels[item.key][0], item, before.get(item.key)) for item in found]


def period_measures(filters: ReportFilters) -> Measures:
    """The agreement figures of every grade pair under ``filters`` (the report's confidence
    section), from the pairs' audits and cells alone: the same figures as the agreement
    page's row of all judgements."""
    return all_pairs(filters).measures()


def agreement_figures(filters: ReportFilters, dimension: Dimension) -> AgreementFigures:
    """The figures of the agreement page for ``filters``, broken down by ``dimension``: two
    SQL statements (the period's pairs and the earlier period's), the rest numpy."""
    rows = pair_rows(filters)
    analysis = PairAnalysis(rows)
    first, last = filters.earlier_period
    earlier = PairAnalysis(pair_rows(replace(filters, from_month=first, to_month=last)))
    return AgreementFigures(
        filters=filters,
        dimension=dimension,
        everything=analysis.measures(),
        overall=analysis.measures("domain_key", OVERALL),
        rows=_breakdown(analysis, rows, dimension),
        optimism_overall=analysis.optimism(),
        optimism_by_auditor=_optimism_rows(analysis, rows, Dimension.AUDITOR, earlier),
        optimism_by_domain=_optimism_rows(analysis, rows, Dimension.DOMAIN, earlier),
        optimism_by_month=_optimism_rows(analysis, rows, Dimension.MONTH),
        earlier_label=period_label(first, last),
    )
