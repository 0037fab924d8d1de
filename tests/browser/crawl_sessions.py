"""The accessibility crawl's browsers: a signed-in browser per role (or signed out), a page
probed and checked with axe, and the summary of what was checked
(test-artifacts/accessibility.txt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from tests import factories
from tests.browser.axe import axe_violations, describe

SIGNED_OUT = "signed_out"
ROLES = [*(role.value for role in Role), SIGNED_OUT]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class Session:
    role: str
    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)

    def check_console(self) -> None:
        errors, self.errors[:] = list(self.errors), []
        assert not errors, f"JavaScript errors or CSP violations as {self.role}: {errors}"


def _open_session(browser: Browser, role: str) -> Session:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    session = Session(role, context, page)
    page.on("pageerror", lambda exc: session.errors.append(str(exc)))

    def on_console(msg) -> None:  # type: ignore[no-untyped-def]
        # Pages answered 400/403/404 on purpose make Chromium log the status: not a fault.
        if msg.type == "error" and msg.location.get("url") != page.url:
            session.errors.append(f"{msg.text} ({msg.location.get('url')})")

    page.on("console", on_console)
    return session


def _sign_in(session: Session, base_url: str, user: User) -> None:
    page = session.page
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


CHECKED: list[tuple[str, str, str]] = []  # (endpoint, role, path) run through axe


def _write_summary() -> None:
    """test-artifacts/accessibility.txt: which page was checked as which role."""
    if not CHECKED:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    endpoints = {e for e, _, _ in CHECKED}
    lines = [f"{len(CHECKED)} page views by role checked with axe-core over {len(endpoints)} pages"]
    lines += [f"{endpoint:45} {role:16} {path}" for endpoint, role, path in CHECKED]
    (ARTIFACTS / "accessibility.txt").write_text("\n".join(lines) + "\n")


@dataclass
class Visit:
    status: int
    content_type: str
    final_path: str


def _probe(session: Session, base_url: str, path: str) -> Visit:
    response = session.context.request.get(f"{base_url}{path}")
    final = response.url[len(base_url) :] if response.url.startswith(base_url) else response.url
    visit = Visit(response.status, response.headers.get("content-type", ""), final.split("?")[0])
    response.dispose()
    return visit


def check(
    session: Session, base_url: str, path: str, expect_status: int | None = None
) -> str | None:
    """Open ``path`` as this session and run axe; a description of the violations, or None."""
    response = session.page.goto(f"{base_url}{path}")
    assert response is not None
    if expect_status is not None:
        assert response.status == expect_status, (path, response.status)
    violations = axe_violations(session.page, base_url)
    session.check_console()
    return describe(f"{path} as {session.role}", violations) if violations else None
