"""The inspection evidence pack's summary as a Word document: what the pack holds, the
audits completed, the final grades, each practice principle's "% Good" and "good or better",
moderation, actions and dip samples. Every figure is the period report's own (the same
numbers as the report page); the document is A4, headed with the council's name and the
protective marking, its author the council."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from typing import Any

from docx import Document
from docx.shared import Cm

from qa_audit.audit_tools.grades import Grade
from qa_audit.core.spreadsheets import cleaned
from qa_audit.inspection.queries import Pack
from qa_audit.reports.exports import figure, pct
from qa_audit.reports.frames import GRADE_KEYS

A4 = (Cm(21.0), Cm(29.7))


def uk_date(value: date) -> str:
    """2024-05-20 -> '20 May 2024'."""
    return f"{value.day} {value:%B %Y}"


def _table(document: Any, rows: list[list[Any]]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else str(value)
            if index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _page(document: Any, council: str, marking: str, title: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    section.header.paragraphs[0].text = f"{marking} — {council}"
    section.footer.paragraphs[0].text = marking
    properties = document.core_properties
    properties.title = title
    properties.author = council
    properties.last_modified_by = council
    properties.comments = ""


def to_summary(
    pack: Pack, report: dict[str, Any], *, council: str, marking: str, prepared_by: str
) -> bytes:
    """The summary document of ``pack``, with the figures of its period ``report``."""
    report = cleaned(report)
    label = pack.filters.label
    title = f"Inspection evidence pack: {label}"
    document = Document()
    _page(document, council, marking, title)
    document.add_heading(title, 0)
    document.add_paragraph(
        f"{council}. Prepared by {prepared_by} on {uk_date(pack.today)} for the start of an "
        "Ofsted inspection. The workbook beside this document lists every audit counted here, "
        "with its case reference, final grades, moderation, actions and learning themes."
    )
    _holdings(document, pack)
    _audits(document, pack, report)
    _grades(document, report)
    _principles(document, report)
    _moderation(document, report)
    _actions(document, report)
    _dip_samples(document, pack)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _holdings(document: Any, pack: Pack) -> None:
    document.add_heading("What the pack holds", 1)
    _table(
        document,
        [
            ["Sheet of the workbook", "Rows"],
            ["Audits", len(pack.audits)],
            ["Moderation", len(pack.moderations)],
            ["Actions", len(pack.actions)],
            ["Learning themes", len(pack.themes)],
            ["Dip samples", len(pack.dip_samples)],
        ],
    )


def _audits(document: Any, pack: Pack, report: dict[str, Any]) -> None:
    document.add_heading("Audits completed", 1)
    document.add_paragraph(
        f"{report['audits_completed']} audits were completed in {pack.filters.label} (counted "
        "in the month they were submitted)."
    )
    by_type = Counter(a.audit_type for a in pack.audits)
    by_area = Counter(a.service_area for a in pack.audits)
    rows: list[list[Any]] = [["Audit type or service area", "Audits"]]
    rows += [[name, n] for name, n in sorted(by_type.items())]
    rows += [[name, n] for name, n in sorted(by_area.items())]
    if len(rows) > 1:
        _table(document, rows)


def _grades(document: Any, report: dict[str, Any]) -> None:
    overall = report["overall"]
    document.add_heading("Grade distribution", 1)
    graded = overall["graded"]
    good = figure(overall["good"], graded, overall["good_percent"])
    better = figure(overall["good_or_better"], graded, overall["good_or_better_percent"])
    document.add_paragraph(
        f"Final overall grade Good: {good}; Good or better: {better}."
        " The final grade is the moderator's where an audit was moderated, otherwise the "
        "auditor's."
    )
    rows: list[list[Any]] = [["Grade", "Final", "As audited"]]
    for key in GRADE_KEYS:
        rows.append(
            [
                Grade(key).label,
                figure(overall["final"][key], overall["graded"], overall["final_percent"][key]),
                figure(
                    overall["as_audited"][key],
                    overall["as_audited_graded"],
                    overall["as_audited_percent"][key],
                ),
            ]
        )
    _table(document, rows)


def _principles(document: Any, report: dict[str, Any]) -> None:
    if not report["domains"]:
        return
    document.add_heading("Practice principles", 1)
    rows: list[list[Any]] = [["Practice principle", "Graded", "% Good", "% Good or better"]]
    for d in report["domains"].values():
        rows.append(
            [d["title"], d["graded"], pct(d["good_percent"]), pct(d["good_or_better_percent"])]
        )
    _table(document, rows)


def _moderation(document: Any, report: dict[str, Any]) -> None:
    moderation, completed = report["moderation"], report["audits_completed"]
    done = moderation["moderated"]
    document.add_heading("Moderation", 1)
    document.add_paragraph(
        f"{figure(done, completed, moderation['percent_moderated'])} of the period's audits "
        f"were moderated: {figure(moderation['upheld'], done, moderation['upheld_percent'])} "
        f"upheld, {figure(moderation['upgraded'], done, moderation['upgraded_percent'])} "
        f"upgraded and {figure(moderation['downgraded'], done, moderation['downgraded_percent'])}"
        " downgraded."
    )


def _actions(document: Any, report: dict[str, Any]) -> None:
    actions = report["actions"]
    total = actions["total"]
    document.add_heading("Actions and their status", 1)
    document.add_paragraph(
        f"{total} actions were set by these audits: "
        f"{figure(actions['done'], total, actions['done_percent'])} done, "
        f"{figure(actions['open'], total, actions['open_percent'])} open, of which "
        f"{actions['overdue']} overdue on {uk_date(date.fromisoformat(actions['as_of']))}."
        " The workbook's Actions sheet also lists the actions of the period's dip samples and "
        "reflective conversations."
    )


def _dip_samples(document: Any, pack: Pack) -> None:
    document.add_heading("Thematic dip samples", 1)
    if not pack.dip_samples:
        document.add_paragraph("No dip samples were completed in this period.")
        return
    rows: list[list[Any]] = [["Dip sample", "Completed on", "Sample", "Learning themes"]]
    for d in cleaned(pack.dip_samples):
        done = uk_date(date.fromisoformat(d["completed_on"])) if d["completed_on"] else ""
        rows.append(
            [
                d["title"],
                done,
                f"{d['sample_size']} {d['sample_unit'].replace('_', ' ')}",
                "; ".join(d["learning_themes"]),
            ]
        )
    _table(document, rows)
