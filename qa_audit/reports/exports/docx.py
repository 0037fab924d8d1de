"""The report as a Word document for a committee report: headings, sentences with every
percentage's count and denominator, tables, and the charts (PNG). One function per section,
in the order of the page."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.shared import Cm

from qa_audit.audit_tools.grades import Grade
from qa_audit.reports import charts
from qa_audit.reports.exports.wording import figure, share
from qa_audit.reports.filters import period_label
from qa_audit.reports.frames import GRADE_KEYS

Images = dict[str, bytes]


def _table(document: Any, rows: list[list[Any]]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            cell.text = "" if value is None else str(value)
            if index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _table_or(document: Any, rows: list[list[Any]], otherwise: str | None) -> None:
    """The table if it has rows below its header, else the sentence ``otherwise`` (if any)."""
    if len(rows) > 1:
        _table(document, rows)
    elif otherwise is not None:
        document.add_paragraph(otherwise)


def to_docx(report: dict[str, Any], images: Images | None = None) -> bytes:
    """A Word document a QA lead can drop into a committee report: headings, sentences with
    every percentage's count and denominator, tables, and the charts (PNG)."""
    images = images or {}
    document = Document()
    _introduction(document, report)
    suppressed = report.get("suppressed") or {}
    if suppressed.get("period"):
        # Every figure of the period rests on too few audits: the rule alone.
        document.add_paragraph(suppressed["rule"])
        return _saved(document)
    _overall(document, report)
    _domains(document, report, images)
    _moderation(document, report)
    _agreement(document, report)
    _direction_of_travel(document, report, images)
    _feedback(document, report)
    _learning_themes(document, report)
    _actions(document, report)
    _dip_samples(document, report)
    _rota(document, report)
    return _saved(document)


