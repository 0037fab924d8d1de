"""In real headless Chromium: a moderator regrades an audit with a rationale, then the auditor
signs in and sees the outcome and the moderator's rationale."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.moderation.sampling import moderation_of, select_on_submission
from tests import factories
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def axe_violations(page: Page, live_server: LiveServer) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it stands.

    GOV.UK Frontend's aria-expanded on radios that reveal conditional content is let pass:
    a documented known issue kept on purpose (alphagov/govuk-frontend#979)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
    return page.evaluate(
        """async () => {
            const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            const upstream = (v, n) => v.id === 'aria-allowed-attr'
                && /class="govuk-radios__input"/.test(n.html)
                && n.failureSummary.includes('aria-expanded');
            return result.violations.flatMap(v => v.nodes
                .filter(n => !upstream(v, n))
                .map(n => `${v.id}: ${n.target.join(' ')}`));
        }"""
    )


def sign_in_as(page: Page, live_server: LiveServer, email: str) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")


def test_a_moderator_regrades_and_the_auditor_sees_the_outcome(
    page: Page, live_server: LiveServer
) -> None:
    auditor = live_server.user(Role.AUDITOR, name="Ada Auditor")
    moderator = live_server.user(Role.MODERATOR, name="Mo Moderator")
    with live_server.app.app_context():
        audit = factories.audit(
            auditor=db.session.merge(auditor),
            overall="inadequate",
            reference="BR-MOD-1",
            submitted_on=date(2024, 12, 19),
        )
        select_on_submission(None, audit)  # every Inadequate is selected, high priority
        moderation_id = moderation_of(audit).id
        audit_id = audit.id
        db.session.commit()

    sign_in_as(page, live_server, moderator.email)
    page.get_by_role("link", name="Moderation", exact=True).click()
    row = page.locator(f"#moderation-{moderation_id}")
    expect(row).to_contain_text("High")
    expect(row).to_contain_text("30 December 2024")
    row.get_by_role("button", name="Take audit BR-MOD-1").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have taken")
    page.get_by_role("link", name="BR-MOD-1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit BR-MOD-1")

    # Regrade Assessment: the new grade and rationale are revealed by choosing Regrade.
    assessment = page.locator("#domain-assessment")
    expect(assessment.get_by_label("Why you regrade Assessment")).to_be_hidden()
    assessment.get_by_label("Regrade", exact=True).check()
    assessment.get_by_label("Requires improvement to be good", exact=True).check()
    assessment.get_by_label("Why you regrade Assessment").fill(
        "The assessment was updated after the new partner moved in; risk was analysed."
    )
    for key in (
        "plans_and_planning",
        "child_centred_practice",
        "management_oversight",
        "permanence",
    ):
        page.locator(f"#domain-{key}").get_by_label("Agree", exact=True).check()
    overall = page.locator("#domain-overall")
    overall.get_by_label("Regrade", exact=True).check()
    overall.get_by_label("Requires improvement to be good", exact=True).check()
    overall.get_by_label("Your rationale for the overall grade").fill(
        "Safe practice with drift in planning: Requires improvement, not Inadequate."
    )
    assert axe_violations(page, live_server) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "moderation-form.png"), full_page=True)
    page.get_by_role("button", name="Complete moderation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Moderation of audit BR-MOD-1 completed: upgraded"
    )
    page.get_by_role("button", name="Sign out").click()

    sign_in_as(page, live_server, auditor.email)
    section = page.locator("section", has_text="Moderation outcomes of your audits")
    expect(section).to_contain_text("BR-MOD-1")
    expect(section).to_contain_text("Upgraded")
    section.get_by_role("link", name="Read the moderator's rationale for audit BR-MOD-1").click()
    expect(page).to_have_url(f"{live_server.url}/moderation/outcome/{audit_id}")
    outcome = page.locator("#moderation-outcome")
    expect(outcome).to_contain_text("Upgraded")
    expect(outcome).to_contain_text("Mo Moderator")
    expect(page.locator("#moderation-rationale")).to_have_text(
        "Safe practice with drift in planning: Requires improvement, not Inadequate."
    )
    expect(outcome).to_contain_text("risk was analysed")
    assert axe_violations(page, live_server) == []
    page.screenshot(path=str(ARTIFACTS / "moderation-outcome.png"), full_page=True)
