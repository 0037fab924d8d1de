"""In real headless Chromium, by keyboard: a service manager acknowledges a safeguarding
concern, adds an interim note, chooses "Other" (its detail box is revealed) and resolves it;
each state of the card passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from qa_audit.audits.safeguarding import services as safeguarding
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from tests import factories
from tests.browser.conftest import LiveServer
from tests.browser.test_moderation import axe_violations

pytestmark = pytest.mark.browser


def test_a_concern_is_acknowledged_noted_and_resolved_by_keyboard(
    page: Page, live_server: LiveServer, sign_in
) -> None:  # type: ignore[no-untyped-def]
    auditor = live_server.user(Role.AUDITOR)
    with live_server.app.app_context():
        audit = factories.audit(auditor=db.session.merge(auditor), reference="BR-SG-1")
        concern = safeguarding.raise_concern(
            db.session.merge(auditor), audit, "Bruising not followed up"
        )
        db.session.commit()
        audit_id, concern_id = audit.id, concern.id
    sign_in(Role.SERVICE_MANAGER, area_key="locality")
    page.goto(f"{live_server.url}/audits/{audit_id}/safeguarding")
    card = page.locator(f"#concern-{concern_id}")
    expect(card).to_contain_text("Raised today")
    assert axe_violations(page, live_server) == []

    page.get_by_role("button", name="Acknowledge the concern").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("acknowledged")
    card = page.locator(f"#concern-{concern_id}")
    expect(card).to_contain_text("Acknowledged")

    note = page.get_by_label("Add an interim note")
    note.fill("Home visit booked for Thursday")
    page.get_by_role("button", name="Add the note").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#concern-{concern_id}")).to_contain_text("Home visit booked for Thursday")

    detail = page.get_by_label("Describe the outcome")
    expect(detail).to_be_hidden()
    page.get_by_label("Other").focus()
    page.keyboard.press("Space")
    expect(detail).to_be_visible()
    assert axe_violations(page, live_server) == []
    detail.fill("Police informed by the team manager")
    page.get_by_label("What was done").fill("Visited the same day")
    page.get_by_role("button", name="Resolve the concern").focus()
    page.keyboard.press("Enter")
    card = page.locator(f"#concern-{concern_id}")
    expect(card).to_contain_text("Resolved")
    expect(card).to_contain_text("Other: Police informed by the team manager")
    assert axe_violations(page, live_server) == []
