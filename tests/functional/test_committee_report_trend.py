"""The committee report's direction of travel over any span, through the test client: started
(or changed, while a draft) from the framework's launch, shown with the change of audit tool in
the page, its charts, the Word and the PDF; frozen with a final's figures; a wrong month is a
GOV.UK error."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.committee_reports.models import CommitteeReport
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories import moderation
from tests.factories.committee_reports import draft

NEW_TOOL = "Practice Principles Audit Tool"
NOTE = (
    f"The audit tool changed in April 2024 ({NEW_TOOL}): figures before and after may not be "
    "comparable."
)
LAUNCH = "2022-10"  # the framework's first tool (qaif-2022) was launched in October 2022
LONG_SPAN = "October 2022 to April 2024"
MONTH_ERROR = (
    "The direction of travel's first month must be a real month written as YYYY-MM, "
    "for example 2024-02"
)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def docx_text(body: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def two_tools(db):  # type: ignore[no-untyped-def]
    """Audits on the framework's first tool from December 2022, then on its successor
    (launched April 2024); the report is for March and April 2024."""
    first = factories.audit(overall="good", tool_key="qaif-2022", submitted_on=date(2022, 12, 5))
    factories.audit(overall="outstanding", tool_key="qaif-2022", submitted_on=date(2024, 3, 5))
    factories.audit(overall="good", submitted_on=date(2024, 4, 5))
    factories.audit(overall="requires_improvement", submitted_on=date(2024, 4, 6))
    db.session.commit()
    return first


def start(client, trend_from: str) -> object:  # type: ignore[no-untyped-def]
    return client.post(
        "/committee-reports/new",
        data={
            "title": "Quarterly report",
            "from_month": "2024-03",
            "to_month": "2024-04",
            "trend_from": trend_from,
        },
    )


def test_the_start_form_offers_the_report_pages_spans(client, login_as, two_tools) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    page = text_of(client.get("/committee-reports/new"))
    assert '<option value="">The 12 months to the end month</option>' in page
    assert '<option value="first">Since the first audit</option>' in page
    assert (
        f'<option value="{LAUNCH}">Since the Quality Assurance and Improvement Framework Audit '
        "Tool was launched (October 2022)</option>"
    ) in page


def test_a_draft_from_the_frameworks_launch_shows_the_long_trend_everywhere(
    client, login_as, two_tools
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = start(client, LAUNCH)
    assert response.status_code == 302
    report = _db.session.scalars(select(CommitteeReport)).one()
    assert report.trend_from == LAUNCH

    page = text_of(client.get(f"/committee-reports/{report.id}"))
    assert f"Direction of travel: {LONG_SPAN}" in page
    assert page.count(NOTE) == 2  # the inset text and the table's caption
    assert f'April 2024<br><span class="govuk-body-s">audit tool changed: {NEW_TOOL}' in page
    assert "The figures month by month (19 months)" in page
    assert "December 2022" in page
    chart = client.get(f"/committee-reports/{report.id}/charts/overall-trend.svg")
    assert chart.status_code == 200
    svg = chart.get_data(as_text=True)
    assert "Tool changed: Practice" in svg
    assert "Oct 22 to Apr 24" in svg
    lines = client.get(f"/committee-reports/{report.id}/charts/domains-trend.svg")
    assert "Tool changed: Practice" in lines.get_data(as_text=True)

    word = docx_text(client.get(f"/committee-reports/{report.id}/download.docx").data)
    assert f"Audit judgements: {LONG_SPAN}" in word
    assert NOTE in word
    assert "October 2022" in word.splitlines()
    assert f"April 2024 (audit tool changed: {NEW_TOOL})" in word.splitlines()

    pdf = client.get(f"/committee-reports/{report.id}/download.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert f"Audit judgements: {LONG_SPAN}" in text
    assert NOTE in text
    assert "December 2022" in text
    assert "audit tool changed" in text


def test_the_default_is_the_twelve_months_to_the_last_month(client, login_as, two_tools) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    assert start(client, "").status_code == 302
    report = _db.session.scalars(select(CommitteeReport)).one()
    assert report.trend_from is None
    page = text_of(client.get(f"/committee-reports/{report.id}"))
    assert "Direction of travel: the last 12 months (May 2023 to April 2024)" in page
    assert "December 2022" not in page


def test_a_draft_changes_its_span_and_the_change_is_in_its_history(client, login_as, db) -> None:  # type: ignore[no-untyped-def]
    factories.audit(overall="good", tool_key="qaif-2022", submitted_on=date(2023, 1, 5))
    report = draft()
    _db.session.commit()
    login_as(Role.QA_LEAD)
    stale = str(report.version)
    response = client.post(
        f"/committee-reports/{report.id}/direction-of-travel",
        data={"version": stale, "trend_from": "first"},
    )
    assert response.status_code == 302
    _db.session.expire_all()
    assert report.trend_from == "first"
    page = text_of(client.get(f"/committee-reports/{report.id}"))
    assert "Direction of travel: January 2023 to April 2024" in page
    assert '<option value="first" selected>Since the first audit</option>' in page
    assert "trend_from=first" in page  # the period report over the same span
    changed = _db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "committee_report.trend_changed")
    ).one()
    assert (changed.before, changed.after) == ({"trend_from": None}, {"trend_from": "first"})
    # A form opened before that change is refused: nothing is saved over it.
    refused = client.post(
        f"/committee-reports/{report.id}/direction-of-travel",
        data={"version": stale, "trend_from": ""},
    )
    assert refused.status_code == 400
    assert "There is a problem" in text_of(refused)
    _db.session.expire_all()
    assert report.trend_from == "first"


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("2024-13", MONTH_ERROR),
        ("April 2023", MONTH_ERROR),
        ("2024-05", "The direction of travel must start in or before the end month"),
        (
            "2003-12",
            "The direction of travel covers at most 240 months (20 years): choose a start month "
            "after 2004-04",
        ),
    ],
)
def test_a_wrong_start_is_a_govuk_error_and_nothing_is_saved(
    client, login_as, db, asked, message
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = start(client, asked)
    assert response.status_code == 400
    page = text_of(response)
    assert "There is a problem" in page
    assert message in html.unescape(page)
    assert 'href="#trend_from"' in page
    assert _db.session.scalar(select(func.count()).select_from(CommitteeReport)) == 0

    report = draft(to_month="2024-04")
    _db.session.commit()
    changed = client.post(
        f"/committee-reports/{report.id}/direction-of-travel",
        data={"version": str(report.version), "trend_from": asked},
    )
    assert changed.status_code == 400
    page = text_of(changed)
    assert "There is a problem" in page
    assert message in html.unescape(page)
    _db.session.expire_all()
    assert report.trend_from is None


def test_a_final_keeps_its_span_after_later_audits_change(client, login_as, two_tools) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    assert start(client, "first").status_code == 302
    report = _db.session.scalars(select(CommitteeReport)).one()
    response = client.post(
        f"/committee-reports/{report.id}/finalise", data={"version": str(report.version)}
    )
    assert response.status_code == 302
    word = docx_text(client.get(f"/committee-reports/{report.id}/download.docx").data)
    assert "Audit judgements: December 2022 to April 2024" in word
    before = text_of(client.get(f"/committee-reports/{report.id}"))
    assert "Direction of travel: December 2022 to April 2024" in before

    # An earlier audit (the first audit is now in June 2022), more in the span and the
    # period, a regrade.
    factories.audit(overall="inadequate", tool_key="qaif-2022", submitted_on=date(2022, 6, 1))
    factories.audit(overall="good", submitted_on=date(2024, 4, 25))
    factories.audit(overall="inadequate", tool_key="qaif-2022", submitted_on=date(2023, 2, 1))
    moderation.completed(
        two_tools, moderator_user=factories.user(Role.MODERATOR), overall="inadequate"
    )
    _db.session.commit()

    after = text_of(client.get(f"/committee-reports/{report.id}"))
    assert "Direction of travel: December 2022 to April 2024" in after
    assert "June 2022" not in after
    assert "Since this report was finalised" in after
    assert docx_text(client.get(f"/committee-reports/{report.id}/download.docx").data) == word
    svg = client.get(f"/committee-reports/{report.id}/charts/overall-trend.svg")
    assert "Dec 22 to Apr 24" in svg.get_data(as_text=True)
    _db.session.expire_all()
    assert report.snapshot["report"]["trend"]["from"] == "2022-12"
    # A final's span cannot be changed.
    refused = client.post(
        f"/committee-reports/{report.id}/direction-of-travel",
        data={"version": str(report.version), "trend_from": ""},
    )
    assert refused.status_code == 409
