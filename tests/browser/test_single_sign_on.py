"""Signing in with a council account in real headless Chromium, through a real OpenID
Provider (node-oidc-provider on loopback): the person's group is mapped to a role, their
account is made, they land on that role's home page, and signing out signs them out at the
provider too. Runs on the suite's database, SQLite or PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.single_sign_on.models import GroupRole
from tests.browser.axe import axe_violations, describe
from tests.browser.conftest import CHROMIUM_ARGS, LiveServer
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, free_port, running_provider

pytestmark = pytest.mark.browser
assert CHROMIUM_ARGS  # the shared launch settings (the browser fixture) apply


def assert_accessible(page: Page, live_server: LiveServer) -> None:
    violations = axe_violations(page, live_server.url)
    assert not violations, describe(page.url, violations)


def point_at_provider(
    live_server: LiveServer, provider: Any, monkeypatch: pytest.MonkeyPatch, **settings: Any
) -> None:
    """Configure the live server's single sign-on for ``provider`` (and any other settings)."""
    for name, value in {
        "BASE_URL": live_server.url,
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        **settings,
    }.items():
        monkeypatch.setitem(live_server.app.config, name, value)


@pytest.fixture
def provider_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page whose JavaScript errors on qa-audit's own pages fail the test (the provider's
    development pages ask for a web font this machine cannot fetch)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def test_council_account_signs_in_to_the_mapped_roles_home_page(
    provider_page: Page,
    live_server: LiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page, app = provider_page, live_server.app
    with running_provider(tmp_path, live_server.url) as provider:
        point_at_provider(
            live_server,
            provider,
            monkeypatch,
            OIDC_CREATE_ACCOUNTS=True,
            OIDC_SIGN_OUT_AT_PROVIDER=True,
        )
        with app.app_context():
            db.session.add(GroupRole(group_id="grp-browser-qa-leads", role=Role.QA_LEAD.value))
            db.session.commit()
        provider.person(
            "nia-council",
            email="nia.council@example.org",
            email_verified=True,
            name="Nia Council",
            groups=["grp-browser-qa-leads"],
        )

        page.goto(f"{live_server.url}/sign-in")
        assert_accessible(page, live_server)
        page.get_by_role("button", name="Sign in with your council account").click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(provider.issuer)}/interaction/"))
        page.locator("input[name=login]").fill("nia-council")
        page.locator("input[name=password]").fill("any password")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()

        expect(page).to_have_url(f"{live_server.url}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
        expect(page.locator("main")).to_contain_text("Signed in as Nia Council (QA lead)")

        page.get_by_role("button", name="Sign out").click()
        expect(page.locator("main")).to_contain_text("You have signed out")
        assert_accessible(page, live_server)
        page.get_by_role("button", name="Sign out of your council account").click()
        page.get_by_role("button", name="Yes, sign me out").click()
        # Back at the post-logout redirect URI (with the state the provider echoes).
        expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/sign-in\?state="))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        page.goto(f"{live_server.url}/")
        expect(page).to_have_url(re.compile(r"/sign-in"))


def test_refusal_and_provider_down_pages_are_accessible(
    provider_page: Page,
    live_server: LiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page, app = provider_page, live_server.app
    with running_provider(tmp_path, live_server.url) as provider:
        point_at_provider(live_server, provider, monkeypatch)
        provider.person("no-account", email="nobody@example.org", email_verified=True)
        page.goto(f"{live_server.url}/sign-in/oidc")
        page.locator("input[name=login]").fill("no-account")
        page.locator("input[name=password]").fill("any password")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "You cannot sign in with your council account"
        )
        assert_accessible(page, live_server)
    # A provider that was never reached: nothing listens at its address.
    monkeypatch.setitem(app.config, "OIDC_ISSUER", f"http://127.0.0.1:{free_port()}")
    page.goto(f"{live_server.url}/sign-in/oidc")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sign in with your council account is not available at the moment"
    )
    assert_accessible(page, live_server)
    page.get_by_role("link", name="sign in with your password").click()
    expect(page.get_by_label("E-mail address")).to_be_visible()
