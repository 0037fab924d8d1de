"""The access table: every URL rule of the app, for every role and signed out, against an
explicit expected outcome. A new route without an entry here fails the test.

Records come from tests/factories_access.world(): owned by another auditor, in another
service area than the service manager's. Requests are GETs, and POSTs with an empty form
(CSRF is off in the test app; tests/functional/test_csrf.py checks it separately)."""

from __future__ import annotations

import pytest
from flask import Flask

from qa_audit.access_log.declarations import case_level_views
from qa_audit.auth.roles import Role
from tests import access_parts
from tests.access_parts.outcomes import BAD, FINAL, GO, IN, NF, NO, OK, UN
from tests.factories import access_log as factories_access
from tests.factories.access_log import AUDIT_CASE, DIP_CASE, INADEQUATE_CASE
from tests.functional.access_table import (
    checked_rules,
    methods_of,
    outcome,
    requests_of,
    sign_in,
    url_of,
)

# The columns of EXPECTED, in order.
COLUMNS: tuple[Role | None, ...] = (
    None,
    Role.AUDITOR,
    Role.MODERATOR,
    Role.SERVICE_MANAGER,
    Role.QA_LEAD,
    Role.VIEWER,
    Role.ADMIN,
)

# endpoint -> method -> outcome for (signed out, auditor, moderator, service manager, QA lead,
# viewer, admin).
EXPECTED: dict[str, dict[str, tuple[int | str, ...]]] = {
    "access_log.search": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
    "actions.centre": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
    "actions.change": {
        "GET": (IN, NO, NO, NO, OK, NO, NO),
        "POST": (IN, NO, NO, NO, BAD, NO, NO),
    },
    "actions.complete": {
        "GET": (IN, NF, NF, NF, OK, NF, NF),
        "POST": (IN, NF, NF, NF, BAD, NF, NF),
    },
    "actions.export": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
    "actions.mine": {"GET": (IN, OK, OK, OK, OK, OK, OK)},
    # Closing-the-loop prompts: the QA lead's; the world's audit has no prompt (its actions
    # are not all done), so scheduling or dismissing it is not found.
    "closing_the_loop.dismiss": {
        "GET": (IN, NO, NO, NO, NF, NO, NO),
        "POST": (IN, NO, NO, NO, NF, NO, NO),
    },
    "closing_the_loop.index": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
    "closing_the_loop.schedule": {
        "GET": (IN, NO, NO, NO, NF, NO, NO),
        "POST": (IN, NO, NO, NO, NF, NO, NO),
    },
    # Committee reports: for QA leads, and viewers (finals alone). The report of the world is
    # final (409 to any change), with an image not shared with viewers (404 for them).
    "committee_reports.index": {"GET": (IN, NO, NO, NO, OK, OK, NO)},
    "committee_reports.new": {
        "GET": (IN, NO, NO, NO, OK, NO, NO),
        "POST": (IN, NO, NO, NO, BAD, NO, NO),
    },
    "committee_reports.show": {
        "GET": (IN, NO, NO, NO, OK, OK, NO),
        "POST": (IN, NO, NO, NO, FINAL, NO, NO),
    },
    "committee_reports.autosave": {"POST": (IN, NO, NO, NO, FINAL, NO, NO)},
    "committee_reports.quotes": {
        "GET": (IN, NO, NO, NO, FINAL, NO, NO),
        "POST": (IN, NO, NO, NO, FINAL, NO, NO),
    },
    "committee_reports.remove_quote": {"POST": (IN, NO, NO, NO, FINAL, NO, NO)},
    "committee_reports.add_image": {"POST": (IN, NO, NO, NO, FINAL, NO, NO)},
    "committee_reports.remove_image": {"POST": (IN, NO, NO, NO, FINAL, NO, NO)},
    "committee_reports.image": {"GET": (IN, NO, NO, NO, OK, NF, NO)},
    "committee_reports.dip_samples": {"POST": (IN, NO, NO, NO, FINAL, NO, NO)},
    "committee_reports.finalise": {"POST": (IN, NO, NO, NO, FINAL, NO, NO)},
    "committee_reports.sharing": {"POST": (IN, NO, NO, NO, BAD, NO, NO)},
    # Word and PDF only: the world's format (csv) is no committee document.
    "committee_reports.download": {"GET": (IN, NO, NO, NO, NF, NF, NO)},
    "admin.change_log": {"GET": (IN, NO, NO, NO, OK, NO, OK)},
    "admin.edit_user": {"GET": (IN, NO, NO, NO, NO, NO, OK), "POST": (IN, NO, NO, NO, NO, NO, BAD)},
    "admin.new_user": {"GET": (IN, NO, NO, NO, NO, NO, OK), "POST": (IN, NO, NO, NO, NO, NO, BAD)},
    "admin.reset_password": {"POST": (IN, NO, NO, NO, NO, NO, GO)},
    "admin.service_area": {
        "GET": (IN, NO, NO, NO, NO, NO, OK),
        "POST": (IN, NO, NO, NO, NO, NO, OK),
    },
    "admin.service_areas": {
        "GET": (IN, NO, NO, NO, NO, NO, OK),
        "POST": (IN, NO, NO, NO, NO, NO, BAD),
    },
    "admin.set_active": {"POST": (IN, NO, NO, NO, NO, NO, GO)},
    "admin.team": {"GET": (IN, NO, NO, NO, NO, NO, OK), "POST": (IN, NO, NO, NO, NO, NO, BAD)},
    "admin.users": {"GET": (IN, NO, NO, NO, NO, NO, OK)},
    # The API: a bearer token of the role's own (none when signed out: 401).
    "api.audit": {"GET": (UN, NO, OK, NO, OK, NO, NO)},
    "api.audits": {"GET": (UN, OK, OK, OK, OK, NO, NO)},
    "api.dip_samples": {"GET": (UN, OK, OK, OK, OK, OK, NO)},
    "api.openapi": {"GET": (OK, OK, OK, OK, OK, OK, OK)},
    "api.period_report": {"GET": (UN, NO, OK, OK, OK, OK, NO)},
    "api_tokens.index": {
        "GET": (IN, OK, OK, OK, OK, OK, OK),
        "POST": (IN, BAD, BAD, BAD, BAD, BAD, BAD),
    },
    # Another person's token: only an administrator may revoke it.
    "api_tokens.revoke": {"POST": (IN, NF, NF, NF, NF, NF, GO)},
    "audit_import.upload": {
        "GET": (IN, NO, NO, NO, OK, NO, NO),
        "POST": (IN, NO, NO, NO, BAD, NO, NO),
    },
    # Importing a file after its dry run: the QA lead's own checked file alone.
    "audit_import.confirm": {"POST": (IN, NO, NO, NO, BAD, NO, NO)},
    "audit_lists.all_audits": {"GET": (IN, NO, OK, OK, OK, NO, NO)},
    "audit_lists.my_audits": {"GET": (IN, OK, NO, NO, NO, NO, NO)},
    "audit_tools.index": {"GET": (IN, OK, OK, OK, OK, NO, OK)},
    "audit_tools.show": {"GET": (IN, OK, OK, OK, OK, NO, OK)},
    # Case-level pages: the audit is another auditor's, in another area than the service
    # manager's; moderators and the QA lead see every audit.
    "audits.autosave": {"POST": (IN, NO, NO, NO, NO, NO, NO)},
    "audits.edit": {"GET": (IN, NF, NO, NF, NO, NF, NF)},
    "audit_tasks.check": {
        "GET": (IN, NF, NO, NF, NO, NF, NF),
        "POST": (IN, NF, NO, NF, NO, NF, NF),
    },
    "audit_tasks.section": {
        "GET": (IN, NF, NO, NF, NO, NF, NF),
        "POST": (IN, NF, NO, NF, NO, NF, NF),
    },
    "audits.new": {"GET": (IN, OK, NO, NO, NO, NO, NO), "POST": (IN, BAD, NO, NO, NO, NO, NO)},
    "audits.return_to_auditor": {"POST": (IN, NO, NO, NO, BAD, NO, NO)},
    "audits.show": {"GET": (IN, NF, OK, NF, OK, NF, NF)},
    "auth.change_password": {
        "GET": (IN, OK, OK, OK, OK, OK, OK),
        "POST": (IN, BAD, BAD, BAD, BAD, BAD, BAD),
    },
    "auth.sign_in": {"GET": (OK, GO, GO, GO, GO, GO, GO), "POST": (BAD, GO, GO, GO, GO, GO, GO)},
    # Checked last for each role (they end the session).
    "auth.sign_out": {"POST": (IN, IN, IN, IN, IN, IN, IN)},
    "auth.sign_out_everywhere": {"POST": (IN, IN, IN, IN, IN, IN, IN)},
    "auth.sign_in_sessions": {"GET": (IN, OK, OK, OK, OK, OK, OK)},
    "dip_samples.add_action": {"POST": (IN, NF, NO, NO, BAD, NO, NO)},
    "dip_samples.add_question": {"POST": (IN, NF, NO, NO, BAD, NO, NO)},
    # Completing needs the version the page showed (and the world's sample has a case missing).
    "dip_samples.complete": {"POST": (IN, NF, NO, NO, BAD, NO, NO)},
    "dip_samples.edit": {
        "GET": (IN, NF, NO, NO, OK, NO, NO),
        "POST": (IN, NF, NO, NO, BAD, NO, NO),
    },
    "dip_samples.edit_case": {
        "GET": (IN, NF, NO, NO, OK, NO, NO),
        "POST": (IN, NF, NO, NO, BAD, NO, NO),
    },
    # An auditor opens the dip-sample pages but sees only the samples they lead or of their
    # own service area (the signed-in auditor has none): any other is not found.
    "dip_samples.index": {"GET": (IN, OK, NO, NO, OK, NO, NO)},
    "dip_samples.new": {
        "GET": (IN, OK, NO, NO, OK, NO, NO),
        "POST": (IN, BAD, NO, NO, BAD, NO, NO),
    },
    "dip_samples.new_case": {
        "GET": (IN, NF, NO, NO, OK, NO, NO),
        "POST": (IN, NF, NO, NO, BAD, NO, NO),
    },
    "dip_samples.remove_case": {"POST": (IN, NF, NO, NO, GO, NO, NO)},
    "dip_samples.remove_question": {"POST": (IN, NF, NO, NO, GO, NO, NO)},
    "dip_samples.reopen": {"POST": (IN, NF, NO, NO, GO, NO, NO)},
    "dip_samples.show": {"GET": (IN, NF, NO, NO, OK, NO, NO)},
    # Case-level text behind the report: its roles but viewers (a service manager: own area).
    "evidence.download": {"GET": (IN, NO, OK, OK, OK, NO, NO)},
    "evidence.index": {"GET": (IN, NO, OK, OK, OK, NO, NO)},
    "healthz": {"GET": (OK, OK, OK, OK, OK, OK, OK)},
    "home.accessibility": {"GET": (OK, OK, OK, OK, OK, OK, OK)},
    "home.index": {"GET": (IN, OK, OK, OK, OK, OK, OK)},
    "home.privacy": {"GET": (OK, OK, OK, OK, OK, OK, OK)},
    # The inspection evidence pack lists every audit's case reference: the QA lead's alone
    # (asked here as .csv, a format it does not have; its files are binary, tested in
    # test_inspection_pack.py).
    "inspection.download": {"GET": (IN, NO, NO, NO, NF, NO, NO)},
    "inspection.index": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
    "learning_themes.edit": {
        "GET": (IN, NO, NO, NO, OK, NO, NO),
        "POST": (IN, NO, NO, NO, BAD, NO, NO),
    },
    "learning_themes.index": {
        "GET": (IN, NO, NO, NO, OK, NO, NO),
        "POST": (IN, NO, NO, NO, BAD, NO, NO),
    },
    "learning_themes.set_active": {"POST": (IN, NO, NO, NO, GO, NO, NO)},
    "moderation.add": {"GET": (IN, NO, NO, NO, OK, NO, NO), "POST": (IN, NO, NO, NO, BAD, NO, NO)},
    # Moved to /agreement: the old address redirects there.
    "moderation.agreement": {"GET": (IN, NO, GO, NO, GO, NO, NO)},
    "moderation.assign": {"POST": (IN, NO, NO, NO, GO, NO, NO)},
    "moderation.decisions": {"GET": (IN, NO, OK, NO, OK, NO, NO)},
    "moderation.for_audit": {"GET": (IN, NO, GO, NO, GO, NO, NO)},
    "moderation.moderate": {
        "GET": (IN, NO, OK, NO, OK, NO, NO),
        "POST": (IN, NO, BAD, NO, BAD, NO, NO),
    },
    "moderation.outcome": {"GET": (IN, NF, OK, NF, OK, NF, NF)},
    "moderation.queue": {"GET": (IN, NO, OK, NO, OK, NO, NO)},
    "moderation.reflective_conversation": {
        "GET": (IN, NO, OK, NF, OK, NO, NO),
        "POST": (IN, NO, BAD, NF, BAD, NO, NO),
    },
    "moderation.reflective_conversations": {"GET": (IN, NO, OK, OK, OK, NO, NO)},
    "moderation.settings": {
        "GET": (IN, NO, NO, NO, OK, NO, NO),
        "POST": (IN, NO, NO, NO, BAD, NO, NO),
    },
    "moderation.take": {"POST": (IN, NO, GO, NO, NO, NO, NO)},
    "moderation.withdraw": {
        "GET": (IN, NO, NO, NO, OK, NO, NO),
        "POST": (IN, NO, NO, NO, BAD, NO, NO),
    },
    "practitioner_comments.add": {"POST": (IN, NF, NO, NF, BAD, NF, NF)},
    "practitioner_comments.page": {"GET": (IN, NF, OK, NF, OK, NF, NF)},
    "readyz": {"GET": (OK, OK, OK, OK, OK, OK, OK)},
    # The service manager's own area has no audits, so no domain chart (404).
    "reports.domain_chart": {"GET": (IN, NO, OK, NF, OK, OK, NO)},
    "reports.domains_trend_chart": {"GET": (IN, NO, OK, OK, OK, OK, NO)},
    "reports.download": {"GET": (IN, NO, OK, OK, OK, OK, NO)},
    "reports.index": {"GET": (IN, NO, OK, OK, OK, OK, NO)},
    "reports.overall_trend_chart": {"GET": (IN, NO, OK, OK, OK, OK, NO)},
    "rota.allocation": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
    "rota.allot_bulk": {"GET": (IN, NO, NO, NO, OK, NO, NO), "POST": (IN, NO, NO, NO, BAD, NO, NO)},
    "rota.allot_one": {"GET": (IN, NO, NO, NO, OK, NO, NO), "POST": (IN, NO, NO, NO, BAD, NO, NO)},
    # A bulk allotment (the world's allocation is one of its own); undoing it needs the number
    # of allocations the page showed, so an empty form is refused.
    "rota.batch": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
    "rota.undo_batch": {"POST": (IN, NO, NO, NO, BAD, NO, NO)},
    "rota.exempt": {"POST": (IN, NO, NO, NO, BAD, NO, NO)},
    "rota.extend": {"POST": (IN, NO, NO, NO, BAD, NO, NO)},
    "rota.index": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
    "rota.reassign": {"POST": (IN, NO, NO, NO, BAD, NO, NO)},
    # The world's concern is raised: the QA lead's acknowledgement (one button) goes through;
    # a note or a resolution sent empty is refused.
    "safeguarding.acknowledge": {"POST": (IN, NF, NO, NF, GO, NF, NF)},
    "safeguarding.add_note": {"POST": (IN, NF, NO, NF, BAD, NF, NF)},
    "safeguarding.page": {"GET": (IN, NF, OK, NF, OK, NF, NF)},
    "safeguarding.raise_concern": {"POST": (IN, NF, BAD, NF, BAD, NF, NF)},
    "safeguarding.respond": {"POST": (IN, NF, NO, NF, BAD, NF, NF)},
}
# The newer parts' rows, one module a part (tests/access_parts).
EXPECTED.update(access_parts.expected())

