"""The auditor's journey in real headless Chromium: start and complete an audit with the keyboard
alone through the task list and Check your answers (an error first, fixed from the error
summary; an action added by Enter in its due date), and a draft that survives signing out."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qa_audit.audits import services
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from tests import factories
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
GRADED = ["assessment", "plans_and_planning", "child_centred_practice", "permanence"]
LEFT_OUT = "management_oversight"


def axe_violations(page: Page, live_server: LiveServer) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it stands (id and first target)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
    return page.evaluate(
        """async () => {
            const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => `${v.id}: ${v.nodes[0].target.join(' ')}`);
        }"""
    )


def focused(page: Page, condition: str) -> bool:
    """Whether the focused element meets a JavaScript condition on ``el`` (reading only)."""
    return bool(
        page.evaluate(
            f"(() => {{ const el = document.activeElement; return !!(el && ({condition})) }})()"
        )
    )


def tab_to(page: Page, condition: str, limit: int = 400) -> None:
    """Press Tab until the focused element meets ``condition``."""
    for _ in range(limit):
        if focused(page, condition):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached an element where {condition}")


def tab_to_id(page: Page, element_id: str) -> None:
    tab_to(page, f"el.id === {element_id!r}")


def tab_to_button(page: Page, text: str) -> None:
    tab_to(
        page,
        f"(el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent.trim() === {text!r}",
    )


def keyboard_sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(f"{live_server.url}/sign-in")
    tab_to_id(page, "email")
    page.keyboard.type(user.email)
    tab_to_id(page, "password")
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")


def press_button(page: Page, text: str) -> None:
    """Tab to a button or link and press Enter: the next page has loaded on return."""
    tab_to_button(page, text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def on_section(page: Page) -> str:
    """The key of the section page the browser is on."""
    page.wait_for_url(re.compile(r"/sections/[a-z_]+(#[a-z_-]+)?$"))
    return page.url.rsplit("/", 1)[1].split("#", 1)[0]


def keyboard_start(page: Page, case_ref: str, audit_day: object) -> None:
    """From the home page, start an audit with the keyboard."""
    press_button(page, "Start an audit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start an audit")
    tab_to_id(page, "case_ref")
    page.keyboard.type(case_ref)
    tab_to_id(page, "service_area_id")
    page.keyboard.type("Locality")  # a closed select jumps to the option typed
    expect(page.locator("#service_area_id option:checked")).to_have_text(
        "Locality (Children in Need / Child Protection)"
    )
    tab_to_id(page, "team_id")
    page.keyboard.type("Locality (Children in Need / Child Protection): N")
    expect(page.locator("#team_id option:checked")).to_contain_text("North Locality")
    tab_to_id(page, "audit_date-day")
    page.keyboard.type(str(audit_day.day))  # type: ignore[attr-defined]
    page.keyboard.press("Tab")
    page.keyboard.type(str(audit_day.month))  # type: ignore[attr-defined]
    page.keyboard.press("Tab")
    page.keyboard.type(str(audit_day.year))  # type: ignore[attr-defined]
    press_button(page, "Start the audit")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case_ref}")


def keyboard_domain(page: Page, key: str, graded: bool) -> None:
    """A domain's page: a grade (arrow keys move through radios) and the evidence."""
    if graded:
        tab_to_id(page, f"{key}-grade")
        page.keyboard.press("ArrowDown")  # Outstanding → Good
        expect(page.locator(f"#{key}-grade-2")).to_be_checked()
        tab_to_id(page, f"{key}-working_well")
        page.keyboard.type(f"{key}: the child is seen alone every visit")
        tab_to_id(page, f"{key}-needs_improvement")
        page.keyboard.type(f"{key}: record the father's view")
        tab_to_id(page, f"{key}-impact")
        page.keyboard.type(f"{key}: the child says school is better")
    else:
        tab_to_id(page, f"{key}-working_well")
        page.keyboard.type("Supervision is regular and reflective")
    # The GOV.UK character count tells the limit as the person types.
    counted = page.locator(".govuk-character-count__status").first
    expect(counted).to_contain_text("characters remaining")
    press_button(page, "Save and continue")


