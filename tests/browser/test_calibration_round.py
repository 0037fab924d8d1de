"""In real headless Chromium: the QA lead creates a calibration round on a submitted audit and
invites three auditors; each signs in and grades it alone; the QA lead closes the round, reads
the spread and each person against the reference (the moderator's grade), writes the notes of
the discussion; an auditor reads their results over rounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from tests import factories
from tests.browser.conftest import LiveServer
from tests.browser.test_moderation import axe_violations, sign_in_as
from tests.factories import moderation as mf

pytestmark = pytest.mark.browser


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_calibration_round_from_invitation_to_results(
    page: Page, live_server: LiveServer
) -> None:
    lead = live_server.user(Role.QA_LEAD, name="Quinn Lead")
    graders = [
        live_server.user(Role.AUDITOR, name=name) for name in ("Ada Grade", "Bo Grade", "Cy Grade")
    ]
    with live_server.app.app_context():
        audit = factories.audit(
            overall="outstanding", reference="BR-CAL-1", grades={"assessment": "outstanding"}
        )
        audit.overall_rationale = "The auditor's overall judgement, never shown"
        mf.completed_moderation(audit, "good", grades={"assessment": "good"})
        db.session.commit()

    sign_in_as(page, live_server, lead.email)
    page.get_by_role("link", name="Calibration", exact=True).click()
    page.get_by_role("button", name="Create a calibration round").click()
    page.get_by_label("Name of the round").fill("Browser calibration")
    page.get_by_label("A submitted audit").check()
    page.get_by_label("Audit reference").fill("BR-CAL-1")
    page.get_by_label("Assessment").check()
    page.get_by_label("Permanence").check()
    deadline = local_today() + timedelta(days=7)
    page.get_by_label("Day").fill(str(deadline.day))
    page.get_by_label("Month").fill(str(deadline.month))
    page.get_by_label("Year").fill(str(deadline.year))
    for grader in graders:
        page.get_by_label(grader.name).check()
    assert axe_violations(page, live_server) == []
    page.get_by_role("button", name="Create the round").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("created")
    expect(page.locator("#invited")).to_contain_text("Ada Grade: not submitted yet")
    round_url = page.url
    _sign_out(page)

    choices = {"Ada Grade": "Good", "Bo Grade": "Good", "Cy Grade": "Outstanding"}
    for grader in graders:
        sign_in_as(page, live_server, grader.email)
        section = page.locator("section", has_text="Calibration rounds to grade")
        section.get_by_role("link", name="Grade Browser calibration").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Grade case")
        expect(page.locator("main")).not_to_contain_text("never shown")
        for key in ("assessment", "permanence", "overall"):
            page.locator(f"#domain-{key}").get_by_label(choices[grader.name], exact=True).check()
        page.locator("#domain-assessment").get_by_label("Why (optional): Assessment").fill(
            f"{grader.name}: the assessment is current"
        )
        if grader is graders[0]:
            assert axe_violations(page, live_server) == []
        page.get_by_role("button", name="Submit your grades").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted")
        expect(page.locator("main")).not_to_contain_text("Results")
        _sign_out(page)

    sign_in_as(page, live_server, lead.email)
    page.goto(round_url)
    page.get_by_role("button", name="Close the round and show the results").click()
    spread = page.locator("#spread-assessment")
    expect(spread).to_contain_text("Good")  # the reference: the moderator's grade
    expect(spread.locator("td").nth(0)).to_have_text("1")  # Outstanding: Cy
    expect(spread.locator("td").nth(1)).to_have_text("2")  # Good: Ada and Bo
    cy_row = page.locator("#people tr", has_text="Cy Grade")
    expect(cy_row).to_contain_text("Outstanding (+1)")
    ada_row = page.locator("#people tr", has_text="Ada Grade")
    expect(ada_row).to_contain_text("Good (same as the reference)")
    assert axe_violations(page, live_server) == []
    page.locator("#spread-permanence").get_by_role("link", name="Change").click()
    expect(page.get_by_label("Domain")).to_have_value("permanence")
    page.get_by_label("Good", exact=True).check()
    page.get_by_label("Why this is the reference grade").fill("Permanence was not yet secure.")
    assert axe_violations(page, live_server) == []
    page.get_by_role("button", name="Save the reference grade").click()
    expect(page.locator("#spread-permanence")).to_contain_text("Set by the QA lead")
    page.get_by_role("link", name="Write the notes of the discussion").click()
    assert axe_violations(page, live_server) == []
    page.get_by_label("Notes of the discussion").fill("Outstanding needs impact evidenced.")
    page.get_by_role("button", name="Save the notes").click()
    expect(page.locator("#discussion-notes")).to_have_text("Outstanding needs impact evidenced.")
    _sign_out(page)

    sign_in_as(page, live_server, graders[2].email)
    page.get_by_role("link", name="My calibration", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My calibration results")
    row = page.locator("#over-rounds tbody tr", has_text="Browser calibration")
    # Cy, Outstanding throughout, against the moderator's Good (Assessment), the QA lead's
    # Good (Permanence) and the moderator's Good overall: none the same, all +1, mean +1.0.
    expect(row).to_contain_text("0 (0.0%)")
    expect(row).to_contain_text("3 (100.0%)")
    expect(page.locator("#all-rounds")).to_contain_text("+1.0")
    assert axe_violations(page, live_server) == []