CHECKED: list[tuple[str, str, str]] = []


def test_every_route_has_an_entry_in_the_access_table(app: Flask) -> None:
    problems = []
    for rule in checked_rules(app):
        entry = EXPECTED.get(rule.endpoint)
        if entry is None:
            problems.append(
                f"new route {rule.endpoint} ({rule.rule}) has no entry in the access table"
            )
            continue
        for method in methods_of(rule):
            if method not in entry:
                problems.append(f"{method} {rule.rule} ({rule.endpoint}) has no entry")
    endpoints = {r.endpoint for r in checked_rules(app)}
    problems += [
        f"{e} is in the access table but not in the app" for e in EXPECTED if e not in endpoints
    ]
    assert not problems, "\n".join(problems)
    assert all(len(row) == len(COLUMNS) for entry in EXPECTED.values() for row in entry.values())


def test_case_level_declarations_name_their_record(app: Flask) -> None:
    """Each case-level view (@case_level) is in the access table, and the record it names is
    a variable of its address (else the access log would record no record at all)."""
    declared = case_level_views(app)
    assert "audits.show" in declared
    problems = []
    for rule in checked_rules(app):
        spec = declared.get(rule.endpoint)
        if spec is None:
            continue
        if rule.endpoint not in EXPECTED:
            problems.append(f"case-level {rule.endpoint} has no entry in the access table")
        if spec.arg is not None and spec.arg not in rule.arguments:
            problems.append(f"{rule.endpoint} ({rule.rule}) has no variable {spec.arg}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", COLUMNS, ids=lambda r: r.value if r else "signed_out")