def keyboard_feedback(page: Page) -> None:
    """A conversation added with the keyboard, then on."""
    tab_to_id(page, "feedback-who")
    page.keyboard.press("Space")  # Child or young person
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # Visit
    tab_to_id(page, "feedback-said")
    page.keyboard.type("I like my new social worker, she listens")
    tab_to_id(page, "feedback-tone")
    page.keyboard.press("Space")  # Positive
    tab_to_id(page, "feedback-consent")
    page.keyboard.press("Space")  # consent to quote
    press_button(page, "Add conversation")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "conversation has been added"
    )
    expect(page.locator("main")).to_contain_text("I like my new social worker, she listens")
    press_button(page, "Continue")


def keyboard_action(page: Page, owner: str) -> None:
    """An action whose due date is ended with Enter: the action is added (it once pressed a
    hidden Save draft, dropping the action and sending focus to the top of the page)."""
    due = local_today() + timedelta(days=14)
    tab_to_id(page, "action-description")
    page.keyboard.type("Hold a network meeting with the father")
    tab_to_id(page, "action-owner_id")
    page.keyboard.type(owner)
    tab_to_id(page, "action-due_on-day")
    page.keyboard.type(str(due.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(due.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(due.year))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("action has been added")
    expect(page.locator("main")).to_contain_text("Hold a network meeting with the father")
    press_button(page, "Continue")


def test_an_auditor_completes_an_audit_with_the_keyboard_alone(
    page: Page, live_server: LiveServer
) -> None:
    user = live_server.user(Role.AUDITOR, name="Kit Keyboard")
    keyboard_sign_in(page, live_server, user)
    audit_day = local_today() - timedelta(days=3)
    keyboard_start(page, "CR246810", audit_day)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "has been started as a draft"
    )
    expect(page.locator("#submit-task-1-status")).to_have_text("Cannot start yet")

    # The task list's first section, then Save and continue through every domain.
    tab_to(page, "el.classList.contains('govuk-task-list__link')")
    page.keyboard.press("Enter")
    while (key := on_section(page)) != "overall":
        keyboard_domain(page, key, graded=key != LEFT_OUT)
    tab_to_id(page, "overall_grade")
    page.keyboard.press("ArrowDown")
    tab_to_id(page, "overall_rationale")
    page.keyboard.type("Plans are driving change and the child feels listened to.")
    press_button(page, "Save and continue")
    assert on_section(page) == "feedback"
    keyboard_feedback(page)
    assert on_section(page) == "themes"
    tab_to_id(page, "learning_themes")
    page.keyboard.press("Space")
    expect(page.locator("#learning_themes")).to_be_checked()
    press_button(page, "Save and continue")
    assert on_section(page) == "actions"
    keyboard_action(page, "Kit")

    # Check your answers: a domain is ungraded, so the error summary, then its link.
    page.wait_for_url(re.compile(r"/check$"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Select a grade for Management Oversight and Supervision")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-check-errors.png"), full_page=True)
    assert axe_violations(page, live_server) == []
    page.keyboard.press("Tab")
    assert focused(page, "el.getAttribute('href').endsWith('#management_oversight-grade')")
    page.keyboard.press("Enter")
    assert on_section(page) == LEFT_OUT
    tab_to_id(page, f"{LEFT_OUT}-grade")
    page.keyboard.press("ArrowDown")  # Good
    expect(page.locator(f"#{LEFT_OUT}-grade-2")).to_be_checked()
    # what was typed before is still there
    expect(page.locator(f"#{LEFT_OUT}-working_well")).to_have_value(
        "Supervision is regular and reflective"
    )
    press_button(page, "Save and return to task list")
    expect(page.locator("#submit-task-1-status")).to_have_text("Not yet started")
    assert axe_violations(page, live_server) == []
    press_button(page, "Check your answers and submit")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting the audit"
    )
    expect(page.locator("main")).to_contain_text("Hold a network meeting with the father")
    page.screenshot(path=str(ARTIFACTS / "audit-check.png"), full_page=True)
    assert axe_violations(page, live_server) == []
    press_button(page, "Submit audit")

    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been submitted")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case CR246810")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Submitted")
    expect(page.locator("#domain-management_oversight")).to_contain_text("Grade: Good")
    expect(page.locator("#feedback")).to_contain_text("Child or young person")
    page.screenshot(path=str(ARTIFACTS / "audit-submitted.png"), full_page=True)
    assert axe_violations(page, live_server) == []
    with live_server.app.app_context():
        audit = db.session.scalar(db.select(Audit).where(Audit.case_ref == "CR246810"))
        assert audit is not None
        assert audit.status == "submitted"
        assert audit.auditor_id == user.id
        assert audit.audit_date == audit_day
        assert {g.domain_key: g.grade for g in audit.grades} == {
            "assessment": "good",
            "plans_and_planning": "good",
            "child_centred_practice": "good",
            "management_oversight": "good",
            "permanence": "good",
        }
        assert audit.overall_grade == "good"
        assert len(audit.learning_themes) == 1
        assert [f.who for f in audit.feedback] == ["child"]
        assert audit.feedback[0].consent_to_quote is True
        assert [a.description for a in audit.actions] == ["Hold a network meeting with the father"]


