"""Browser tests: the app served on loopback from its own migrated database, driven by
Debian's Chromium through Playwright (playwright cannot download a browser here)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from tests import factories
from tests.conftest import make_migrated_app
from tests.databases import fresh_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass
class LiveServer:
    app: Flask
    url: str

    def user(self, *roles: Role | str, **kwargs: object) -> User:
        """A committed user in the live server's database."""
        with self.app.app_context():
            user = factories.user(*roles, **kwargs)  # type: ignore[arg-type]
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with fresh_database(tmp_path_factory.mktemp("live"), "live") as url:
        app = make_migrated_app(url, WTF_CSRF_ENABLED=True)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
        finally:
            server.shutdown()
            thread.join(timeout=5)
            with app.app_context():
                db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(msg) -> None:  # type: ignore[no-untyped-def]
        # A form re-rendered with errors is answered 400 on purpose; Chromium logs that.
        if msg.type != "error" or msg.location.get("url") == page.url:
            return
        errors.append(f"{msg.text} ({msg.location.get('url')})")

    page.on("console", on_console)
    yield page
    context.close()
    assert not errors, f"JavaScript errors or CSP violations in the page: {errors}"


@pytest.fixture
def sign_in(live_server: LiveServer, page: Page) -> Callable[..., User]:
    """Create a user with these roles and sign in through the real sign-in page."""

    def go(*roles: Role | str, **kwargs: object) -> User:
        user = live_server.user(*roles, **kwargs)
        page.goto(f"{live_server.url}/sign-in")
        page.get_by_label("E-mail address").fill(user.email)
        page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        return user

    return go
