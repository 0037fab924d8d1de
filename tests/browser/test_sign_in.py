"""Signing in and seeing the home page, in real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qa_audit.auth.roles import Role
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_auditor_signs_in_and_sees_home_page(page: Page, live_server: LiveServer, sign_in) -> None:
    sign_in(Role.AUDITOR, Role.QA_LEAD, name="Jo Browser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    expect(page.locator("main")).to_contain_text("Signed in as Jo Browser (Auditor, QA lead)")
    expect(page.get_by_role("heading", name="As auditor")).to_be_visible()
    expect(page.get_by_role("heading", name="As QA lead")).to_be_visible()
    # GOV.UK Frontend's module ran (CSP allowed it) and our stylesheet loaded.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" not in font
    assert "arial" in font.lower()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator("main")).to_contain_text("You have signed out")
    # Signed out means signed out: the home page now asks for sign-in again.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_wrong_password_shows_error_summary(page: Page, live_server: LiveServer) -> None:
    user = live_server.user(Role.AUDITOR)
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("not the password at all")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(summary).to_contain_text("Enter a correct e-mail address and password")
    expect(page).to_have_title("Error: Sign in – QA case audits – Example Borough Council")
