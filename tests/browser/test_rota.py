"""The rota in real headless Chromium: a QA lead allots a month's audits in bulk and a named
case one by one; the auditor sees them on their home page and starts an audit from one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.months import add_months, first_day, month_label
from tests import factories
from tests.browser.conftest import LiveServer
from tests.browser.test_moderation import axe_violations

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def area_id(live_server: LiveServer, key: str) -> int:
    with live_server.app.app_context():
        return factories.service_area(key).id


def sign_in_as(page: Page, live_server: LiveServer, email: str) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")


def test_qa_lead_allots_a_month_and_the_auditor_starts_an_audit(
    page: Page, live_server: LiveServer, sign_in
) -> None:  # type: ignore[no-untyped-def]
    month = add_months(local_today().strftime("%Y-%m"), 1)
    due = first_day(month).replace(day=20)
    auditor = live_server.user(Role.AUDITOR, name="Rhea Rota", area_key="fgc")
    fostering = area_id(live_server, "fostering")
    sign_in(Role.QA_LEAD, name="Quentin Lead")

    # Bulk: every active auditor gets one Fostering audit for next month.
    page.get_by_role("link", name="Rota", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("button", name="Allot audits in bulk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allot audits in bulk")
    page.locator("#month").select_option(month)
    expect(page.get_by_role("checkbox", name="Auditor", exact=True)).to_be_checked()
    page.get_by_role("checkbox", name="Fostering").check()
    page.get_by_label("Audits per auditor").fill("1")
    page.locator("#due_on-day").fill(str(due.day))
    page.locator("#due_on-month").fill(str(due.month))
    page.locator("#due_on-year").fill(str(due.year))
    page.get_by_role("button", name="Continue").click()

    # The preview: nothing allotted until the button on it is pressed.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the allotment before allotting"
    )
    expect(page.locator("#allotment-preview")).to_contain_text("Rhea Rota")
    assert axe_violations(page, live_server) == []
    page.get_by_role("button", name=re.compile(r"^Allot \d+ audits?$")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(month_label(month))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        re.compile(rf"\d+ audits? allotted to \d+ auditors? for {month_label(month)}")
    )
    expect(page.locator("#by-auditor")).to_contain_text("Rhea Rota")
    # The allotment's own page, where it could be undone.
    page.locator("#bulk-allotments + p + ul a").first.click()
    expect(page.get_by_role("button", name="Undo this allotment")).to_be_visible()
    assert axe_violations(page, live_server) == []
    page.go_back()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rota.png"), full_page=True)

    # One by one: a named case for the same auditor, with its team.
    page.get_by_role("button", name="Allot one audit").click()
    page.locator("#month").select_option(month)
    page.get_by_label("Auditor", exact=True).select_option(label="Rhea Rota (FGC Coordinators)")
    page.get_by_label("Service area").select_option(label="Fostering")
    # The team list follows the service area chosen (teams-of-area.js).
    teams = page.get_by_label("Case's team (optional)").locator("option")
    expect(teams.filter(has_text="Fostering: ")).not_to_have_count(0)
    expect(teams.filter(has_not_text="Fostering: ")).to_have_text(["Not known"])
    page.get_by_label("Case's team (optional)").select_option(
        label="Fostering: Kinship Assessments"
    )
    page.get_by_label("Case reference (optional)").fill("CR24680")
    page.locator("#due_on-day").fill(str(due.day))
    page.locator("#due_on-month").fill(str(due.month))
    page.locator("#due_on-year").fill(str(due.year))
    page.get_by_role("button", name="Allot audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation to Rhea Rota")
    expect(page.locator(".govuk-summary-list")).to_contain_text("CR24680")
    page.screenshot(path=str(ARTIFACTS / "rota-allocation.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()

    # The auditor sees both on their home page and starts the named one.
    sign_in_as(page, live_server, auditor.email)
    section = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("^Your rota allocations"))
    )
    rows = section.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(section).to_contain_text("Your choice of case")
    named = rows.filter(has_text="CR24680")
    expect(named).to_contain_text("Fostering: Kinship Assessments")
    named.get_by_role("link", name=re.compile("^Start audit")).click()

    page.go_back()
    page.screenshot(path=str(ARTIFACTS / "rota-home.png"), full_page=True)
    named.get_by_role("link", name=re.compile("^Start audit")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start an audit")
    expect(page.get_by_label("Case reference")).to_have_value("CR24680")
    expect(page.locator("select[name=service_area_id]")).to_have_value(str(fostering))
    allocation_field = page.locator("input[name=allocation_id]")
    expect(allocation_field).to_have_value(re.compile(r"^\d+$"))
