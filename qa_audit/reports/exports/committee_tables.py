"""The committee report's tables of figures: every percentage with its count and denominator,
months and dates as a UK reader writes them. The same tables in the Word and the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa_audit.audit_tools.grades import Grade
from qa_audit.reports.exports import confidence_words as words
from qa_audit.reports.exports.dates import uk_date, uk_month
from qa_audit.reports.exports.wording import figure, share
from qa_audit.reports.frames import GRADE_KEYS


@dataclass(frozen=True)
class Table:
    """A titled table (header row first) with sentences above it; ``otherwise`` stands in
    for a table without rows."""

    heading: str
    sentences: list[str]
    rows: list[list[Any]]
    otherwise: str | None = None


def figure_tables(report: dict[str, Any]) -> list[Table]:
    """The remaining figures, after the narrative: one table per section."""
    return [
        _overall(report),
        _domains(report),
        _moderation(report),
        _agreement(report),
        *([_confidence(report)] if "confidence" in report else []),
        _learning_themes(report),
        _actions(report),
        _dip_samples(report),
        _rota(report),
    ]


def _overall(report: dict[str, Any]) -> Table:
    overall = report["overall"]
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
    return Table("Audits completed and overall grades", [], rows)


def _domains(report: dict[str, Any]) -> Table:
    rows: list[list[Any]] = [
        ["Practice principle", "Outstanding", "Good", "RI", "Inadequate", "N/A", "Good or better"]
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
    return Table("Grades by practice principle", [], rows, "No domain grades in this period.")


def _moderation(report: dict[str, Any]) -> Table:
    moderation, completed = report["moderation"], report["audits_completed"]
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
    reflective = moderation["reflective_conversations"]
    sentences = [
        f"{figure(moderation['moderated'], completed, moderation['percent_moderated'])} of the"
        " period's audits were moderated: "
        f"{share(moderation, 'upheld', moderation['moderated'])} upheld, "
        f"{share(moderation, 'upgraded', moderation['moderated'])} upgraded, "
        f"{share(moderation, 'downgraded', moderation['moderated'])} downgraded.",
        "Reflective conversations (Inadequate maintained after moderation): "
        f"{reflective['due']} due, {reflective['done']} held, {reflective['overdue']} overdue.",
    ]
    return Table("Moderation", sentences, rows)


def _agreement(report: dict[str, Any]) -> Table:
    agreement, moderation = report["agreement"], report["moderation"]
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
    return Table("Agreement between auditors and moderators", [], rows)


def _confidence(report: dict[str, Any]) -> Table:
    """How far the grades can be trusted: the committee's sentence, each grade's moderation
    and every agreement figure with its interval."""
    section = report["confidence"]
    rows: list[list[Any]] = [["Grade as audited", "Moderated", "Upheld"]]
    for key, grade in section["by_grade"].items():
        rows.append(
            [
                words.GRADE_NAMES[key],
                grade["moderated"],
                figure(grade["upheld"], grade["moderated"], grade["upheld_percent"]),
            ]
        )
    sentences = [f"{words.headline(section)}.", *words.agreement_sentences(section)]
    return Table("Confidence in grades", sentences, rows)


def months_table(report: dict[str, Any]) -> Table:
    """The direction of travel, month by month; a month where the audit tool changed says so,
    as the report page's table does."""
    rows: list[list[Any]] = [
        ["Month", "Audits", "Good or better", "Outstanding", "Good", "RI", "Inadequate"]
    ]
    changed = {c["month"]: c["name"] for c in (report.get("trend") or {}).get("tool_changes", [])}
    for m in report["months"]:
        month = uk_month(m["month"])
        if m["month"] in changed:
            month = f"{month} (audit tool changed: {changed[m['month']]})"
        if m.get("suppressed"):
            rows.append([month, m["audits_completed"], "not shown"] + [""] * 4)
            continue
        rows.append(
            [
                month,
                m["audits_completed"],
                figure(
                    m["final"]["outstanding"] + m["final"]["good"],
                    m["graded"],
                    m["good_or_better_percent"],
                ),
                *[m["final"][k] for k in GRADE_KEYS],
            ]
        )
    return Table("Direction of travel by month", [], rows)


def _learning_themes(report: dict[str, Any]) -> Table:
    themes = report["learning_themes"]
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
    return Table("Learning themes", [], rows, "No learning themes were recorded.")


def _actions(report: dict[str, Any]) -> Table:
    actions = report["actions"]
    sentence = (
        f"{actions['total']} actions were set by these audits: "
        f"{figure(actions['done'], actions['total'], actions['done_percent'])} done, "
        f"{figure(actions['open'], actions['total'], actions['open_percent'])} open, of which "
        f"{actions['overdue']} overdue on {uk_date(actions['as_of'])}."
    )
    return Table("Actions", [sentence], [["Actions"]], None)


def _dip_samples(report: dict[str, Any]) -> Table:
    rows: list[list[Any]] = [
        ["Dip sample", "Sample", "Completed", "Learning themes", "Actions open", "Actions done"]
    ]
    for d in report["dip_samples"]:
        rows.append(
            [
                d["title"],
                f"{d['sample_size']} {d['sample_unit'].replace('_', ' ')}",
                uk_date(d.get("completed_on")),
                "; ".join(d["learning_themes"]),
                d["actions_open"],
                d["actions_done"],
            ]
        )
    return Table("Thematic dip samples", [], rows, "No dip samples were completed in this period.")


def _rota(report: dict[str, Any]) -> Table:
    rota = report["rota"]
    sentence = (
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
    return Table("Rota", [sentence], rows, None)
