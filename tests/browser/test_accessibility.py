"""axe-core over every page of the app, as each role sees it: zero WCAG 2.2 A/AA violations.

The pages are discovered from the URL map: every GET rule without arguments, and every rule
whose arguments can be filled from records made in the live server's database (an argument
``<name>_id`` takes ids of the table called ``<name>``, or ending or starting with it; any other
argument takes the values of a column of that name; rules with several ids take them from one
row and the rows it refers to). A rule nobody can fill fails until records are made for it or
it is added to SKIPPED with a reason. Each role signs in through the real sign-in page; a page
a role may not see (403, or a redirect) is not checked for that role. Error pages, the sign-in
page with errors and forms re-rendered with errors are checked too.

axe is loaded from the app's own static files (``make assets`` copies it there) with
``add_script_tag(url=...)``: the Content-Security-Policy allows scripts from 'self' only, and
blocks the inline script that ``add_script_tag(path=...)`` would insert."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.routing import Rule
from werkzeug.serving import make_server

from qa_audit import create_app
from qa_audit.auth.roles import Role
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db
from tests.browser.axe import _without_known_upstream, axe_violations, describe
from tests.browser.conftest import LiveServer
from tests.browser.crawl_records import Records, _max_ids, build_records
from tests.browser.crawl_sessions import (
    CHECKED,
    ROLES,
    SIGNED_OUT,
    Session,
    _open_session,
    _probe,
    _sign_in,
    _write_summary,
    check,
)
from tests.browser.crawl_urls import candidate_urls
from tests.conftest import make_migrated_app
from tests.databases import fresh_database, is_postgres

pytestmark = [
    pytest.mark.browser,
    # The markup does not depend on the database; crawling every page again on PostgreSQL
    # would only double CI time (the crawl is the suite's slowest part).
    pytest.mark.skipif(is_postgres(), reason="accessibility crawl runs once, on the SQLite suite"),
]

# Rules that are not pages or cannot be filled, with the reason (by endpoint or path prefix).
SKIPPED = {
    "static": "static files (CSS, JavaScript, images), not pages",
    "govuk_assets": "GOV.UK Frontend's fonts and images, not pages",
    "committee_reports.download": "the committee report as a Word or PDF file, not a page",
    "committee_reports.image": "an image attached to a committee report, not a page",
    "inspection.download": "the inspection pack as a workbook, Word file or ZIP, not a page",
    # Single sign-on is off in the crawl's app (404); tests/browser/test_single_sign_on.py runs
    # axe over its pages with a real identity provider.
    "single_sign_on.start": "sends the browser to the identity provider, not a page",
    "single_sign_on.callback": "the identity provider's way back, not a page",
}

SKIPPED_PREFIXES = {
    "/api/": "the JSON API for Power BI and Excel (bearer tokens), not pages",
    "/scim/": "SCIM provisioning for the identity provider (bearer token, JSON), not pages",
}

# Pages whose templates belong to other parts of the app and still fail a rule: (rule, why).
# strict: the test fails once the page is fixed, so that the entry is removed.
KNOWN_VIOLATIONS: dict[str, str] = {}


def _app_rules() -> dict[str, Rule]:
    app = create_app(TestConfig())
    return {
        rule.endpoint: rule
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
        if "GET" in (rule.methods or ())
    }


RULES = _app_rules()


def _params() -> list[Any]:
    params = []
    for endpoint in RULES:
        marks: list[Any] = []
        if endpoint in KNOWN_VIOLATIONS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_VIOLATIONS[endpoint]))
        params.append(pytest.param(endpoint, marks=marks, id=endpoint))
    return params


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own, like conftest's: the records made here must not change
    what other browser tests see, nor theirs which records the pages here are filled from."""
    with fresh_database(tmp_path_factory.mktemp("a11y"), "a11y") as url:
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


@pytest.fixture(scope="module")
def records(live_server: LiveServer) -> Records:
    with live_server.app.app_context():
        before = _max_ids()
        users, named = build_records()
        db.session.commit()
        after = _max_ids()
        for user in users.values():
            db.session.refresh(user)
            db.session.expunge(user)
    mine = {name: list(range(before[name] + 1, after[name] + 1)) for name in after}
    return Records(users, {k: v for k, v in mine.items() if v}, named)


@pytest.fixture(scope="module")
def sessions(
    browser: Browser, live_server: LiveServer, records: Records
) -> Iterator[dict[str, Session]]:
    opened = {}
    try:
        for role in ROLES:
            session = _open_session(browser, role)
            opened[role] = session
            if role != SIGNED_OUT:
                _sign_in(session, live_server.url, records.users[role])
            session.check_console()
        yield opened
    finally:
        for session in opened.values():
            session.context.close()
        _write_summary()


@pytest.mark.parametrize("endpoint", _params())
def test_page_has_no_accessibility_violations(
    endpoint: str, live_server: LiveServer, sessions: dict[str, Session], records: Records
) -> None:
    rule = RULES[endpoint]
    prefix = next((p for p in SKIPPED_PREFIXES if rule.rule.startswith(p)), None)
    if endpoint in SKIPPED or prefix:
        pytest.skip(SKIPPED.get(endpoint) or SKIPPED_PREFIXES[prefix or ""])
    paths = candidate_urls(live_server.app, rule, records.mine)
    assert paths, (
        f"No records to fill {sorted(rule.arguments)} of {rule.rule}: make one in build_records() "
        "or add the endpoint to SKIPPED with the reason"
    )
    problems: list[str] = []
    checked: list[str] = []
    other_content: set[str] = set()
    redirects: set[str] = set()
    for role, session in sessions.items():
        for path in islice(paths, 12):
            visit = _probe(session, live_server.url, path)
            if visit.status == 200 and visit.final_path not in (path.split("?")[0], "/sign-in"):
                redirects.add(visit.final_path)
            if visit.status != 200 or visit.final_path != path.split("?")[0]:
                continue  # not this role's page (403, 404 for another's record, sign-in)
            if not visit.content_type.startswith("text/html"):
                other_content.add(visit.content_type.split(";")[0])
                break
            checked.append(f"{role} {path}")
            CHECKED.append((endpoint, role, path))
            problem = check(session, live_server.url, path)
            if problem:
                problems.append(problem)
            break
    if not checked and other_content:
        pytest.skip(f"{rule.rule} is not an HTML page ({', '.join(sorted(other_content))})")
    if not checked and redirects:
        pytest.skip(
            f"{rule.rule} redirects (to {', '.join(sorted(redirects))}, checked on its own)"
        )
    assert checked, f"No role could open {rule.rule} (tried {paths[:12]})"
    assert not problems, "axe found WCAG 2.2 A/AA violations:\n" + "\n".join(problems)


