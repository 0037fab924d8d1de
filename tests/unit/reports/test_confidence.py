"""The report's "confidence in grades": each grade's moderation as the moderation section counts
it, the agreement figures of qa_audit.agreement for the same pairs, too few pairs and small
numbers withheld, and the same figures in every export."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from docx import Document

from qa_audit.agreement import statistics
from qa_audit.core.figures import percent
from qa_audit.report_filters import ReportAccess, resolve_filters
from qa_audit.reports import exports
from qa_audit.reports.confidence import agreement_figures
from qa_audit.reports.exports import confidence_words
from qa_audit.reports.exports.content import figures_only
from qa_audit.reports.exports.pdf import committee_html
from qa_audit.reports.services import build_period_report
from tests import agreement_reference, factories
from tests.factories import reports as make

TODAY = date(2024, 4, 1)
VIEWER = ReportAccess(quotes=False, case_level=False, suppress_below=5)


def _period(db: Any, moderated: int) -> None:
    """Eight audits in March 2024 (4 Good, 3 RI, 1 Inadequate), the first ``moderated`` of
    them moderated: the second Good regraded to RI with its assessment Inadequate."""
    grades = ["good"] * 4 + ["requires_improvement"] * 3 + ["inadequate"]
    order = [0, 4, 1, 7, 5, 2]  # Good, RI, Good, Inadequate, RI, Good
    audits = [
        factories.audit(overall=grade, submitted_on=date(2024, 3, 1 + i))
        for i, grade in enumerate(grades)
    ]
    for n, index in enumerate(order[:moderated]):
        audit = audits[index]
        if n == 2:
            make.moderation(audit, "requires_improvement", grades={"assessment": "inadequate"})
        else:
            make.moderation(audit, audit.overall_grade)
    db.session.flush()


@pytest.fixture
def filters(db):  # type: ignore[no-untyped-def]
    return resolve_filters("2024-03", "2024-03")


def test_the_section_reuses_the_moderation_counts_and_the_agreement_statistics(db, filters) -> None:  # type: ignore[no-untyped-def]
    _period(db, moderated=6)
    report = build_period_report(filters, today=TODAY)
    section = report["confidence"]
    by_original = report["moderation"]["by_original_grade"]
    assert list(section["by_grade"]) == [
        "good",
        "requires_improvement",
        "inadequate",
        "outstanding",
    ]
    for key, grade in section["by_grade"].items():
        assert grade == {k: by_original[key][k] for k in ("moderated", "upheld", "upheld_percent")}
    assert section["by_grade"]["good"] == {"moderated": 3, "upheld": 2, "upheld_percent": 66.7}
    # The same figures as the agreement statistics give for the same grade pairs.
    frame = agreement_reference.grade_pairs(filters)
    expected = agreement_figures(agreement_reference.measures(frame), statistics.MINIMUM_PAIRS)
    assert section["agreement"] == expected
    agreement = section["agreement"]
    assert agreement["pairs"] == len(frame) == 6 * (frame["domain_key"].nunique())
    assert agreement["audits"] == 6
    assert not agreement["too_few"]
    assert agreement["ac2"]["band"] is not None
    assert agreement["ac2"]["low"] <= agreement["ac2"]["value"] <= agreement["ac2"]["high"]
    assert agreement["method"] == "bootstrap over audits, 2,000 resamples, fixed seed"
    # Two pairs disagree: the overall grade by one (Good to RI), the assessment by two (Good
    # to Inadequate).
    assert agreement["agreeing"] == agreement["pairs"] - 2
    assert agreement["within_one_percent"] == percent(agreement["pairs"] - 1, agreement["pairs"])


def test_too_few_pairs_give_no_figures(db, filters) -> None:  # type: ignore[no-untyped-def]
    _period(db, moderated=1)
    agreement = build_period_report(filters, today=TODAY)["confidence"]["agreement"]
    assert agreement["too_few"] is True
    assert agreement["pairs"] < statistics.MINIMUM_PAIRS
    assert agreement["exact_percent"] is None
    assert agreement["ac2"] == {"value": None, "low": None, "high": None, "band": None}
    assert confidence_words.agreement_words(agreement) == (
        f"agreement not shown: {agreement['pairs']} grade pairs, fewer than the 10 it needs"
    )


def test_a_viewer_gets_no_agreement_resting_on_fewer_moderated_audits_than_the_threshold(
    db, filters
) -> None:  # type: ignore[no-untyped-def]
    _period(db, moderated=3)  # 8 audits: the period is shown; 3 moderated: too few
    lead = build_period_report(filters, today=TODAY)["confidence"]
    viewer = build_period_report(filters, VIEWER, today=TODAY)["confidence"]
    assert lead["agreement"]["pairs"] >= statistics.MINIMUM_PAIRS
    assert lead["agreement"]["ac2"]["value"] is not None
    assert viewer["by_grade"] == lead["by_grade"]
    assert viewer["agreement"]["suppressed"] is True
    assert viewer["agreement"]["pairs"] is None
    assert viewer["agreement"]["ac2"]["value"] is None
    assert viewer["agreement"]["minimum_pairs"] == statistics.MINIMUM_PAIRS
    assert "agreement not shown" in confidence_words.headline(viewer)


def test_a_viewer_of_a_period_with_too_few_audits_gets_no_grade_counts(db) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        make.moderation(factories.audit(overall="good", submitted_on=date(2024, 3, 1 + i)), "good")
    db.session.flush()
    report = build_period_report(resolve_filters("2024-03", "2024-03"), VIEWER, today=TODAY)
    assert report["confidence"]["by_grade"]["good"] == {
        "moderated": None,
        "upheld": None,
        "upheld_percent": None,
    }
    assert report["confidence"]["agreement"]["suppressed"] is True


def test_the_sentence_and_the_figures_in_every_export(db, filters) -> None:  # type: ignore[no-untyped-def]
    _period(db, moderated=6)
    report = build_period_report(filters, today=TODAY)
    section = report["confidence"]
    ac2 = section["agreement"]["ac2"]
    sentence = (
        f"Good grades: 3 moderated, 2 upheld (66.7%); agreement AC2 {ac2['value']:.2f}, 95% "
        f"interval {ac2['low']:.2f} to {ac2['high']:.2f} ({ac2['band']})"
    )
    assert confidence_words.headline(section) == sentence
    document = Document(io.BytesIO(exports.render(report, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{sentence}." in text
    assert "Confidence in grades" in [p.text for p in document.paragraphs]
    rows = list(csv.reader(io.StringIO(exports.render(report, "csv").decode("utf-8-sig"))))
    figures = {(r[1], r[2]): r[3] for r in rows if r[0] == "Confidence in grades"}
    assert figures[("Good: moderated", "Value")] == "3"
    assert figures[("Good: upheld %", "Value")] == "66.7"
    assert figures[("Gwet's AC2", "Value")] == str(ac2["value"])
    assert figures[("Gwet's AC2", "95% interval low")] == str(ac2["low"])
    assert figures[("Exact agreement %", "Value")] == str(section["agreement"]["exact_percent"])


def test_the_committee_documents_carry_the_section(db, filters) -> None:  # type: ignore[no-untyped-def]
    _period(db, moderated=6)
    report = build_period_report(filters, today=TODAY)
    sentence = confidence_words.headline(report["confidence"])
    html = committee_html(report, figures_only(report), narrative=False)  # the PDF's source
    assert f"{sentence}." in html
    assert "Gwet’s AC2" in html
    # A final committee report frozen before the section existed still makes its documents.
    older = {key: value for key, value in report.items() if key != "confidence"}
    document = Document(io.BytesIO(exports.render(older, "docx")))
    assert "Confidence in grades" not in [p.text for p in document.paragraphs]
