"""What an import would write, shown before anything is (the dry run): the audits counted by
month and service area, and the first rows as they will be stored (by audit reference: the
case references are not shown, so the dry run is no view of case records)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from qa_audit.audit_import.checking import Checker, Row
from qa_audit.audit_import.reading import Lookups

FIRST_ROWS = 10


@dataclass(frozen=True)
class PreviewRow:
    line: int
    reference: str
    service_area: str
    submitted_on: str
    overall: str
    moderated_overall: str


@dataclass(frozen=True)
class ImportPreview:
    """A checked file that has not been imported."""

    file: str
    rows: int
    moderations: int
    # (month YYYY-MM, service area name, audits), by month then area
    by_month_and_area: list[tuple[str, str, int]]
    first_rows: list[PreviewRow]
    users_to_create: list[str]


def _preview_row(row: Row, area_names: dict[int, str]) -> PreviewRow:
    return PreviewRow(
        line=row.line,
        reference=row.reference,
        service_area=area_names[row.area_id],
        submitted_on=f"{row.submitted_on.day} {row.submitted_on:%B %Y}",
        overall=row.overall.label,
        moderated_overall=row.moderated_overall.label if row.moderated_overall else "",
    )


def summarise(file_name: str, rows: int, checker: Checker, lookups: Lookups) -> ImportPreview:
    area_names = {area.id: area.name for area in lookups.areas.values()}
    counts = Counter((f"{r.submitted_on:%Y-%m}", area_names[r.area_id]) for r in checker.rows)
    return ImportPreview(
        file=file_name,
        rows=rows,
        moderations=sum(1 for r in checker.rows if r.moderator is not None),
        by_month_and_area=[(month, area, n) for (month, area), n in sorted(counts.items())],
        first_rows=[_preview_row(r, area_names) for r in checker.rows[:FIRST_ROWS]],
        users_to_create=sorted(checker.new_users),
    )
