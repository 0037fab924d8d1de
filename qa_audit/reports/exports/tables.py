"""The report as tables (header row first), one per section: what the CSV, Excel and Word
exports hold, so that every export carries the same numbers."""

from __future__ import annotations

from typing import Any

from qa_audit.audit_tools.grades import Grade
from qa_audit.reports.exports.confidence_words import confidence_rows
from qa_audit.reports.frames import GRADE_KEYS


def report_tables(report: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """The report as tables (header row first), one per section: what the CSV, Excel and
    Word exports hold, so that every export carries the same numbers."""
    suppressed = report.get("suppressed") or {}
    if suppressed.get("period"):
        # Nothing but the rule: every figure of the period rests on too few audits.
        return {
            "Summary": [
                ["Measure", "Value"],
                ["Period from", report["period"]["from"]],
                ["Period to", report["period"]["to"]],
                *[[f"Filter: {k}", v] for k, v in report["filters"].items()],
                ["Figures not shown", suppressed["rule"]],
            ]
        }
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
        # Added rows: "% Good" beside "good or better", and the direction of travel's span.
        ["Good (final)", overall["good"]],
        ["Good (final) %", overall["good_percent"]],
        *_trend_rows(report),
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
    # Added column, last so the earlier ones keep their places: "% Good" for committees.
    domain_head += ["% Good"]
    domain_rows = [domain_head]
    for key, d in report["domains"].items():
        row: list[Any] = [d["title"], key]
        for k in GRADE_KEYS:
            row += [d["counts"][k], d["percent"][k]]
        row += [d["not_applicable"], d["graded"], d["good_or_better"], d["good_or_better_percent"]]
        row += [d["good_percent"]]
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
    mod_rows.append(["Reflective conversations done", reflective["done"]])
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
    tables["Dip samples"] = [
        [
            "Title",
            "Completed on",
            "Sample unit",
            "Sample size",
            "Learning themes",
            "Actions open",
            "Actions done",
        ],
        *[
            [
                d["title"],
                d["completed_on"],
                d["sample_unit"],
                d["sample_size"],
                "; ".join(d["learning_themes"]),
                d["actions_open"],
                d["actions_done"],
            ]
            for d in report["dip_samples"]
        ],
    ]
    rota = report["rota"]
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
    # Added last, so that the earlier sheets keep their places.
    if "confidence" in report:
        tables["Confidence in grades"] = confidence_rows(report["confidence"])
    return tables


def _trend_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The direction of travel's span and each change of audit tool within it."""
    trend = report.get("trend")
    if not trend:
        return []
    return [
        ["Direction of travel from", trend["from"]],
        ["Direction of travel to", trend["to"]],
        *[["Audit tool changed", change["note"]] for change in trend["tool_changes"]],
    ]
