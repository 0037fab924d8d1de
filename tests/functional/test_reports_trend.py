"""The report page's direction of travel over a longer span, its tool-change note and chart
line, and '% Good' beside 'good or better', through the test client."""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories import access_log as factories_access

NOTE = (
    "The audit tool changed in April 2024 (Practice Principles Audit Tool): figures before "
    "and after may not be comparable."
)


@pytest.fixture
def two_tools(db):  # type: ignore[no-untyped-def]
    factories.audit(overall="good", tool_key="qaif-2022", submitted_on=date(2022, 12, 5))
    factories.audit(overall="outstanding", tool_key="qaif-2022", submitted_on=date(2024, 3, 5))
    factories.audit(overall="good", submitted_on=date(2024, 4, 5))
    factories.audit(overall="requires_improvement", submitted_on=date(2024, 4, 6))
    db.session.commit()


def test_the_page_shows_the_span_asked_for_and_the_tool_change(client, login_as, two_tools) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.get(
        "/reports", query_string={"from": "2024-03", "to": "2024-04", "trend_from": "first"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Direction of travel: December 2022 to April 2024" in html
    assert html.count(NOTE) == 2  # the inset text and the table's caption
    assert "audit tool changed: Practice Principles Audit Tool" in html
    assert '<option value="first" selected>Since the first audit</option>' in html
    # The charts are asked for over the same span, and draw the change.
    assert "trend_from=first" in html
    chart = client.get(
        "/reports/charts/overall-trend.svg",
        query_string={"from": "2024-03", "to": "2024-04", "trend_from": "first"},
    )
    assert chart.status_code == 200
    svg = chart.get_data(as_text=True)
    assert "Tool changed: Practice" in svg
    assert "Dec 22 to Apr 24" in svg
    # 3 audits in March-April: 1 Good (33.3%), 2 Good or better (66.7%).
    assert "1 of 3 (33.3%)" in html
    assert "2 of 3 (66.7%)" in html
    assert "Good (final grade)" in html
    assert "% Good" in html


def test_the_twelve_months_before_the_change_say_nothing_of_it(client, login_as, two_tools) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    html = client.get("/reports", query_string={"from": "2024-03", "to": "2024-03"}).get_data(
        as_text=True
    )
    assert "Direction of travel: the last 12 months (April 2023 to March 2024)" in html
    assert "The audit tool changed" not in html
    svg = client.get(
        "/reports/charts/domains-trend.svg", query_string={"from": "2024-03", "to": "2024-03"}
    ).get_data(as_text=True)
    assert "Tool changed" not in svg


def test_a_wrong_start_of_the_direction_of_travel_is_shown_on_its_field(
    client, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.get(
        "/reports", query_string={"from": "2024-03", "to": "2024-04", "trend_from": "2024-05"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "The direction of travel must start in or before the end month" in html
    assert 'href="#trend_from"' in html


def test_the_api_takes_the_span_and_gives_good_beside_good_or_better(client, two_tools) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD)
    _db.session.commit()
    bearer = {"Authorization": f"Bearer {factories_access.bearer_token(lead)}"}
    response = client.get(
        "/api/v1/reports/period",
        query_string={"from": "2024-03", "to": "2024-04", "trend_from": "2022-10"},
        headers=bearer,
    )
    assert response.status_code == 200
    report = response.get_json()
    assert report["trend"]["from"] == "2022-10"
    assert len(report["months"]) == 19
    assert [c["note"] for c in report["trend"]["tool_changes"]] == [NOTE]
    # 3 audits in March-April: 1 Good, 1 Outstanding.
    assert report["overall"]["good_percent"] == 33.3
    assert report["overall"]["good_or_better_percent"] == 66.7
