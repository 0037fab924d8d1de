"""The agreement figures are the same wherever they are shown, under each of the report's
filters: the agreement page's row of all judgements, the API's period report (its
``confidence`` section), the report page's "confidence in grades", the report's Word document
and, for the period alone, the committee report's Word document. The data set has blind
moderations (agreement uses the blind grade) and not-applicable grades (left out)."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape
from typing import Any

import docx
import pytest

from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.roles import Role
from qa_audit.core.clock import utcnow
from qa_audit.core.extensions import db
from qa_audit.reports.exports import confidence_words
from tests import factories
from tests.factories import committee_reports as committee
from tests.factories import moderation as mf
from tests.factories.organisation import service_area
from tests.functional.test_agreement_page import rows_of
from tests.functional.test_api import get, token_for

PERIOD = {"from": "2024-03", "to": "2024-05"}
ORDER = ["inadequate", "requires_improvement", "good", "outstanding"]
NA = Grade.NOT_APPLICABLE.value
# Each filter set of the report narrows the same data set differently.
FILTER_SETS = [
    pytest.param({}, id="the-period"),
    pytest.param({"service_area": "fostering"}, id="service-area"),
    pytest.param({"service_area": "locality", "team": "South Locality"}, id="team"),
    pytest.param({"tool": "qaif-2022"}, id="tool"),
    pytest.param({"audit_type": "closing_the_loop"}, id="audit-type"),
    pytest.param({"from": "2024-04", "to": "2024-04"}, id="one-month"),
    pytest.param(
        {"service_area": "locality", "tool": "practice-principles-2024"}, id="area-and-tool"
    ),
]


def _harsher(grade: str) -> str:
    return ORDER[max(ORDER.index(grade) - 1, 0)]


def _moderate(audit: Any, i: int) -> list[tuple[str, str]]:
    """Moderate ``audit`` (some domains regraded, some not applicable to the moderator, some
    blind with a blind grade other than the final one); the (auditor, moderator) grade pairs
    agreement counts, worked out here by hand."""
    overall = audit.overall_grade
    regraded = {"assessment": _harsher(audit.grades[0].grade)} if i % 4 == 2 else {}
    if i % 7 == 3:
        regraded["permanence"] = NA  # the moderator finds permanence not applicable
    final_overall = _harsher(overall) if i % 5 == 4 else overall
    moderation = mf.completed_moderation(audit, final_overall, grades=regraded)
    blind = i % 3 == 1
    pairs = []
    for row in audit.grades:
        moderator = moderation.grade_for(row.domain_key)
        assert moderator is not None
        used = moderator.grade
        if blind:
            # Graded blind one grade harsher than the final decision (where it can be).
            moderator.blind_grade = used if used == NA else _harsher(used)
            used = moderator.blind_grade
        if NA not in (row.grade, used):
            pairs.append((row.grade, used))
    used_overall = final_overall
    if blind:
        moderation.blind = True
        moderation.blind_overall_grade = _harsher(final_overall)
        moderation.blind_graded_at = utcnow()
        used_overall = moderation.blind_overall_grade
    return [*pairs, (overall, used_overall)]


@pytest.fixture
def moderated(db):  # type: ignore[no-untyped-def]
    """Eighteen moderated audits, March to May 2024, in Locality (two teams) and Fostering, on
    both tools, deep dives and closing the loop; permanence not applicable to some auditors
    and some moderators; a third moderated blind. Returns the pairs counted by hand."""
    south = next(t for t in service_area("locality").teams if t.name == "South Locality")
    pairs: list[tuple[str, str]] = []
    for i in range(18):
        area = "fostering" if i % 3 == 0 else "locality"
        grade = ("good", "requires_improvement", "outstanding", "good", "inadequate")[i % 5]
        audit = factories.audit(
            overall=grade,
            grades={"permanence": NA} if i % 4 == 0 else None,
            area_key=area,
            tool_key="qaif-2022" if i % 2 else "practice-principles-2024",
            audit_type="closing_the_loop" if i % 4 == 1 else "deep_dive",
            submitted_on=date(2024, 3 + i % 3, 2 + i),
        )
        if area == "locality" and i % 4 in (1, 2):
            audit.team = south
        pairs += _moderate(audit, i)
    db.session.commit()
    return pairs


def _text(response: Any) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def _word_text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def _agreement_page_row(client: Any, query: dict[str, str]) -> list[str]:
    response = client.get("/agreement", query_string=query)
    assert response.status_code == 200, _text(response)[:500]
    return rows_of(response, "agreement-summary")["All judgements (domains and overall)"]


def _percent(value: float, low: float, high: float) -> str:
    return f"{value:.1f}% 95% interval {low:.1f}% to {high:.1f}%"


def _coefficient(estimate: dict[str, Any]) -> str:
    return (
        f"{estimate['value']:.2f} ({estimate['band']}) "
        f"95% interval {estimate['low']:.2f} to {estimate['high']:.2f}"
    )


def test_the_hand_counted_pairs_are_the_apis(client, moderated) -> None:  # type: ignore[no-untyped-def]
    """Not applicable on either side is left out; the blind grade is used where there is one
    (the final decisions would agree more often than the blind grades do)."""
    answer = get(client, "/api/v1/reports/period", token_for(Role.QA_LEAD), **PERIOD)
    agreement = answer.get_json()["confidence"]["agreement"]
    assert agreement["pairs"] == len(moderated)
    assert agreement["audits"] == 18
    assert agreement["agreeing"] == sum(1 for auditor, mod in moderated if auditor == mod)


@pytest.mark.parametrize("narrowed", FILTER_SETS)
def test_the_page_the_api_the_report_and_its_word_file_give_the_same_figures(
    client, login_as, moderated, narrowed
) -> None:  # type: ignore[no-untyped-def]
    query = {**PERIOD, **narrowed}
    api = get(client, "/api/v1/reports/period", token_for(Role.QA_LEAD), **query)
    assert api.status_code == 200
    section = api.get_json()["confidence"]
    agreement = section["agreement"]
    assert agreement["pairs"] >= agreement["minimum_pairs"]  # figures shown, not "too few"
    assert agreement["pairs"] <= len(moderated)

    login_as(Role.QA_LEAD)
    # The agreement page: the same pairs and every figure with its interval.
    row = _agreement_page_row(client, query)
    assert row[0] == str(agreement["pairs"])
    assert row[1] == _percent(
        agreement["exact_percent"], agreement["exact_low"], agreement["exact_high"]
    )
    assert row[2] == _percent(
        agreement["within_one_percent"],
        agreement["within_one_low"],
        agreement["within_one_high"],
    )
    assert row[3] == _coefficient(agreement["kappa"])
    assert row[4] == _coefficient(agreement["ac2"])

    # The report page and its Word document say the API's figures in the same words.
    sentences = [
        f"{confidence_words.headline(section)}.",
        *confidence_words.agreement_sentences(section),
    ]
    report = client.get("/reports", query_string=query)
    assert report.status_code == 200
    page = _text(report)
    assert f"{confidence_words.headline(section)}." in page
    assert confidence_words.coefficient(agreement["ac2"]) in page
    assert confidence_words.coefficient(agreement["kappa"]) in page
    assert f"{agreement['pairs']} from {agreement['audits']} moderated audits" in page
    word = client.get("/reports/download.docx", query_string=query)
    assert word.status_code == 200
    word_text = _word_text(word.data)
    for sentence in sentences:
        assert " ".join(sentence.split()) in word_text


@pytest.mark.parametrize(
    "period", [("2024-03", "2024-05"), ("2024-04", "2024-04")], ids=["quarter", "month"]
)
def test_the_committee_report_gives_the_periods_figures(
    client, login_as, moderated, period
) -> None:  # type: ignore[no-untyped-def]
    """A committee report has a period and no other filter: its Word document says the API's
    figures for that period."""
    first, last = period
    api = get(
        client, "/api/v1/reports/period", token_for(Role.QA_LEAD), **{"from": first, "to": last}
    )
    section = api.get_json()["confidence"]
    lead = login_as(Role.QA_LEAD)
    report = committee.draft(lead, first, last)
    db.session.commit()
    response = client.get(f"/committee-reports/{report.id}/download.docx")
    assert response.status_code == 200
    word_text = _word_text(response.data)
    for sentence in (
        f"{confidence_words.headline(section)}.",
        *confidence_words.agreement_sentences(section),
    ):
        assert " ".join(sentence.split()) in word_text
