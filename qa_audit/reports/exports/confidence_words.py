"""The "confidence in grades" section in words, written once for the page, the Word document
and the PDF: "Good grades: 21 moderated, 15 upheld (71.4%); agreement AC2 0.81, 95% interval
0.74 to 0.87 (almost perfect)"."""

from __future__ import annotations

from typing import Any

from qa_audit.audit_tools.grades import Grade
from qa_audit.reports.exports.wording import pct

# Short names for a sentence ("Good grades", "Requires improvement grades").
GRADE_NAMES = {
    Grade.OUTSTANDING.value: "Outstanding",
    Grade.GOOD.value: "Good",
    Grade.REQUIRES_IMPROVEMENT.value: "Requires improvement",
    Grade.INADEQUATE.value: "Inadequate",
}


def grade_sentence(key: str, grade: dict[str, Any]) -> str:
    """'Good grades: 21 moderated, 15 upheld (71.4%)'."""
    name = GRADE_NAMES[key]
    if grade["moderated"] is None:
        return f"{name} grades: not shown"
    if not grade["moderated"]:
        return f"{name} grades: none moderated"
    return (
        f"{name} grades: {grade['moderated']} moderated, {grade['upheld']} upheld "
        f"({pct(grade['upheld_percent'])})"
    )


def agreement_words(agreement: dict[str, Any]) -> str:
    """'agreement AC2 0.81, 95% interval 0.74 to 0.87 (almost perfect)', or why not."""
    ac2 = agreement["ac2"]
    if agreement.get("suppressed") or agreement["pairs"] is None:
        return "agreement not shown"
    if agreement["too_few"]:
        return (
            f"agreement not shown: {agreement['pairs']} grade pairs, fewer than the "
            f"{agreement['minimum_pairs']} it needs"
        )
    if ac2["value"] is None:
        return "agreement AC2 not defined for these grades"
    return (
        f"agreement AC2 {ac2['value']:.2f}, 95% interval {ac2['low']:.2f} to "
        f"{ac2['high']:.2f} ({ac2['band']})"
    )


def headline(section: dict[str, Any]) -> str:
    """The committee's one sentence: the Good grades' moderation and the agreement."""
    good = section["by_grade"][Grade.GOOD.value]
    return f"{grade_sentence(Grade.GOOD.value, good)}; {agreement_words(section['agreement'])}"


def coefficient(estimate: dict[str, Any]) -> str:
    """'0.81 (95% interval 0.74 to 0.87, almost perfect)'."""
    if estimate["value"] is None:
        return "not defined for these grades (one and the same grade throughout)"
    return (
        f"{estimate['value']:.2f} (95% interval {estimate['low']:.2f} to "
        f"{estimate['high']:.2f}, {estimate['band']})"
    )


def agreement_sentences(section: dict[str, Any]) -> list[str]:
    """Every agreement figure in words, for the documents and the page."""
    agreement = section["agreement"]
    if agreement.get("suppressed") or agreement["pairs"] is None or agreement["too_few"]:
        words = agreement_words(agreement)
        return [f"{words[0].upper()}{words[1:]}."]
    return [
        f"Over {agreement['pairs']} grade pairs from {agreement['audits']} moderated audits "
        f"({agreement['pairs_of']}): exact agreement {pct(agreement['exact_percent'])} "
        f"(95% interval {pct(agreement['exact_low'])} to {pct(agreement['exact_high'])}), "
        f"within one grade {pct(agreement['within_one_percent'])} "
        f"(95% interval {pct(agreement['within_one_low'])} to "
        f"{pct(agreement['within_one_high'])}).",
        f"Gwet’s AC2 {coefficient(agreement['ac2'])}; "
        f"weighted kappa {coefficient(agreement['kappa'])}.",
        f"95% intervals by {agreement['method']}; bands of {agreement['scale']}.",
    ]


def confidence_rows(section: dict[str, Any]) -> list[list[Any]]:
    """The section as one table (header row first), for the CSV and the Excel workbook:
    numbers stay numbers, intervals in their own columns."""
    rows: list[list[Any]] = [["Measure", "Value", "95% interval low", "95% interval high", "Band"]]
    for key, grade in section["by_grade"].items():
        name = GRADE_NAMES[key]
        rows += [
            [f"{name}: moderated", grade["moderated"], None, None, None],
            [f"{name}: upheld", grade["upheld"], None, None, None],
            [f"{name}: upheld %", grade["upheld_percent"], None, None, None],
        ]
    agreement = section["agreement"]
    too_few = agreement["too_few"]
    rows += [
        ["Grade pairs", agreement["pairs"], None, None, None],
        ["Moderated audits", agreement["audits"], None, None, None],
        ["Fewest grade pairs for a figure", agreement["minimum_pairs"], None, None, None],
        ["Too few grade pairs", "yes" if too_few else "no", None, None, None],
        [
            "Exact agreement %",
            agreement["exact_percent"],
            agreement["exact_low"],
            agreement["exact_high"],
            None,
        ],
        [
            "Within one grade %",
            agreement["within_one_percent"],
            agreement["within_one_low"],
            agreement["within_one_high"],
            None,
        ],
    ]
    for name, key in (("Gwet's AC2", "ac2"), ("Weighted kappa (quadratic)", "kappa")):
        estimate = agreement[key]
        rows.append([name, estimate["value"], estimate["low"], estimate["high"], estimate["band"]])
    rows.append(["Intervals", agreement["method"], None, None, None])
    return rows
