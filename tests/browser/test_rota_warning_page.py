"""The rota's warning page in real headless Chromium: allotting a case of the auditor's own
team shows the warning before anything is saved, the page passes axe's WCAG 2.2 A/AA rules,
and "Allot anyway" (pressed from the keyboard) allots."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.months import first_day
from tests.browser.axe import axe_violations
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_the_warning_page_comes_before_allotting_and_passes_axe(
    page: Page, live_server: LiveServer, sign_in
) -> None:  # type: ignore[no-untyped-def]
    month = local_today().strftime("%Y-%m")
    due = first_day(month).replace(day=20)
    owen = live_server.user(Role.AUDITOR, name="Owen Own", area_key="fostering")
    sign_in(Role.QA_LEAD, name="Quentin Lead")

    page.goto(f"{live_server.url}/rota/allot?month={month}")
    page.get_by_label("Auditor", exact=True).select_option(str(owen.id))
    page.get_by_label("Service area").select_option(label="Fostering")
    # The case is of Owen's own team.
    page.get_by_label("Case's team (optional)").select_option(str(owen.team_id))
    page.get_by_label("Case reference (optional)").fill("CR13579")
    page.locator("#due_on-day").fill(str(due.day))
    page.locator("#due_on-month").fill(str(due.month))
    page.locator("#due_on-year").fill(str(due.year))
    page.get_by_role("button", name="Allot audit").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the warnings before allotting")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "Owen Own would audit case CR13579 from their own team"
    )
    assert axe_violations(page, live_server.url) == []

    page.get_by_role("button", name="Allot anyway").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation to Owen Own")
    expect(page.locator(".govuk-summary-list")).to_contain_text("CR13579")