def _saved(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_charts_png(report: dict[str, Any]) -> Images:
    """The charts for the Word document, as PNG."""
    if (report.get("suppressed") or {}).get("period"):
        return {}
    out = {
        f"domain:{key}": charts.domain_pie(d["title"], d, "png")
        for key, d in report["domains"].items()
        if d["graded"]
    }
    if report["months"]:
        titles = {key: d["title"] for key, d in report["domains"].items()}
        out["overall_trend"] = charts.overall_trend(report["months"], "png")
        out["domains_trend"] = charts.domains_trend(report["months"], titles, "png")
    return out


def _introduction(document: Any, report: dict[str, Any]) -> None:
    period = report["period"]
    document.add_heading(
        f"Quality assurance audit report: {period_label(period['from'], period['to'])}", 0
    )
    filters = report["filters"]
    document.add_paragraph(
        "Filters: "
        + (", ".join(f"{k.replace('_', ' ')} {v}" for k, v in filters.items()) or "none")
        + f". Generated on {report['generated_on']}."
    )
    completed = report["audits_completed"]
    if completed == 0:
        document.add_paragraph("No audits were completed in this period.")
    if report["few_audits"] and completed:
        document.add_paragraph(
            f"Based on fewer than {report['few_audits_threshold']} audits — treat with caution."
        )


def _overall(document: Any, report: dict[str, Any]) -> None:
    overall = report["overall"]
    document.add_heading("Audits completed and overall grades", 1)
    document.add_paragraph(
        f"{report['audits_completed']} audits were completed. Final grade Good or better: "
        f"{share(overall, 'good_or_better', overall['graded'])}."
        " The final grade is the moderated grade where an audit was moderated, otherwise the"
        " auditor's."
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


def _domains(document: Any, report: dict[str, Any], images: Images) -> None:
    document.add_heading("Practice principles", 1)
    rows: list[list[Any]] = [
        ["Domain", "Outstanding", "Good", "RI", "Inadequate", "N/A", "Good or better"]
    ]
    for d in report["domains"].values():
        rows.append(
            [
                d["title"],
                *[figure(d["counts"][k], d["graded"], d["percent"][k]) for k in GRADE_KEYS],
                d["not_applicable"],
                figure(d["good_or_better"], d["graded"], d["good_or_better_percent"]),
            ]
        )
    _table_or(document, rows, "No domain grades in this period.")
    pies = [name for name in images if name.startswith("domain:")]
    if pies:
        grid = document.add_table(rows=0, cols=2)
        for index, name in enumerate(pies):
            if index % 2 == 0:
                cells = grid.add_row().cells
            run = cells[index % 2].paragraphs[0].add_run()
            run.add_picture(io.BytesIO(images[name]), width=Cm(7.5))


def _moderation(document: Any, report: dict[str, Any]) -> None:
    moderation, completed = report["moderation"], report["audits_completed"]
    document.add_heading("Moderation", 1)
    document.add_paragraph(
        f"{figure(moderation['moderated'], completed, moderation['percent_moderated'])} of the"
        " period's audits were moderated (whenever the moderation took place): "
        f"{share(moderation, 'upheld', moderation['moderated'])} upheld, "
        f"{share(moderation, 'upgraded', moderation['moderated'])} upgraded, "
        f"{share(moderation, 'downgraded', moderation['moderated'])} downgraded."
    )
    rows: list[list[Any]] = [
        ["Original grade", "Audits", "Moderated", "Upheld", "Upgraded", "Downgraded"]
    ]
    for key in GRADE_KEYS:
        g = moderation["by_original_grade"][key]
        rows.append(
            [
                Grade(key).label,
                g["audits"],
                figure(g["moderated"], g["audits"], g["percent_moderated"]),
                figure(g["upheld"], g["moderated"], g["upheld_percent"]),
                figure(g["upgraded"], g["moderated"], g["upgraded_percent"]),
                figure(g["downgraded"], g["moderated"], g["downgraded_percent"]),
            ]
        )
    _table(document, rows)
    reflective = moderation["reflective_conversations"]
    document.add_paragraph(
        f"Reflective conversations (Inadequate maintained after moderation): "
        f"{reflective['due']} due, {reflective['done']} held, {reflective['overdue']} overdue."
    )


def _agreement(document: Any, report: dict[str, Any]) -> None:
    agreement, moderation = report["agreement"], report["moderation"]
    document.add_heading("Agreement between auditors and moderators", 1)
    rows: list[list[Any]] = [
        ["Domain", "Judgements moderated", "Agreed", "Regraded higher", "Regraded lower"]
    ]
    for d in agreement["by_domain"].values():
        rows.append(
            [
                d["title"],
                d["moderated"],
                figure(d["agreed"], d["moderated"], d["agreed_percent"]),
                d["regraded_higher"],
                d["regraded_lower"],
            ]
        )
    o = agreement["overall"]
    rows.append(
        [
            "Overall grade",
            o["moderated"],
            figure(o["upheld"], o["moderated"], o["upheld_percent"]),
            moderation["upgraded"],
            moderation["downgraded"],
        ]
    )
    _table(document, rows)


def _direction_of_travel(document: Any, report: dict[str, Any], images: Images) -> None:
    document.add_heading("Direction of travel: the last 12 months", 1)
    rows: list[list[Any]] = [
        ["Month", "Audits", "Good or better", "Outstanding", "Good", "RI", "Inadequate"]
    ]
    for m in report["months"]:
        if m.get("suppressed"):
            rows.append([m["month"], m["audits_completed"], "not shown", "", "", "", ""])
            continue
        rows.append(
            [
                m["month"],
                m["audits_completed"],
                figure(
                    m["final"]["outstanding"] + m["final"]["good"],
                    m["graded"],
                    m["good_or_better_percent"],
                ),
                *[m["final"][k] for k in GRADE_KEYS],
            ]
        )
    _table(document, rows)
    for name in ("overall_trend", "domains_trend"):
        if name in images:
            document.add_picture(io.BytesIO(images[name]), width=Cm(16))


def _feedback(document: Any, report: dict[str, Any]) -> None:
    feedback = report["feedback"]
    document.add_heading("Feedback from children, young people and families", 1)
    document.add_paragraph(
        f"{feedback['conversations']} conversations: {feedback['children_and_young_people']}"
        f" with children and young people, {feedback['care_experienced_adults']} with"
        f" care-experienced adults, {feedback['parents_and_carers']} with parents and carers"
        f" (not fathers), {feedback['fathers']} with fathers and {feedback['other']} with others."
        f" Positive: {share(feedback, 'positive', feedback['conversations'])};"
        f" constructive: {share(feedback, 'constructive', feedback['conversations'])}."
    )
    for quote in feedback.get("quotes", []):
        document.add_paragraph(f"“{quote['said']}” — {quote['who_label'].lower()}", style="Quote")


def _learning_themes(document: Any, report: dict[str, Any]) -> None:
    themes = report["learning_themes"]
    document.add_heading("Learning themes", 1)
    rows: list[list[Any]] = [["Theme", "This period", "Earlier period", "Change"]]
    for t in themes["themes"]:
        rows.append(
            [
                t["theme"],
                figure(t["count"], themes["period"]["audits"], t["percent_of_audits"]),
                figure(
                    t["earlier_count"],
                    themes["earlier_period"]["audits"],
                    t["earlier_percent_of_audits"],
                ),
                f"{t['change']:+d}",
            ]
        )
    _table_or(document, rows, "No learning themes were recorded.")


def _actions(document: Any, report: dict[str, Any]) -> None:
    actions = report["actions"]
    document.add_heading("Actions", 1)
    document.add_paragraph(
        f"{actions['total']} actions were set by these audits: "
        f"{figure(actions['done'], actions['total'], actions['done_percent'])} done, "
        f"{figure(actions['open'], actions['total'], actions['open_percent'])} open, of which "
        f"{actions['overdue']} overdue on {actions['as_of']}."
    )


def _dip_samples(document: Any, report: dict[str, Any]) -> None:
    document.add_heading("Thematic dip samples", 1)
    rows: list[list[Any]] = [
        ["Dip sample", "Sample", "Learning themes", "Actions open", "Actions done"]
    ]
    for d in report["dip_samples"]:
        rows.append(
            [
                d["title"],
                f"{d['sample_size']} {d['sample_unit'].replace('_', ' ')}",
                "; ".join(d["learning_themes"]),
                d["actions_open"],
                d["actions_done"],
            ]
        )
    _table_or(document, rows, "No dip samples were completed in this period.")


def _rota(document: Any, report: dict[str, Any]) -> None:
    rota = report["rota"]
    document.add_heading("Rota", 1)
    document.add_paragraph(
        f"{rota['allotted']} audits allotted: "
        f"{share(rota, 'completed', rota['allotted'] - rota['exempted'])}"
        f" completed (exemptions left out), {rota['exempted']} exempted, {rota['outstanding']}"
        " outstanding."
    )
    rows: list[list[Any]] = [["Service area", "Allotted", "Completed", "Exempted", "Outstanding"]]
    for r in rota["by_service_area"]:
        rows.append(
            [
                r["service_area"],
                r["allotted"],
                figure(r["completed"], r["allotted"] - r["exempted"], r["completed_percent"]),
                r["exempted"],
                r["outstanding"],
            ]
        )
    _table_or(document, rows, None)


def committee_document(report: dict[str, Any], content: Any) -> bytes:
    """The committee report as a Word document."""
    return to_docx(report, report_charts_png(report))
