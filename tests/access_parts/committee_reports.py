"""The access table's rows for the committee report's direction of travel. The world's report
is a final: its span cannot be changed (409 for the QA lead), and its charts are figures,
drawn for the QA lead and for viewers as each sees the final's figures."""

from __future__ import annotations

from tests.access_parts.outcomes import FINAL, IN, NO, OK

EXPECTED: dict[str, dict[str, tuple[int | str, ...]]] = {
    "committee_reports.trend": {"POST": (IN, NO, NO, NO, FINAL, NO, NO)},
    "committee_reports.overall_trend_chart": {"GET": (IN, NO, NO, NO, OK, OK, NO)},
    "committee_reports.domains_trend_chart": {"GET": (IN, NO, NO, NO, OK, OK, NO)},
}
