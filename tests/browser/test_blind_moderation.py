"""In real headless Chromium, a blind moderation end to end: the QA lead makes Good audits
blind in the sampling rules; a Good audit is selected; the moderator cannot see the auditor's
grades (nor open the audit), grades blind, then sees both, changes one decision with a
rationale, rates the audit's quality and completes; the auditor reads the feedback."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.moderation.sampling import moderation_of, select_on_submission
from tests import factories
from tests.browser.conftest import LiveServer
from tests.browser.test_moderation import axe_violations, sign_in_as

pytestmark = pytest.mark.browser
OTHER_DOMAINS = (
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
)


def test_a_blind_moderation_end_to_end(page: Page, live_server: LiveServer) -> None:
    lead = live_server.user(Role.QA_LEAD, name="Quinn Lead")
    auditor = live_server.user(Role.AUDITOR, name="Ada Auditor")
    moderator = live_server.user(Role.MODERATOR, name="Mo Moderator")

    # The QA lead: every Good audit moderated, and blind.
    sign_in_as(page, live_server, lead.email)
    page.goto(f"{live_server.url}/moderation/settings")
    page.get_by_label("Good: % of audits moderated").fill("100")
    page.get_by_role(
        "group", name="Moderate blind the selected audits graded overall"
    ).get_by_label("Good", exact=True).check()
    page.get_by_role("button", name="Save the sampling rules").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sampling rules are saved")
    page.get_by_role("button", name="Sign out").click()

    with live_server.app.app_context():
        audit = factories.audit(
            auditor=db.session.merge(auditor),
            overall="good",
            reference="BR-BLIND-1",
            submitted_on=date(2024, 12, 19),
        )
        select_on_submission(None, audit)
        moderation = moderation_of(audit)
        assert moderation is not None
        assert moderation.blind
        moderation_id, audit_id = moderation.id, audit.id
        db.session.commit()

    # The moderator: no grade in the queue, none on the blind step, the audit refused.
    sign_in_as(page, live_server, moderator.email)
    page.get_by_role("link", name="Moderation", exact=True).click()
    row = page.locator(f"#moderation-{moderation_id}")
    expect(row).to_contain_text("Hidden: moderated blind")
    expect(row).not_to_contain_text("Good")
    row.get_by_role("link", name="BR-BLIND-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grade audit BR-BLIND-1 blind")
    expect(page.locator("main")).not_to_contain_text("The auditor's judgement")
    expect(page.locator("main")).not_to_contain_text("Selected at random")
    assert axe_violations(page, live_server) == []
    page.goto(f"{live_server.url}/audits/{audit_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("This audit is being moderated blind")
    page.get_by_role("link", name="Grade the audit blind").click()

    page.locator("#domain-assessment").get_by_label(
        "Requires improvement to be good", exact=True
    ).check()
    for key in OTHER_DOMAINS:
        page.locator(f"#domain-{key}").get_by_label("Good", exact=True).check()
    page.locator("#domain-overall").get_by_label(
        "Requires improvement to be good", exact=True
    ).check()
    page.get_by_role("button", name="Save my blind grades").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your blind grades are saved"
    )

    # Both grades side by side, the decision starting from the blind grade.
    assessment = page.locator("#domain-assessment")
    expect(assessment).to_contain_text("The auditor's judgement")
    expect(assessment).to_contain_text("Your blind grade: Requires improvement to be good")
    expect(assessment.get_by_label("Regrade", exact=True)).to_be_checked()
    # Change assessment back to the auditor's Good: a rationale is needed.
    assessment.get_by_label("Agree", exact=True).check()
    overall = page.locator("#domain-overall")
    overall.get_by_label("Your rationale for the overall grade").fill(
        "Planning drifts: Requires improvement overall."
    )
    quality = page.locator("#audit-quality")
    quality.get_by_role("group", name="Evidence is specific to this child").get_by_label(
        "Yes", exact=True
    ).check()
    quality.get_by_role("group", name="Analysis, not description").get_by_label(
        "Partly", exact=True
    ).check()
    quality.get_by_label("Comment on “Analysis, not description” (optional)").fill(
        "Say what the evidence means for the child."
    )
    page.get_by_role("button", name="Complete moderation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Give your rationale for changing Assessment from your blind grade"
    )
    page.locator("#domain-assessment").get_by_label("Rationale for Assessment").fill(
        "On the auditor's evidence the assessment is Good."
    )
    assert axe_violations(page, live_server) == []
    page.get_by_role("button", name="Complete moderation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Moderation of audit BR-BLIND-1 completed: downgraded"
    )
    page.get_by_role("button", name="Sign out").click()

    # The auditor reads the feedback on the audit.
    sign_in_as(page, live_server, auditor.email)
    page.goto(f"{live_server.url}/audits/{audit_id}")
    feedback = page.locator("#quality-feedback")
    expect(feedback).to_contain_text("Feedback on this audit")
    expect(feedback).to_contain_text("Analysis, not description")
    expect(feedback).to_contain_text("Say what the evidence means for the child.")
    assert axe_violations(page, live_server) == []
