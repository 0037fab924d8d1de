"""The period report as files: CSV, Excel (one sheet per section), Word (headings, tables and
charts for a committee report) and JSON. Every file is made from the same report dict, and
the CSV and Excel from the same tables, so they carry the same numbers as the page. Text
cells go through safe_cell (a cell starting = + - @ would run as a formula)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from qa_audit.audit_tools.grades import Grade
from qa_audit.core.spreadsheets import safe_cell
from qa_audit.reports.frames import GRADE_KEYS

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


def filename(report: dict[str, Any], fmt: str) -> str:
    period = report["period"]
    span = (
        period["from"] if period["from"] == period["to"] else f"{period['from']}-to-{period['to']}"
    )
    area = report["filters"].get("service_area")
    return f"qa-report-{span}{'-' + area if area else ''}.{fmt}"


def pct(value: float | None) -> str:
    """36.8 -> '36.8%'; None (nothing to divide by) -> 'no graded items'."""
    return "no graded items" if value is None else f"{value:.1f}%"


def share(section: dict[str, Any], key: str, whole: int) -> str:
    """figure() of ``section[key]`` and ``section[key + '_percent']``."""
    return figure(section[key], whole, section[f"{key}_percent"])


def figure(count: int, whole: int, value: float | None) -> str:
    """'7 of 19 (36.8%)': every percentage with its count and denominator."""
    if not whole:
        return f"{count} of {whole}"
    return f"{count} of {whole} ({pct(value)})"


def report_tables(report: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """The report as tables (header row first), one per section: what the CSV, Excel and
    Word exports hold, so that every export carries the same numbers."""
    grade_names = [Grade(k).label for k in GRADE_KEYS]
    tables: dict[str, list[list[Any]]] = {}
    overall = report["overall"]
    tables["Summary"] = [
        ["Measure", "Value"],
        ["Period from", report["period"]["from"]],
        ["Period to", report["period"]["to"]],
        *[[f"Filter: {k}", v] for k, v in report["filters"].items()],
        ["Audits completed", report["audits_completed"]],
        ["Good or better (final)", overall["good_or_better"]],
        ["Good or better (final) %", overall["good_or_better_percent"]],
        ["Audits moderated", report["moderation"]["moderated"]],
        ["Audits moderated %", report["moderation"]["percent_moderated"]],
        ["Based on fewer than 10 audits", "yes" if report["few_audits"] else "no"],
    ]
    tables["Overall grades"] = [
        ["Grade", "Final", "Final %", "As audited", "As audited %"],
        *[
            [
                name,
                overall["final"][k],
                overall["final_percent"][k],
                overall["as_audited"][k],
                overall["as_audited_percent"][k],
            ]
            for k, name in zip(GRADE_KEYS, grade_names, strict=True)
        ],
        ["Graded", overall["graded"], None, overall["as_audited_graded"], None],
    ]
    domain_head = ["Domain", "Key"]
    for name in grade_names:
        domain_head += [name, f"{name} %"]
    domain_head += ["Not applicable", "Graded", "Good or better", "Good or better %"]
    domain_rows = [domain_head]
    for key, d in report["domains"].items():
        row: list[Any] = [d["title"], key]
        for k in GRADE_KEYS:
            row += [d["counts"][k], d["percent"][k]]
        row += [d["not_applicable"], d["graded"], d["good_or_better"], d["good_or_better_percent"]]
        domain_rows.append(row)
    tables["Domains"] = domain_rows
    moderation = report["moderation"]
    mod_rows: list[list[Any]] = [
        ["Original grade", "Audits", "Moderated", "Moderated %", "Upheld", "Upgraded", "Downgraded"]
    ]
    for k, name in zip(GRADE_KEYS, grade_names, strict=True):
        g = moderation["by_original_grade"][k]
        mod_rows.append(
            [
                name,
                g["audits"],
                g["moderated"],
                g["percent_moderated"],
                g["upheld"],
                g["upgraded"],
                g["downgraded"],
            ]
        )
    mod_rows.append(
        [
            "All grades",
            report["audits_completed"],
            moderation["moderated"],
            moderation["percent_moderated"],
            moderation["upheld"],
            moderation["upgraded"],
            moderation["downgraded"],
        ]
    )
    reflective = moderation["reflective_conversations"]
    mod_rows.append(["Reflective conversations due", reflective["due"]])
    mod_rows.append(
        [
            "Reflective conversations done",
            reflective["done"] if reflective["available"] else reflective["note"],
        ]
    )
    tables["Moderation"] = mod_rows
    agreement = report["agreement"]
    tables["Agreement"] = [
        ["Domain", "Key", "Moderated", "Agreed", "Agreed %", "Regraded higher", "Regraded lower"],
        *[
            [
                d["title"],
                key,
                d["moderated"],
                d["agreed"],
                d["agreed_percent"],
                d["regraded_higher"],
                d["regraded_lower"],
            ]
            for key, d in agreement["by_domain"].items()
        ],
        [
            "Overall grade",
            "overall",
            agreement["overall"]["moderated"],
            agreement["overall"]["upheld"],
            agreement["overall"]["upheld_percent"],
            None,
            None,
        ],
    ]
    domain_keys = (
        list(report["months"][0]["domains_good_or_better_percent"]) if report["months"] else []
    )
    month_head = ["Month", "Audits completed"]
    for name in grade_names:
        month_head += [name, f"{name} %"]
    month_head += ["Good or better %", "Moderated", "Upheld", "Upheld %"]
    month_head += [f"{k} good or better %" for k in domain_keys]
    month_rows = [month_head]
    for m in report["months"]:
        row = [m["month"], m["audits_completed"]]
        for k in GRADE_KEYS:
            row += [m["final"][k], m["final_percent"][k]]
        row += [m["good_or_better_percent"], m["moderated"], m["upheld"], m["upheld_percent"]]
        row += [m["domains_good_or_better_percent"][k] for k in domain_keys]
        month_rows.append(row)
    tables["Direction of travel"] = month_rows
    feedback = report["feedback"]
    tables["Feedback"] = [
        ["Measure", "Count", "%"],
        ["Conversations", feedback["conversations"], None],
        [
            "Audits with feedback",
            feedback["audits_with_feedback"],
            feedback["audits_with_feedback_percent"],
        ],
        ["Children and young people", feedback["children_and_young_people"], None],
        ["Care-experienced adults", feedback["care_experienced_adults"], None],
        ["Parents and carers (not fathers)", feedback["parents_and_carers"], None],
        ["Fathers", feedback["fathers"], None],
        ["Other", feedback["other"], None],
        ["Positive", feedback["positive"], feedback["positive_percent"]],
        ["Constructive", feedback["constructive"], feedback["constructive_percent"]],
        ["Agreed to be quoted", feedback["consented_to_quote"], None],
        *[
            ["Quote (" + q["who_label"] + ", " + q["tone"] + ")", q["said"], None]
            for q in feedback.get("quotes", [])
        ],
    ]
    themes = report["learning_themes"]
    tables["Learning themes"] = [
        [
            "Theme",
            f"{themes['period']['from']} to {themes['period']['to']}",
            "% of audits",
            f"{themes['earlier_period']['from']} to {themes['earlier_period']['to']}",
            "% of audits",
            "Change",
        ],
        *[
            [
                t["theme"],
                t["count"],
                t["percent_of_audits"],
                t["earlier_count"],
                t["earlier_percent_of_audits"],
                t["change"],
            ]
            for t in themes["themes"]
        ],
        [
            "Audits",
            themes["period"]["audits"],
            None,
            themes["earlier_period"]["audits"],
            None,
            None,
        ],
    ]
    actions = report["actions"]
    tables["Actions"] = [
        ["Measure", "Count", "%"],
        ["Actions set", actions["total"], None],
        ["Done", actions["done"], actions["done_percent"]],
        ["Open", actions["open"], actions["open_percent"]],
        ["Open and overdue", actions["overdue"], actions["overdue_percent"]],
        ["As of", actions["as_of"], None],
    ]
    dips = report["dip_samples"]
    status = report["sections"]["dip_samples"]
    tables["Dip samples"] = (
        [
            [
                "Title",
                "Completed on",
                "Sample unit",
                "Sample size",
                "Learning themes",
                "Actions open",
                "Actions done",
            ]
        ]
        + [
            [
                d["title"],
                d["completed_on"],
                d["sample_unit"],
                d["sample_size"],
                "; ".join(d["learning_themes"]),
                d["actions_open"],
                d["actions_done"],
            ]
            for d in dips
        ]
        if status["available"]
        else [["Note"], [status["note"]]]
    )
    rota = report["rota"]
    if rota["available"]:
        head = ["Allotted", "Completed", "Exempted", "Outstanding", "Completed %"]
        fields = ["allotted", "completed", "exempted", "outstanding", "completed_percent"]
        rota_rows: list[list[Any]] = [["Group", "Name", *head]]
        rota_rows.append(["All", "All", *[rota[f] for f in fields]])
        rota_rows += [
            ["Service area", r["service_area"], *[r[f] for f in fields]]
            for r in rota["by_service_area"]
        ]
        rota_rows += [
            ["Auditor", r["auditor"], *[r[f] for f in fields]] for r in rota.get("by_auditor", [])
        ]
        tables["Rota"] = rota_rows
    else:
        tables["Rota"] = [["Note"], [rota["note"]]]
    return tables


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def to_csv(report: dict[str, Any]) -> str:
    """Long ("tidy") CSV: section, item, measure, value; one line per figure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["section", "item", "measure", "value"])
    for section, rows in report_tables(report).items():
        header, *body = rows
        for row in body:
            if len(header) == 1:
                writer.writerow([safe_cell(c) for c in (section, header[0], "", row[0])])
                continue
            for measure, value in zip(header[1:], row[1:], strict=False):
                writer.writerow([safe_cell(c) for c in (section, row[0], measure, value)])
    return buffer.getvalue()


