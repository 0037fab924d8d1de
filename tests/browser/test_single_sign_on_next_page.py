"""In real headless Chromium, through a real OpenID Provider (node-oidc-provider on loopback):
someone not signed in asks for a page, is sent to the sign-in page, signs in with their
council account, and lands on the page they asked for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qa_audit.auth.roles import Role
from tests.browser.conftest import LiveServer
from tests.browser.test_single_sign_on import point_at_provider, provider_page
from tests.oidc_provider import running_provider

pytestmark = pytest.mark.browser
__all__ = ["provider_page"]  # fixture


def test_council_account_sign_in_lands_on_the_page_asked_for(
    provider_page: Page,
    live_server: LiveServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = provider_page
    with running_provider(tmp_path, live_server.url) as provider:
        point_at_provider(live_server, provider, monkeypatch)
        live_server.user(Role.AUDITOR, name="Nell Next", email="nell.next@example.org")
        provider.person("nell-next", email="nell.next@example.org", email_verified=True)

        page.goto(f"{live_server.url}/account/sessions")
        expect(page).to_have_url(re.compile(r"/sign-in\?next="))
        page.get_by_role("button", name="Sign in with your council account").click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(provider.issuer)}/interaction/"))
        page.locator("input[name=login]").fill("nell-next")
        page.locator("input[name=password]").fill("any password")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()

        expect(page).to_have_url(f"{live_server.url}/account/sessions")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your sign-in sessions")
        expect(page.locator("header")).to_contain_text("Signed in as Nell Next")
