"""Reflow (WCAG 2.2, 1.4.10): no page of the app scrolls sideways at 320 CSS pixels, nor at
375 (a common phone), as any role sees it.

The pages are the accessibility crawl's: every GET rule of the URL map, its arguments filled
from records made in a database of this module's own, opened by each role that may see it;
and the error pages and a form re-rendered with errors. Wide tables scroll inside their own
region (``role="region"``, a name and ``tabindex="0"``, so that a keyboard can scroll them),
which does not widen the page; charts shrink to the width there is.

A page that is too wide is reported with the elements that stick out of their container,
widest first, so the fault can be found without opening the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from tests import factories
from tests.browser.axe import axe_violations
from tests.browser.conftest import LiveServer
from tests.browser.crawl_records import Records, _max_ids, build_records
from tests.browser.crawl_sessions import SIGNED_OUT, Session, _open_session, _probe, _sign_in
from tests.browser.crawl_urls import candidate_urls
from tests.browser.test_accessibility import RULES, SKIPPED, SKIPPED_PREFIXES
from tests.browser.test_accessibility import (
    live_server as live_server,  # the crawl's server, on a database of this module's own
)
from tests.databases import is_postgres
from tests.factories import committee_reports as factories_committee
from tests.factories import reports as make

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(is_postgres(), reason="layout does not depend on the database"),
]

WIDTHS = (320, 375)
ROLES = [*(role.value for role in Role), SIGNED_OUT]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The page's width, and the elements wider than their container that make it scroll. An
# element inside a box that scrolls or clips (a table's region) does not count, unless it is
# positioned against something outside that box, which the box then does not clip (as the
# visually hidden text of a link in a table, absolutely positioned, once did).
MEASURE = """() => {
    const root = document.documentElement;
    const limit = root.clientWidth;
    const escapes = (style) => ['absolute', 'fixed'].includes(style.position);
    const clipped = (el) => {
        let skipping = escapes(getComputedStyle(el));
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const style = getComputedStyle(p);
            if (skipping && style.position === 'static') continue;
            if (style.overflowX !== 'visible') return true;
            skipping = escapes(style);
        }
        return false;
    };
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + [...el.classList].slice(0, 3).map(c => '.' + c).join('');
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= limit || clipped(el)) continue;
        // Only the outermost of a nest of elements sticking out: the one to fix.
        const parent = el.parentElement;
        if (parent !== document.body && parent.getBoundingClientRect().right > limit
            && !clipped(parent)) continue;
        const text = (el.innerText || el.getAttribute('alt') || '').trim().slice(0, 60);
        culprits.push({element: name(el), right: Math.round(box.right),
                       width: Math.round(box.width), text: text});
    }
    culprits.sort((a, b) => b.right - a.right);
    return {scrollWidth: root.scrollWidth, clientWidth: limit, culprits: culprits.slice(0, 5)};
}"""


def too_wide(page: Page, width: int) -> str | None:
    """What sticks out of the page at ``width`` pixels, or None when nothing scrolls sideways."""
    page.set_viewport_size({"width": width, "height": 800})
    measured: dict[str, Any] = page.evaluate(MEASURE)
    if measured["scrollWidth"] <= width and measured["scrollWidth"] <= measured["clientWidth"]:
        return None
    where = page.url.split("//", 1)[-1].split("/", 1)[-1]
    lines = [f"/{where} is {measured['scrollWidth']} pixels wide at {width}:"]
    lines += [
        f"    {c['element']} (right edge {c['right']}, {c['width']} wide) {c['text']!r}"
        for c in measured["culprits"]
    ]
    return "\n".join(lines)


def reflow_problems(page: Page) -> list[str]:
    """The page as it stands, at each width."""
    return [p for p in (too_wide(page, width) for width in WIDTHS) if p]


# --- records and sessions --------------------------------------------------------------------


def _more_records(auditor_id: int) -> None:
    """Audits over February to April 2024, some moderated, with feedback and actions, so that
    the report draws every chart and fills every table; a draft and a final committee report."""
    auditor = db.session.get(User, auditor_id)
    factories_committee.draft()
    factories_committee.final_with_image()
    grades = ["good", "requires_improvement", "inadequate", "outstanding", "requires_improvement"]
    for i in range(12):
        audit = factories.audit(
            auditor=auditor,
            overall=grades[i % len(grades)],
            grades={"management_oversight": "requires_improvement"} if i % 3 else None,
            submitted_on=date(2024, 2 + i % 3, 5 + i),
        )
        if i in (0, 3, 5):
            make.moderation(audit, "requires_improvement" if i == 0 else audit.overall)
        if i % 4 == 0:
            make.feedback(audit, "child", "positive", "I know who to call now.", consent=True)
            make.theme(audit, "Drift and delay")
            make.action(audit, due_on=date(2024, 5, 1))


@pytest.fixture(scope="module")
def records(live_server: LiveServer) -> Records:
    """The accessibility crawl's records, and a report period with data."""
    with live_server.app.app_context():
        before = _max_ids()
        users, named = build_records()
        db.session.flush()
        _more_records(users[Role.AUDITOR.value].id)
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
    opened: dict[str, Session] = {}
    try:
        for role in ROLES:
            opened[role] = _open_session(browser, role)
            if role != SIGNED_OUT:
                _sign_in(opened[role], live_server.url, records.users[role])
        yield opened
    finally:
        for session in opened.values():
            session.context.close()
        _write_summary()


