"""How the access table (test_access_matrix.py) asks: the URL rules it checks and their
methods, in the order it requests them, a rule's URL for the access world's records, a client
signed in with a role, and a response's outcome in the table's names."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.access_parts.outcomes import GO, IN
from tests.factories import access_log as factories_access

# Files, not pages.
NOT_CHECKED = {"static", "govuk_assets"}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def checked_rules(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in NOT_CHECKED),
        key=lambda r: (r.endpoint == "auth.sign_out", r.rule),
    )


def methods_of(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def outcome(response: TestResponse) -> int | str:
    if response.status_code == 302:
        return IN if response.headers["Location"].startswith("/sign-in") else GO
    return response.status_code


def url_of(app: Flask, rule: Rule, world: factories_access.World) -> str:
    args = {name: world.args[name] for name in rule.arguments}
    if rule.endpoint == "reports.domain_chart":
        args["key"] = "assessment"  # a domain of the audit tool, not the tool's key
    period = factories_access.report_period() if "report" in rule.endpoint else {}
    with app.test_request_context():
        return url_for(rule.endpoint, **args, **period)


def sign_in(client: FlaskClient, role: Role | None) -> dict[str, str]:
    """Sign ``client`` in as a new person with ``role``; their API bearer header."""
    if role is None:
        return {}
    person = factories_access.actor(role)
    _db.session.commit()
    response = client.post("/sign-in", data={"email": person.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return {"Authorization": f"Bearer {factories_access.bearer_token(person)}"}


ENDS_SESSION = ("auth.sign_out_everywhere", "auth.sign_out")


def requests_of(app: Flask) -> Iterator[tuple[Rule, str]]:
    """Every rule and method: the GETs first (an empty POST may change a record), sign-out last."""
    rules = checked_rules(app)
    for method in ("GET", *sorted(WRITES)):
        for rule in rules:
            if method in methods_of(rule) and rule.endpoint not in ENDS_SESSION:
                yield rule, method
    for endpoint in ENDS_SESSION:
        for rule in rules:
            if rule.endpoint == endpoint:
                yield rule, "POST"