def test_access_table(app: Flask, db, role: Role | None) -> None:  # type: ignore[no-untyped-def]
    world = factories_access.world()
    client = app.test_client()
    bearer = sign_in(client, role)
    column = COLUMNS.index(role)
    wrong, bodies = [], []
    for rule, method in requests_of(app):
        url = url_of(app, rule, world)
        response = client.open(
            url, method=method, data={}, headers=bearer if url.startswith("/api/") else {}
        )
        expected = EXPECTED[rule.endpoint][method][column]
        got = outcome(response)
        if got != expected:
            wrong.append(f"{method} {url} ({rule.endpoint}): expected {expected}, got {got}")
        # Files (images, spreadsheets) are searched as text too, for a case reference.
        bodies.append((f"{method} {url}", response.get_data().decode("utf-8", "replace")))
        CHECKED.append((rule.endpoint, method, role.value if role else "signed out"))
    assert not wrong, "\n".join(wrong)

    # Zero leaks: nobody sees a case reference they should not, on any page they reach.
    if role in (None, Role.VIEWER, Role.ADMIN, Role.SERVICE_MANAGER):
        hidden: tuple[str, ...] = world.case_refs  # no case detail at all (or another area's)
    elif role is Role.AUDITOR:
        # another auditor's audits and allocations, and a dip sample of another area
        hidden = world.case_refs
    else:
        hidden = ()
    leaks = [(where, ref) for where, body in bodies for ref in hidden if ref in body]
    assert not leaks, leaks
    if role in (Role.QA_LEAD, Role.MODERATOR):
        everything = "".join(body for _, body in bodies)
        assert AUDIT_CASE in everything
        assert INADEQUATE_CASE in everything
    if role is Role.QA_LEAD:
        assert DIP_CASE in "".join(body for _, body in bodies)


def test_the_table_covered_every_route_and_role(app: Flask) -> None:
    """Runs after the table (pytest keeps file order): every entry was requested."""
    if len({role for _, _, role in CHECKED}) < len(COLUMNS):
        pytest.skip("the access table tests did not all run in this session")
    requested = {(endpoint, method) for endpoint, method, _ in CHECKED}
    wanted = {(e, m) for e, methods in EXPECTED.items() for m in methods}
    assert requested == wanted
    routes = len({endpoint for endpoint, _, _ in CHECKED})
    print(f"\naccess table: {routes} routes x {len(COLUMNS)} roles; {len(CHECKED)} requests")