MEASURED: list[tuple[str, str, str]] = []  # (endpoint, role, path) measured at each width


def _write_summary() -> None:
    if not MEASURED:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    lines = [f"{len(MEASURED)} page views by role measured at {' and '.join(map(str, WIDTHS))}px"]
    lines += [f"{endpoint:45} {role:16} {path}" for endpoint, role, path in MEASURED]
    (ARTIFACTS / "reflow.txt").write_text("\n".join(lines) + "\n")


def _open(session: Session, url: str, expect_status: int | None = None) -> Page:
    page = session.page
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    response = page.goto(url)
    assert response is not None
    if expect_status is not None:
        assert response.status == expect_status, (url, response.status)
    return page


# --- the checks ------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", list(RULES))
def test_page_reflows_at_320_pixels(
    endpoint: str, live_server: LiveServer, sessions: dict[str, Session], records: Records
) -> None:
    rule = RULES[endpoint]
    prefix = next((p for p in SKIPPED_PREFIXES if rule.rule.startswith(p)), None)
    if endpoint in SKIPPED or prefix:
        pytest.skip(SKIPPED.get(endpoint) or SKIPPED_PREFIXES[prefix or ""])
    paths = candidate_urls(live_server.app, rule, records.mine)
    assert paths, f"No records to fill {sorted(rule.arguments)} of {rule.rule}"
    problems: list[str] = []
    measured: list[str] = []
    for role, session in sessions.items():
        for path in islice(paths, 12):
            visit = _probe(session, live_server.url, path)
            if visit.status != 200 or visit.final_path != path.split("?")[0]:
                continue  # not this role's page
            if not visit.content_type.startswith("text/html"):
                break
            measured.append(role)
            MEASURED.append((endpoint, role, path))
            page = _open(session, f"{live_server.url}{path}")
            problems += [f"as {role}: {p}" for p in reflow_problems(page)]
            break
    if not measured:
        pytest.skip(f"{rule.rule} is not an HTML page any role opens itself (a redirect or a file)")
    assert not problems, "Pages that scroll sideways:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        (SIGNED_OUT, "/no-such-page", 404),
        (Role.AUDITOR.value, "/no-such-page", 404),
        (Role.AUDITOR.value, "/admin/users", 403),
    ],
)
def test_error_page_reflows(
    role: str, path: str, status: int, live_server: LiveServer, sessions: dict[str, Session]
) -> None:
    page = _open(sessions[role], f"{live_server.url}{path}", expect_status=status)
    assert reflow_problems(page) == []


def test_sign_in_page_with_errors_reflows(live_server: LiveServer, browser: Browser) -> None:
    session = _open_session(browser, SIGNED_OUT)
    try:
        page = _open(session, f"{live_server.url}/sign-in")
        page.get_by_label("Password", exact=True).fill("wrong password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert reflow_problems(page) == []
    finally:
        session.context.close()


def test_a_table_scrolls_in_its_own_region(
    live_server: LiveServer, sessions: dict[str, Session]
) -> None:
    """The report's tables are wider than a phone: each scrolls inside a named region that a
    keyboard can reach, and the page itself does not scroll. axe, at this width, finds every
    region that scrolls focusable (scrollable-region-focusable) and no other fault."""
    page = _open(sessions[Role.QA_LEAD.value], f"{live_server.url}/reports?from=2024-02&to=2024-04")
    regions = page.locator("main .app-table-region")
    assert regions.count() >= 1
    overflowing = 0
    for region in regions.all():
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("tabindex") == "0"
        assert (region.get_attribute("aria-label") or "").strip()
        if region.evaluate("el => el.scrollWidth > el.clientWidth"):
            overflowing += 1
    assert overflowing >= 1, "no table is wider than 320 pixels: the check proves nothing"
    assert page.locator("main table.govuk-table").count() == regions.locator("table").count()
    assert axe_violations(page, live_server.url) == []
    assert reflow_problems(page) == []


def test_the_measure_finds_a_page_that_scrolls_sideways(
    live_server: LiveServer, sessions: dict[str, Session]
) -> None:
    """The harness can fail: an element 600 pixels wide put into a page that reflows is
    reported, with that element named."""
    page = _open(sessions[SIGNED_OUT], f"{live_server.url}/accessibility")
    assert reflow_problems(page) == []
    page.evaluate(
        """() => {
            const wide = document.createElement('div');
            wide.id = 'too-wide';
            wide.style.width = '600px';
            wide.textContent = 'wide';
            document.querySelector('main').appendChild(wide);
        }"""
    )
    problems = reflow_problems(page)
    assert len(problems) == len(WIDTHS)
    assert "div#too-wide" in problems[0]
    assert "at 320" in problems[0]
    assert "at 375" in problems[1]
