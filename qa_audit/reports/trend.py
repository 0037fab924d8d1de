"""The span of the direction of travel and the changes of audit tool within it: figures
graded against one tool's descriptors and then another's may not be comparable (the
reference report notes that a refreshed tool "may have influenced this shift"), so the chart,
the table and the JSON say where the tool changed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from qa_audit.report_filters import TREND_MONTHS, ReportFilters, month_label, period_label

BASIS_LAST_TWELVE = "last_12_months"
BASIS_FIRST_AUDIT = "since_first_audit"
BASIS_FROM_MONTH = "from_month"


def change_note(month: str, name: str) -> str:
    """What the page, the exports and the JSON say where the tool changed."""
    return (
        f"The audit tool changed in {month_label(month)} ({name}): figures before and after "
        "may not be comparable."
    )


def tool_changes(
    months: list[str], launches: Iterable[tuple[str, str, date]], one_tool: bool
) -> list[dict[str, str]]:
    """The tool versions launched within ``months`` after its first month (a tool launched in
    the first month, or before, changes nothing the span shows). None when the report is of
    one tool version's audits (``one_tool``): their figures all rest on the same tool."""
    if one_tool or not months:
        return []
    first, last = months[0], months[-1]
    out = []
    for key, name, launched_on in launches:
        month = launched_on.strftime("%Y-%m")
        if first < month <= last:
            out.append(
                {
                    "month": month,
                    "tool": key,
                    "name": name,
                    "launched_on": launched_on.isoformat(),
                    "note": change_note(month, name),
                }
            )
    return out


def trend_section(
    filters: ReportFilters, launches: Iterable[tuple[str, str, date]]
) -> dict[str, Any]:
    """The direction of travel's span (the "trend" of the report JSON): its first and last
    months, how it was chosen, and the changes of audit tool within it."""
    months = filters.trend_months
    if filters.trend_from is None:
        basis = BASIS_LAST_TWELVE
    elif filters.trend_since_first:
        basis = BASIS_FIRST_AUDIT
    else:
        basis = BASIS_FROM_MONTH
    return {
        "from": months[0],
        "to": months[-1],
        "months": len(months),
        "basis": basis,
        "label": trend_label(months),
        "tool_changes": tool_changes(months, launches, one_tool=filters.tool_id is not None),
    }


def trend_label(months: list[str]) -> str:
    """'the last 12 months' for the default span, else the months it covers."""
    if len(months) == TREND_MONTHS:
        return f"the last {TREND_MONTHS} months ({period_label(months[0], months[-1])})"
    return period_label(months[0], months[-1])
