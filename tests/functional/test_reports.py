"""The report page, its charts and downloads, through the test client, role by role."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db
from tests import factories
from tests.factories import reports as make

PERIOD = {"from": "2024-02", "to": "2024-04"}


@pytest.fixture
def period_audits(db):  # type: ignore[no-untyped-def]
    """Locality: 3 audits (1 Good, 2 RI; one Good moderated down to RI); fostering: 1 Good."""
    auditor = factories.user(Role.AUDITOR)
    good = factories.audit(auditor=auditor, overall="good", submitted_on=date(2024, 2, 10))
    factories.audit(auditor=auditor, overall="requires_improvement", submitted_on=date(2024, 3, 10))
    moderated = factories.audit(auditor=auditor, overall="good", submitted_on=date(2024, 4, 10))
    make.moderation(moderated, "requires_improvement")
    factories.audit(
        auditor=auditor, overall="good", area_key="fostering", submitted_on=date(2024, 4, 11)
    )
    make.feedback(good, "child", "positive", "Quote for the locality page", consent=True)
    db.session.commit()


def page(client, **args):  # type: ignore[no-untyped-def]
    response = client.get("/reports", query_string={**PERIOD, **args})
    return response, response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.MODERATOR, Role.VIEWER])
def test_report_page_shows_figures_with_counts_and_denominators(
    client, app, monkeypatch, login_as, period_audits, role
) -> None:  # type: ignore[no-untyped-def]
    # These few audits are enough for a viewer here; suppression has its own tests
    # (test_report_suppression.py).
    monkeypatch.setitem(app.config, "REPORT_SUPPRESS_BELOW", 1)
    login_as(role)
    response, html = page(client)
    assert response.status_code == 200
    assert "February to April 2024" in html
    # 4 audits: final 2 Good (50.0%), 2 RI; as audited 3 Good.
    assert "2 of 4 (50.0%)" in html
    assert "3 of 4 (75.0%)" in html
    assert "Based on fewer than 10 audits — treat with caution." in html
    assert "1 of 4 (25.0%) audits were moderated" in html
    assert 'src="/reports/charts/domain-assessment.svg?' in html
    assert 'src="/reports/charts/overall-trend.svg?' in html
    for fmt in ("csv", "xlsx", "docx", "json"):
        assert f"/reports/download.{fmt}?" in html
    assert " style=" not in html
    assert "<script>" not in html


def test_viewer_sees_aggregates_but_no_quotes(
    client, app, monkeypatch, login_as, period_audits
) -> None:  # type: ignore[no-untyped-def]
    # These few audits are enough for a viewer here; suppression has its own tests
    # (test_report_suppression.py).
    monkeypatch.setitem(app.config, "REPORT_SUPPRESS_BELOW", 1)
    login_as(Role.VIEWER)
    _, html = page(client)
    assert "Quote for the locality page" not in html
    assert "Quotes are not shown to viewers" in html


def test_qa_lead_sees_the_quotes(client, login_as, period_audits) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    _, html = page(client)
    assert "Quote for the locality page" in html


def test_service_manager_sees_their_own_area_only(client, login_as, period_audits) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.SERVICE_MANAGER, area_key="fostering")
    response, html = page(client, service_area="locality")
    assert response.status_code == 200
    # Forced to fostering: 1 audit, Good.
    assert "1 of 1 (100.0%)" in html
    assert "Quote for the locality page" not in html
    assert "Locality (Children in Need" not in html.split("<main")[1].split("</form>")[1]
    assert 'value="locality"' not in html  # not even offered


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDITOR])
def test_other_roles_may_not_see_reports(client, login_as, role) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    assert client.get("/reports", query_string=PERIOD).status_code == 403
    assert client.get("/reports/download.csv", query_string=PERIOD).status_code == 403


def test_signed_out_goes_to_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/reports", query_string=PERIOD)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"from": "2024-13", "to": "2024-04"},
            "The start month must be a real month written as YYYY-MM",
        ),
        ({"from": "Feb 2024", "to": "2024-04"}, "The start month must be a real month"),
        ({"from": "2024-02", "to": "24-4"}, "The end month must be a real month"),
        (
            {"from": "2024-04", "to": "2024-02"},
            "The end month must be the same as or after the start month",
        ),
        ({"from": "", "to": "2024-02"}, "Enter the start month"),
        (
            {"from": "2024-02", "to": "2024-04", "service_area": "nowhere"},
            "There is no service area",
        ),
    ],
)
def test_malformed_or_reversed_periods_get_an_error_summary(
    client, login_as, args, message
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.get("/reports", query_string=args)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert message in html
    assert "<title>Error:" in html
    assert "Download this report" not in html


def test_no_arguments_shows_the_last_three_complete_months(client, login_as) -> None:  # type: ignore[no-untyped-def]
    from qa_audit.report_filters import period_label
    from qa_audit.reports.views import default_period

    login_as(Role.QA_LEAD)
    response = client.get("/reports")
    assert response.status_code == 200
    assert period_label(*default_period()) in response.get_data(as_text=True)


def test_empty_period_is_an_honest_empty_report(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response, html = page(client, **{"from": "2031-01", "to": "2031-01"})
    assert response.status_code == 200
    assert "No audits were completed in January 2031" in html
    assert "0 of 0" in html


def test_charts_are_svg_images(client, login_as, period_audits) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    for url in (
        "/reports/charts/domain-assessment.svg",
        "/reports/charts/overall-trend.svg",
        "/reports/charts/domains-trend.svg",
    ):
        response = client.get(url, query_string=PERIOD)
        assert response.status_code == 200, url
        assert response.mimetype == "image/svg+xml"
        assert b"<svg" in response.data
        assert b"<script" not in response.data
    assert client.get("/reports/charts/domain-nothing.svg", query_string=PERIOD).status_code == 404
    assert (
        client.get(
            "/reports/charts/overall-trend.svg", query_string={"from": "x", "to": "y"}
        ).status_code
        == 400
    )


def test_downloads_hold_the_numbers_and_are_recorded(client, login_as, period_audits) -> None:  # type: ignore[no-untyped-def]
    from docx import Document
    from openpyxl import load_workbook

    user = login_as(Role.QA_LEAD)
    response = client.get("/reports/download.json", query_string=PERIOD)
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    report = json.loads(response.data)
    assert report["audits_completed"] == 4
    assert report["overall"]["final_percent"]["good"] == 50.0
    csv_text = client.get("/reports/download.csv", query_string=PERIOD).data.decode("utf-8-sig")
    assert "Overall grades,Good,Final,2\r\n" in csv_text
    assert "Overall grades,Good,Final %,50.0\r\n" in csv_text
    workbook = load_workbook(
        io.BytesIO(client.get("/reports/download.xlsx", query_string=PERIOD).data)
    )
    assert workbook["Overall grades"]["B3"].value == 2
    assert workbook["Overall grades"]["C3"].value == 50.0
    document = Document(io.BytesIO(client.get("/reports/download.docx", query_string=PERIOD).data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Final grade Good or better: 2 of 4 (50.0%)" in text
    entries = db.session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.action == "period_report.exported", ChangeLogEntry.actor_id == user.id
        )
    ).all()
    assert sorted(e.after["format"] for e in entries) == ["csv", "docx", "json", "xlsx"]
    assert entries[0].after["filters"]["from"] == "2024-02"
    assert client.get("/reports/download.pdf", query_string=PERIOD).status_code == 404
    assert (
        client.get(
            "/reports/download.csv", query_string={"from": "2024-05", "to": "2024-01"}
        ).status_code
        == 400
    )


def test_navigation_offers_reports_to_report_roles(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.VIEWER)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/reports"' in html
