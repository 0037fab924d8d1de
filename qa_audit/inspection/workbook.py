"""The inspection evidence pack as an Excel workbook: an "About this pack" sheet, then one
sheet each for the audits with their final grades, moderation, actions, learning themes and
dip samples. Written in openpyxl's write-only mode (rows go straight to the file, not into a
grid of cell objects), every text through safe_cell (a cell starting = + - @ would run as a
formula); dates stay dates, shown as UK dates."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from qa_audit.actions.models import ActionSource
from qa_audit.core.spreadsheets import safe_cell
from qa_audit.inspection.queries import Pack, grade_label

UK_DATE = "dd/mm/yyyy"
SHEETS = ("About this pack", "Audits", "Moderation", "Actions", "Learning themes", "Dip samples")


def _cell(sheet: Any, value: Any, bold: bool = False) -> Any:
    """A write-only cell: dates as dates in the UK format, everything else through safe_cell."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = UK_DATE
        return cell
    cell = WriteOnlyCell(sheet, value=safe_cell(value) if value is not None else None)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet(workbook: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = min(max(len(name) + 2, 12), 40)
    sheet.append([_cell(sheet, name, bold=True) for name in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def to_workbook(pack: Pack, about: Sequence[tuple[str, Any]]) -> bytes:
    """The pack as an .xlsx file; ``about`` is the first sheet's (measure, value) rows."""
    # openpyxl takes a quarter of a second to import: paid by the first pack, not at start-up.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _sheet(workbook, SHEETS[0], ["About this pack", ""], about)
    domain_titles = [f"{title} (final)" for _, title in pack.domain_columns]
    _sheet(
        workbook,
        SHEETS[1],
        [
            "Audit reference",
            "Case reference",
            "Service area",
            "Team",
            "Auditor",
            "Audit type",
            "Audit tool",
            "Submitted on",
            "Status",
            "Overall grade as audited",
            "Overall grade after moderation",
            "Final overall grade",
            *domain_titles,
            "Learning themes",
        ],
        (
            [
                a.reference,
                a.case_ref,
                a.service_area,
                a.team,
                a.auditor,
                a.audit_type,
                a.tool,
                a.submitted_on,
                a.status.capitalize(),
                grade_label(a.overall_as_audited),
                grade_label(a.overall_moderated),
                grade_label(a.overall_final),
                *[grade_label(a.domain_final(key)) for key, _ in pack.domain_columns],
                "; ".join(a.themes),
            ]
            for a in pack.audits
        ),
    )
    _sheet(
        workbook,
        SHEETS[2],
        [
            "Audit reference",
            "Case reference",
            "Status",
            "Why selected",
            "Moderator",
            "Moderated on",
            "Overall grade as audited",
            "Moderated overall grade",
            "Outcome",
        ],
        (
            [
                m["reference"],
                m["case_ref"],
                m["status"].capitalize(),
                m["reason"],
                m["moderator"] or "",
                m["moderated_on"],
                grade_label(m["as_audited"]),
                grade_label(m["moderated"]),
                (m["outcome"] or "").capitalize(),
            ]
            for m in pack.moderations
        ),
    )
    _sheet(
        workbook,
        SHEETS[3],
        [
            "Set by",
            "Audit reference",
            "Case reference",
            "Dip sample",
            "Action",
            "Owner",
            "Due on",
            "Status",
            "Done on",
            "Overdue",
        ],
        (
            [
                ActionSource(a["source"]).label,
                a["reference"],
                a["case_ref"],
                a["dip_sample"],
                a["description"],
                a["owner"],
                a["due_on"],
                a["status"].capitalize(),
                a["completed_at"],
                _overdue(a, pack.today),
            ]
            for a in pack.actions
        ),
    )
    _sheet(
        workbook,
        SHEETS[4],
        ["Learning theme", "Audits tagged", "Audit references"],
        ([t["theme"], t["audits"], "; ".join(t["references"])] for t in pack.themes),
    )
    _sheet(
        workbook,
        SHEETS[5],
        [
            "Dip sample",
            "Completed on",
            "Sample",
            "Learning themes",
            "Actions open",
            "Actions done",
        ],
        (
            [
                d["title"],
                date.fromisoformat(d["completed_on"]) if d["completed_on"] else None,
                f"{d['sample_size']} {d['sample_unit'].replace('_', ' ')}",
                "; ".join(d["learning_themes"]),
                d["actions_open"],
                d["actions_done"],
            ]
            for d in pack.dip_samples
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _overdue(action: dict[str, Any], today: date) -> str:
    return "Yes" if action["status"] == "open" and action["due_on"] < today else "No"