def test_an_autosaved_draft_survives_signing_out(
    page: Page, live_server: LiveServer, sign_in
) -> None:
    user = sign_in(Role.AUDITOR, name="Sam Autosave")
    with live_server.app.app_context():
        auditor = db.session.get(User, user.id)
        area = factories.service_area("fostering")
        audit = services.start_audit(
            auditor,
            "CR13579",
            area.id,
            area.teams[0].id,
            local_today() - timedelta(days=1),
            "deep_dive",
        )
        db.session.commit()
        audit_id, version = audit.id, audit.version

    page.goto(f"{live_server.url}/audits/{audit_id}/sections/child_centred_practice")
    status = page.locator("#autosave-status")
    expect(status).to_have_text("")
    box = page.locator("#child_centred_practice-impact")
    box.focus()
    page.keyboard.type("She told me she feels safe at home now")
    expect(status).to_contain_text("Draft saved at", timeout=15000)
    expect(status).to_have_attribute("aria-live", "polite")
    expect(page.locator("#version")).to_have_value(str(version + 1))

    # Saving afterwards is not taken for someone else's edit.
    page.locator("#child_centred_practice-grade-3").check()
    page.get_by_role("button", name="Save and return to task list").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your answers have been saved"
    )
    expect(page.locator("#audit-task-3-status")).to_have_text("Completed")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("main")).to_contain_text("My draft and returned audits (1)")
    page.get_by_role("link", name=f"QA-{audit_id:06d}").click()
    page.get_by_role("link", name="Child Centred Relational Practice").click()
    expect(page.locator("#child_centred_practice-impact")).to_have_value(
        "She told me she feels safe at home now"
    )
    expect(page.locator("#child_centred_practice-grade-3")).to_be_checked()


def test_an_idle_form_sends_nothing(page: Page, live_server: LiveServer, sign_in) -> None:
    user = sign_in(Role.AUDITOR)
    with live_server.app.app_context():
        area = factories.service_area()
        audit = services.start_audit(
            db.session.get(User, user.id),
            "CR24680",
            area.id,
            area.teams[0].id,
            local_today(),
            "deep_dive",
        )
        db.session.commit()
        audit_id = audit.id
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(f"{live_server.url}/audits/{audit_id}/sections/assessment")
    # Moving around changes no draft field.
    page.locator("#assessment-working_well").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.wait_for_timeout(3000)
    assert posts == []
    expect(page.locator("#autosave-status")).to_have_text("")
