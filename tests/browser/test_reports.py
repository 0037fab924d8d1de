"""The report page in real Chromium: the charts load (as images, under the CSP) and a
screenshot is kept in test-artifacts/report.png."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from tests import factories
from tests.browser.conftest import LiveServer
from tests.factories import reports as make

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def report_data(live_server: LiveServer) -> None:
    """Twelve audits across February to April 2024, some moderated, with feedback."""
    with live_server.app.app_context():
        auditor = factories.user(Role.AUDITOR)
        plan = [
            "good",
            "requires_improvement",
            "requires_improvement",
            "inadequate",
            "good",
            "requires_improvement",
            "outstanding",
            "good",
            "requires_improvement",
            "good",
            "requires_improvement",
            "requires_improvement",
        ]
        for i, grade in enumerate(plan):
            audit = factories.audit(
                auditor=auditor,
                overall=grade,
                grades={"management_oversight": "requires_improvement"} if i % 3 else None,
                submitted_on=date(2024, 2 + i % 3, 5 + i),
            )
            if i in (0, 3, 5):
                make.moderation(audit, "requires_improvement" if i == 0 else grade)
            if i % 4 == 0:
                make.feedback(audit, "child", "positive", "I know who to call now.", consent=True)
        db.session.commit()


def test_report_page_shows_charts(
    page: Page, live_server: LiveServer, sign_in, report_data
) -> None:  # type: ignore[no-untyped-def]
    sign_in(Role.QA_LEAD)
    page.goto(f"{live_server.url}/reports?from=2024-02&to=2024-04")
    expect(page.get_by_role("heading", level=1)).to_have_text("February to April 2024")
    expect(page.get_by_role("heading", name="Practice principles")).to_be_visible()
    charts = page.locator("img.app-report-chart")
    expect(charts).to_have_count(7)  # five pies and two twelve-month charts
    for index in range(charts.count()):
        image = charts.nth(index)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        width = image.evaluate("img => img.naturalWidth")
        assert width > 0, image.get_attribute("src")
    expect(page.locator("main")).to_contain_text("I know who to call now.")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)


def test_reversed_period_shows_the_error_summary(
    page: Page, live_server: LiveServer, sign_in
) -> None:  # type: ignore[no-untyped-def]
    sign_in(Role.VIEWER)
    page.goto(f"{live_server.url}/reports?from=2024-02&to=2024-04")
    page.get_by_label("From month").fill("2024-05")
    page.get_by_role("button", name="Show report").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("The end month must be the same as or after the start month")
    summary.get_by_role("link").click()
    expect(page.get_by_label("To month")).to_be_focused()