def test_every_role_was_checked_on_some_page(sessions: dict[str, Session]) -> None:
    """The sessions really are signed in as their roles (else every page would be skipped)."""
    for role, session in sessions.items():
        if role == SIGNED_OUT:
            continue
        session.page.goto(session.page.url)
        expect(session.page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.parametrize("role", [Role.AUDITOR.value, SIGNED_OUT])
def test_not_found_page_is_accessible(
    role: str, live_server: LiveServer, sessions: dict[str, Session]
) -> None:
    problem = check(sessions[role], live_server.url, "/no-such-page", expect_status=404)
    expect(sessions[role].page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert problem is None, problem


def test_forbidden_page_is_accessible(
    live_server: LiveServer, sessions: dict[str, Session]
) -> None:
    session = sessions[Role.AUDITOR.value]
    problem = check(session, live_server.url, "/admin/users", expect_status=403)
    expect(session.page.get_by_role("heading", level=1)).to_have_text(
        "You do not have permission to see this page"
    )
    assert problem is None, problem


def _submit_and_check(
    session: Session, base_url: str, path: str, fill: Callable[[Page], None]
) -> str | None:
    page = session.page
    page.goto(f"{base_url}{path}")
    fill(page)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator(
            "main form[method=post] button[type=submit], main form[method=post] input[type=submit]"
        ).last.click()
    assert posted.value.status == 400, f"{path}: the form was not re-rendered with errors"
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    violations = axe_violations(page, base_url)
    session.check_console()
    return describe(f"{path} with errors as {session.role}", violations) if violations else None


def test_sign_in_page_with_errors_is_accessible(live_server: LiveServer, browser: Browser) -> None:
    session = _open_session(browser, SIGNED_OUT)
    try:
        problem = _submit_and_check(
            session,
            live_server.url,
            "/sign-in",
            lambda page: page.get_by_label("Password", exact=True).fill("wrong password"),
        )
        expect(session.page.locator(".govuk-error-summary")).to_contain_text("Enter")
    finally:
        session.context.close()
    assert problem is None, problem


@pytest.mark.parametrize(
    ("role", "path"),
    [(Role.ADMIN.value, "/admin/users/new"), (Role.AUDITOR.value, "/account/password")],
)
def test_form_re_rendered_with_errors_is_accessible(
    role: str, path: str, live_server: LiveServer, sessions: dict[str, Session]
) -> None:
    problem = _submit_and_check(sessions[role], live_server.url, path, lambda page: None)
    assert problem is None, problem


def test_moderation_not_selected_page_is_accessible(
    live_server: LiveServer, sessions: dict[str, Session], records: Records
) -> None:
    """The moderation of an audit that was not selected: a page of its own, answered 404."""
    path = f"/moderation/audit/{records.named['draft_audit']}"
    problem = check(sessions[Role.MODERATOR.value], live_server.url, path, expect_status=404)
    assert problem is None, problem


def test_axe_reports_a_violation_put_into_a_page(
    live_server: LiveServer, sessions: dict[str, Session]
) -> None:
    """The harness can fail: an image without alternative text and a field without a label,
    added to a clean page, are reported with the element that breaks the rule."""
    session = sessions[SIGNED_OUT]
    session.page.goto(f"{live_server.url}/accessibility")
    assert axe_violations(session.page, live_server.url) == []
    session.page.evaluate(
        """() => {
            const main = document.querySelector('main');
            const img = document.createElement('img');
            img.src = '/static/vendor/govuk/assets/images/favicon.ico';
            img.id = 'no-alt';
            main.appendChild(img);
            const input = document.createElement('input');
            input.id = 'no-label';
            main.appendChild(input);
        }"""
    )
    found = {v["id"]: v for v in axe_violations(session.page, live_server.url)}
    assert {"image-alt", "label"} <= set(found)
    assert found["image-alt"]["nodes"][0]["target"] == "#no-alt"
    assert "#no-alt" in describe("injected", list(found.values()))


def test_only_govuk_conditional_reveal_aria_expanded_is_let_pass() -> None:
    radio = '<input class="govuk-radios__input" id="x" type="radio" aria-expanded="false">'
    fix = "Fix all of the following:\n  ARIA attribute is not allowed: "
    allowed = {"html": radio, "summary": fix + 'aria-expanded="false"'}
    other_attribute = {**allowed, "summary": fix + 'aria-checked="true"'}
    other_element = {**allowed, "html": '<input class="app-input" aria-expanded="false">'}
    violation = {"id": "aria-allowed-attr", "nodes": [allowed, other_attribute, other_element]}
    assert _without_known_upstream(violation)["nodes"] == [other_attribute, other_element]
    assert _without_known_upstream({**violation, "id": "label"}) == {**violation, "id": "label"}
