"""The explorer's page data (entries, counts and the options people read them by) and its
Excel export, which is recorded like every export (access_log.exports.record_export)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qa_audit.access_log.exports import record_export
from qa_audit.audit_tools.grades import GRADED
from qa_audit.auth.models import User
from qa_audit.core.paging import Paging
from qa_audit.core.spreadsheets import csv_text, safe_cell
from qa_audit.evidence import queries
from qa_audit.evidence.filters import KINDS, EvidenceFilters, grade_label
from qa_audit.report_filters import month_label
from qa_audit.reports.queries import domain_titles

EXPORT_HEADER = (
    "Practice principle",
    "Kind of entry",
    "Evidence",
    "Final grade of the principle",
    "Service area",
    "Team",
    "Month submitted",
    "Audit reference",
    "Audit tool version",
)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


@dataclass
class Explorer:
    """What the explorer page shows for a set of filters."""

    entries: list[queries.Entry]
    paging: Paging
    # Audits the report counts for the period and the report's filters (its audits_completed).
    audits_completed: int
    # Audits the matching entries come from.
    audits_matching: int
    counts: dict[str, Counter[Any]]
    titles: dict[str, str]
    names: dict[str, dict[Any, str]] = field(default_factory=dict)


def explore(filters: EvidenceFilters, user: User, page: int = 1) -> Explorer:
    """One page of the evidence for ``filters`` as ``user`` sees it, with the counts."""
    entries, paging, matching = queries.entries_page(filters, user, page)
    return Explorer(
        entries=entries,
        paging=paging,
        audits_completed=queries.audits_completed(filters),
        audits_matching=matching,
        counts=queries.facet_counts(filters),
        titles=principle_titles(),
        names=queries.names(),
    )


def principle_titles() -> dict[str, str]:
    """Each practice principle's title by key (the newest tool's wording), in tool order."""
    return {key: title for key, title, _ in sorted(domain_titles(), key=lambda t: t[2])}


def grade_options() -> list[tuple[str, str]]:
    """(value, label) of the four grades, best first."""
    return [(g.value, g.label) for g in GRADED]


def evidence_export(actor: User, filters: EvidenceFilters, fmt: str) -> tuple[bytes, int]:
    """Every entry matching ``filters`` as an Excel workbook or CSV (``fmt``: a key of
    CONTENT_TYPES; cells safe from formula injection), and how many; the export is recorded
    (caller commits)."""
    entries = queries.all_entries(filters, actor)
    titles = principle_titles()
    names = queries.names()
    rows = [
        (
            titles.get(entry.principle, entry.principle),
            KINDS[entry.kind],
            entry.text,
            grade_label(entry.grade),
            names["service_area"].get(entry.service_area_id, ""),
            names["team"].get(entry.team_id, ""),
            month_label(entry.month),
            entry.reference,
            names["tool"].get(entry.tool_id, ""),
        )
        for entry in entries
    ]
    # CSV with a byte-order mark, so that Excel reads the UTF-8 correctly.
    body = ("\ufeff" + csv_text(EXPORT_HEADER, rows)).encode() if fmt == "csv" else _workbook(rows)
    record_export(actor, "evidence", file_format=fmt, rows=len(rows), filters=filters.as_dict())
    return body, len(rows)


def _workbook(rows: Sequence[Sequence[str]]) -> bytes:
    # openpyxl is imported when a workbook is made, not by every start (as the report's).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Evidence"
    sheet.append(list(EXPORT_HEADER))
    for row in rows:
        sheet.append([safe_cell(c) for c in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", (28, 18, 80, 22, 24, 24, 16, 16, 26), strict=True):
        sheet.column_dimensions[letter].width = width
    for cells in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
