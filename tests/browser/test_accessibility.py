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
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Table, func, select
from werkzeug.routing import Rule
from werkzeug.serving import make_server

from qa_audit import create_app
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db
from tests import factories
from tests.browser.conftest import LiveServer
from tests.conftest import make_migrated_app
from tests.databases import fresh_database, is_postgres

pytestmark = [
    pytest.mark.browser,
    # The markup does not depend on the database; crawling every page again on PostgreSQL
    # would only double CI time (the crawl is the suite's slowest part).
    pytest.mark.skipif(is_postgres(), reason="accessibility crawl runs once, on the SQLite suite"),
]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SIGNED_OUT = "signed_out"
ROLES = [*(role.value for role in Role), SIGNED_OUT]
CANDIDATES_PER_TABLE = 4
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

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
# Values for arguments that no table column names.
ARGUMENT_VALUES = {
    "fmt": ["csv", "json"],
    "section": ["assessment", "overall", "feedback", "actions"],  # the audit's section pages
    "allotment": ["crawledallotment"],  # a bulk allotment's batch id (build_records)
}
# Id arguments named for the part a person plays rather than for their table.
ID_TABLES = {"person_id": "user_account"}
# Query strings that pages of a blueprint need (the period of a report).
QUERIES = {"reports.": "from=2024-02&to=2024-04", "evidence.": "from=2024-02&to=2024-04"}
# GOV.UK Frontend puts aria-expanded on radios and checkboxes that reveal conditional
# content. ARIA does not list it for those roles, so axe reports aria-allowed-attr; the
# Design System keeps it on purpose because screen readers announce it (a documented known
# issue: alphagov/govuk-frontend#979, #1280). Only that attribute on those inputs is let pass.
GOVUK_CONDITIONAL_REVEAL = re.compile(r'class="govuk-(radios|checkboxes)__input"')
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


# --- axe -----------------------------------------------------------------------------------


def axe_violations(page: Page, base_url: str) -> list[dict[str, Any]]:
    """axe's violations of the WCAG 2.0–2.2 A and AA rules on the page as it stands."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=f"{base_url}/static/vendor/axe.min.js")
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                          summary: n.failureSummary}))}));
        }""",
        TAGS,
    )
    return [v for v in (_without_known_upstream(v) for v in violations) if v["nodes"]]


def _without_known_upstream(violation: dict[str, Any]) -> dict[str, Any]:
    if violation["id"] != "aria-allowed-attr":
        return violation
    return {**violation, "nodes": [n for n in violation["nodes"] if not _conditional_reveal(n)]}