def to_xlsx(report: dict[str, Any]) -> bytes:
    """An Excel workbook with one sheet per section; numbers stay numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for section, rows in report_tables(report).items():
        sheet = workbook.create_sheet(section[:31])
        for row in rows:
            sheet.append([safe_cell(c) if c is not None else None for c in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def to_docx(report: dict[str, Any], charts: dict[str, bytes] | None = None) -> bytes:
    """A Word document a QA lead can drop into a committee report: headings, sentences with
    every percentage's count and denominator, tables, and the charts (PNG)."""
    from docx import Document
    from docx.shared import Cm

    from qa_audit.reports.filters import period_label

    charts = charts or {}
    period = report["period"]
    document = Document()
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
    overall = report["overall"]
    moderation = report["moderation"]

    document.add_heading("Audits completed and overall grades", 1)
    document.add_paragraph(
        f"{completed} audits were completed. Final grade Good or better: "
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

    document.add_heading("Practice principles", 1)
    rows = [["Domain", "Outstanding", "Good", "RI", "Inadequate", "N/A", "Good or better"]]
    for d in report["domains"].values():
        rows.append(
            [
                d["title"],
                *[figure(d["counts"][k], d["graded"], d["percent"][k]) for k in GRADE_KEYS],
                d["not_applicable"],
                figure(d["good_or_better"], d["graded"], d["good_or_better_percent"]),
            ]
        )
    if len(rows) > 1:
        _table(document, rows)
    else:
        document.add_paragraph("No domain grades in this period.")
    pies = [name for name in charts if name.startswith("domain:")]
    if pies:
        grid = document.add_table(rows=0, cols=2)
        for index, name in enumerate(pies):
            if index % 2 == 0:
                cells = grid.add_row().cells
            run = cells[index % 2].paragraphs[0].add_run()
            run.add_picture(io.BytesIO(charts[name]), width=Cm(7.5))

    document.add_heading("Moderation", 1)
    document.add_paragraph(
        f"{figure(moderation['moderated'], completed, moderation['percent_moderated'])} of the"
        " period's audits were moderated (whenever the moderation took place): "
        f"{share(moderation, 'upheld', moderation['moderated'])} upheld, "
        f"{share(moderation, 'upgraded', moderation['moderated'])} upgraded, "
        f"{share(moderation, 'downgraded', moderation['moderated'])} downgraded."
    )
    rows = [["Original grade", "Audits", "Moderated", "Upheld", "Upgraded", "Downgraded"]]
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
    if reflective["available"]:
        document.add_paragraph(
            f"Reflective conversations (Inadequate maintained after moderation): "
            f"{reflective['due']} due, {reflective['done']} held, {reflective['overdue']} overdue."
        )
    else:
        document.add_paragraph(
            f"Reflective conversations due: {reflective['due']}. {reflective['note']}."
        )

    agreement = report["agreement"]
    document.add_heading("Agreement between auditors and moderators", 1)
    rows = [["Domain", "Judgements moderated", "Agreed", "Regraded higher", "Regraded lower"]]
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

    document.add_heading("Direction of travel: the last 12 months", 1)
    rows = [["Month", "Audits", "Good or better", "Outstanding", "Good", "RI", "Inadequate"]]
    for m in report["months"]:
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
        if name in charts:
            document.add_picture(io.BytesIO(charts[name]), width=Cm(16))

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

    themes = report["learning_themes"]
    document.add_heading("Learning themes", 1)
    if themes["themes"]:
        rows = [["Theme", "This period", "Earlier period", "Change"]]
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
        _table(document, rows)
    else:
        document.add_paragraph("No learning themes were recorded.")

    actions = report["actions"]
    document.add_heading("Actions", 1)
    document.add_paragraph(
        f"{actions['total']} actions were set by these audits: "
        f"{figure(actions['done'], actions['total'], actions['done_percent'])} done, "
        f"{figure(actions['open'], actions['total'], actions['open_percent'])} open, of which "
        f"{actions['overdue']} overdue on {actions['as_of']}."
    )

    document.add_heading("Thematic dip samples", 1)
    if not report["sections"]["dip_samples"]["available"]:
        document.add_paragraph(report["sections"]["dip_samples"]["note"] + ".")
    elif report["dip_samples"]:
        rows = [["Dip sample", "Sample", "Learning themes", "Actions open", "Actions done"]]
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
        _table(document, rows)
    else:
        document.add_paragraph("No dip samples were completed in this period.")

    rota = report["rota"]
    document.add_heading("Rota", 1)
    if rota["available"]:
        document.add_paragraph(
            f"{rota['allotted']} audits allotted: "
            f"{share(rota, 'completed', rota['allotted'] - rota['exempted'])}"
            f" completed (exemptions left out), {rota['exempted']} exempted, {rota['outstanding']}"
            " outstanding."
        )
        rows = [["Service area", "Allotted", "Completed", "Exempted", "Outstanding"]]
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
        if len(rows) > 1:
            _table(document, rows)
    else:
        document.add_paragraph(rota["note"] + ".")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_charts_png(report: dict[str, Any]) -> dict[str, bytes]:
    """The charts for the Word document, as PNG."""
    from qa_audit.reports import charts

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


def render(report: dict[str, Any], fmt: str) -> bytes:
    """The report in one of the export formats, as bytes."""
    if fmt == "json":
        return to_json(report).encode()
    if fmt == "csv":
        # A BOM so that Excel opens the UTF-8 CSV with the right characters.
        return ("\ufeff" + to_csv(report)).encode()
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "docx":
        return to_docx(report, report_charts_png(report))
    raise ValueError(f"unknown report format {fmt!r}")