def _conditional_reveal(node: dict[str, Any]) -> bool:
    """A GOV.UK radio or checkbox whose only disallowed attribute is aria-expanded."""
    problems = [line.strip() for line in node["summary"].splitlines()[1:] if line.strip()]
    return (
        bool(GOVUK_CONDITIONAL_REVEAL.search(node["html"]))
        and bool(problems)
        and all(
            re.fullmatch(r'ARIA attribute is not allowed: aria-expanded="(true|false)"', p)
            for p in problems
        )
    )


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}:"]
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"      {node['target']}: {node['html'][:160]}")
        if len(v["nodes"]) > 5:
            lines.append(f"      … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


# --- a signed-in browser per role ------------------------------------------------------------


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


# --- records for the pages that show one ---------------------------------------------------


@dataclass
class Records:
    users: dict[str, User]
    mine: dict[str, list[Any]]  # table name -> ids made here (tried first)
    named: dict[str, int]  # ids of particular records, for the pages checked by hand


def _max_ids() -> dict[str, int]:
    out = {}
    for table in db.metadata.tables.values():
        if "id" in table.columns and table.columns["id"].primary_key:
            out[table.name] = int(db.session.scalar(select(func.max(table.c.id))) or 0)
    return out


def build_records() -> tuple[dict[str, User], dict[str, int]]:
    """A user per role and a record of each kind a page shows, owned so that each role may
    see its own: the auditor's draft and submitted audits in the service manager's area, a
    moderation assigned to the moderator, an action, a safeguarding concern, a comment, a
    rota allocation, a dip sample with a case, a reflective conversation, a blind moderation
    waiting for the moderator's blind grades, the quality ratings of a moderated audit, and a
    calibration round on it that the auditor has graded."""
    from qa_audit.audits.models import (
        FeedbackConversation,
        PractitionerComment,
        SafeguardingConcern,
    )
    from qa_audit.core.clock import local_today
    from qa_audit.dip_samples.models import DipSample, DipSampleCase, DipSampleQuestion
    from qa_audit.moderation.models import AuditQualityRating
    from qa_audit.moderation.reflective import open_reflective_conversation
    from tests.factories import actions as factories_actions
    from tests.factories import calibration as factories_calibration
    from tests.factories import committee_reports as factories_committee
    from tests.factories import moderation as factories_moderation
    from tests.factories import rota as factories_rota

    users = {
        Role.AUDITOR.value: factories.user(Role.AUDITOR, area_key="locality"),
        Role.MODERATOR.value: factories.user(Role.MODERATOR),
        Role.SERVICE_MANAGER.value: factories.user(Role.SERVICE_MANAGER, area_key="locality"),
        Role.QA_LEAD.value: factories.user(Role.QA_LEAD),
        Role.VIEWER.value: factories.user(Role.VIEWER),
        Role.ADMIN.value: factories.user(Role.ADMIN),
    }
    auditor, moderator = users[Role.AUDITOR.value], users[Role.MODERATOR.value]
    draft = factories.audit(auditor=auditor, status="draft", overall=None)
    submitted = factories.audit(auditor=auditor, overall="good")
    queued = factories.audit(auditor=auditor, overall="inadequate")
    maintained = factories.audit(auditor=auditor, overall="inadequate")
    factories_moderation.selected(queued, priority="high", moderator_user=moderator)
    # Moderated today, so that the QA lead's audit-quality summary (the past year) lists it.
    moderated = factories_moderation.completed(
        submitted, moderator_user=moderator, overall="good", moderated_on=local_today()
    )
    db.session.add(
        AuditQualityRating(
            moderation_id=moderated.id,
            item_key="child_voice",
            item_text="The child's voice is heard in the audit",
            rating="partly",
            comment="Say what the child said in their words",
        )
    )
    # A blind moderation the moderator has not yet graded: the blind step's page.
    blind_audit = factories.audit(auditor=auditor, overall="good")
    factories_moderation.selected(blind_audit, moderator_user=moderator).blind = True
    kept = factories_moderation.completed(
        maintained, moderator_user=moderator, overall="inadequate"
    )
    open_reflective_conversation(None, kept)
    submitted.feedback.append(
        FeedbackConversation(who="child", how="visit", said="I feel listened to", tone="positive")
    )
    db.session.add(
        SafeguardingConcern(
            audit_id=submitted.id,
            raised_by_id=auditor.id,
            description="Concern raised",
            service_area_id=submitted.service_area_id,
        )
    )
    db.session.add(
        PractitionerComment(
            audit_id=submitted.id,
            author_role="practitioner",
            comment="Agreed",
            recorded_by_id=auditor.id,
        )
    )
    factories_actions.action(owner=auditor, audit_id=submitted.id, due_on=date(2030, 1, 31))
    # Every action of this audit done: a closing-the-loop prompt to schedule or dismiss.
    factories_actions.action(owner=auditor, audit_id=maintained.id, done=True)
    factories_rota.allocation(auditor=auditor, month="2030-01")
    # A bulk allotment, for its own page.
    factories_rota.allocation(auditor=auditor, month="2030-02").batch_id = "crawledallotment"
    sample = DipSample(
        title="S47 decision making",
        period_from="2024-02",
        period_to="2024-04",
        sample_unit="families",
        sample_size=5,
        created_by_id=auditor.id,
    )
    sample.lead_auditors.append(auditor)
    sample.questions.append(DipSampleQuestion(text="Was the strategy meeting timely?", position=0))
    sample.cases.append(DipSampleCase(case_ref="CR777001"))
    db.session.add(sample)
    # Committee reports: a draft, and a final with an image, for their pages.
    factories_committee.draft(users[Role.QA_LEAD.value])
    factories_committee.final_with_image(users[Role.QA_LEAD.value])
    # A calibration round on the moderated audit, graded by the auditor, for its pages.
    calibration_round = factories_calibration.calibration_round(
        audit=submitted,
        invitees=[auditor, moderator, users[Role.SERVICE_MANAGER.value]],
        qa_lead=users[Role.QA_LEAD.value],
    )
    factories_calibration.graded(calibration_round, auditor, "good")
    return users, {"draft_audit": draft.id}


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


# --- filling a rule's arguments from the database ------------------------------------------


def _tables_for(argument: str) -> list[Table]:
    if argument in ID_TABLES:
        return [db.metadata.tables[ID_TABLES[argument]]]
    if not argument.endswith("_id"):
        return []
    stem = argument[: -len("_id")]
    tables = [t for t in db.metadata.tables.values() if "id" in t.primary_key.columns]
    return (
        [t for t in tables if t.name == stem]
        + sorted((t for t in tables if t.name.endswith(f"_{stem}")), key=lambda t: t.name)
        + sorted((t for t in tables if t.name.startswith(f"{stem}_")), key=lambda t: t.name)
    )


def _ordered_rows(table: Table, columns: list[Any], mine: dict[str, list[Any]]) -> list[Any]:
    """Rows made for these tests first, then the newest others."""
    own = mine.get(table.name, [])
    first = (
        list(db.session.execute(select(*columns).where(table.c.id.in_(own)).order_by(table.c.id)))
        if own
        else []
    )
    rest = list(
        db.session.execute(
            select(*columns)
            .where(table.c.id.not_in(own))
            .order_by(table.c.id.desc())
            .limit(CANDIDATES_PER_TABLE)
        )
    )
    return [*first, *rest]


def _id_combinations(arguments: list[str], mine: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Values for id arguments from one row, taking the other ids from what the row refers to."""
    out: list[dict[str, Any]] = []
    for leaf in arguments:
        others = [a for a in arguments if a != leaf]
        for table in _tables_for(leaf):
            links: dict[str, Any] = {}
            for other in others:
                wanted = {t.name for t in _tables_for(other)}
                column = next(
                    (
                        c
                        for c in table.columns
                        if c.name == other
                        or any(fk.column.table.name in wanted for fk in c.foreign_keys)
                    ),
                    None,
                )
                if column is None:
                    break
                links[other] = column
            if len(links) != len(others):
                continue
            columns = [table.c.id, *links.values()]
            for row in _ordered_rows(table, columns, mine):
                out.append({leaf: row[0], **{name: row[i + 1] for i, name in enumerate(links)}})
        if out:
            return out
    return out


def _values_for(argument: str) -> list[Any]:
    if argument in ARGUMENT_VALUES:
        return list(ARGUMENT_VALUES[argument])
    values: list[Any] = []
    for table in sorted(db.metadata.tables.values(), key=lambda t: t.name):
        if argument in table.columns:
            column = table.columns[argument]
            values += [
                v
                for v in db.session.scalars(select(column).distinct().limit(CANDIDATES_PER_TABLE))
                if v is not None
            ]
    return values


def candidate_urls(app: Flask, rule: Rule, mine: dict[str, list[Any]]) -> list[str]:
    """Paths for ``rule`` with its arguments filled from the database (may be empty)."""
    arguments = sorted(rule.arguments)
    with app.app_context(), app.test_request_context():
        from flask import url_for

        if not arguments:
            urls = [url_for(rule.endpoint)]
        else:
            ids = [a for a in arguments if a.endswith("_id")]
            plain = [a for a in arguments if a not in ids]
            id_sets = _id_combinations(ids, mine) if ids else [{}]
            plain_sets: list[dict[str, Any]] = [{}]
            for name in plain:
                plain_sets = [{**s, name: v} for s in plain_sets for v in _values_for(name)]
            combos = [{**a, **b} for a in id_sets for b in plain_sets]
            urls = [url_for(rule.endpoint, **c) for c in combos]
            db.session.rollback()
    query = next((q for prefix, q in QUERIES.items() if rule.endpoint.startswith(prefix)), None)
    if query:
        urls = [f"{u}?{query}" for u in urls]
    return list(dict.fromkeys(urls))


# --- the checks ----------------------------------------------------------------------------


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
