"""The access log: every view and export of case-level records is recorded (who, what, when,
from where, with which filters), and the QA lead can search it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from qa_audit import create_app
from qa_audit.access_log import services as access
from qa_audit.access_log.models import AccessLogEntry
from qa_audit.auth.roles import Role
from qa_audit.core.config import TestConfig
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories import access_log as factories_access
from tests.factories.access_log import ALLOCATION_CASE, AUDIT_CASE, DIP_CASE

SKIPPED_RULES = {"static", "govuk_assets", "auth.sign_out"}


def entries() -> list[AccessLogEntry]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id)))


def count() -> int:
    return _db.session.scalar(select(func.count(AccessLogEntry.id))) or 0


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_viewing_an_audit_writes_a_row(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit(case_ref="CR55501")
    db.session.commit()
    lead = login_as(Role.QA_LEAD)
    before = count()
    assert client.get(f"/audits/{audit.id}").status_code == 200
    rows = entries()
    assert len(rows) == before + 1
    row = rows[-1]
    assert (row.user_id, row.action, row.entity_type, row.entity_id) == (
        lead.id,
        "viewed",
        "audit",
        str(audit.id),
    )
    assert (row.reference, row.case_ref) == (audit.reference, "CR55501")
    assert row.path == f"/audits/{audit.id}"
    assert row.ip_address == "127.0.0.1"
    assert (datetime.now(UTC) - row.at).total_seconds() < 60


def test_a_refused_view_is_logged_too(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit(case_ref="CR55502")
    db.session.commit()
    nosy = login_as(Role.AUDITOR)
    response = client.get(f"/audits/{audit.id}", headers={"X-Forwarded-For": "203.0.113.9"})
    # 404, as for an audit that does not exist: a 403 would confirm that this number is used.
    assert response.status_code == 404
    assert "CR55502" not in response.get_data(as_text=True)
    row = entries()[-1]
    assert (row.user_id, row.action, row.case_ref) == (nosy.id, "refused", "CR55502")
    assert row.detail == {"status": 404}
    assert row.forwarded_for == "203.0.113.9"
    before = count()
    missing = client.get(f"/audits/{audit.id + 1000}")
    assert missing.status_code == 404
    assert main_of(missing) == main_of(response)
    assert count() == before  # no such audit: nothing was refused


def main_of(response: TestResponse) -> str:
    """The page's main content (the head differs from one response to the next: its nonce)."""
    return response.get_data(as_text=True).partition("<main")[2].partition("</main>")[0]


def test_a_list_is_logged_with_its_filters(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    factories.audit(case_ref="CR55503")
    db.session.commit()
    login_as(Role.QA_LEAD)
    assert client.get("/audit-list?month=2024-04&grade=&page=1").status_code == 200
    row = entries()[-1]
    assert (row.action, row.entity_type, row.entity_id) == ("listed", "audit", "list")
    assert row.detail == {
        "filters": {"month": "2024-04", "page": "1"},
        "rows": 1,
        "case_refs": ["CR55503"],
    }
    assert row.path == "/audit-list?month=2024-04&grade=&page=1"


def test_exporting_actions_writes_a_row(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import actions as factories_actions

    factories_actions.action()
    factories_actions.action()
    db.session.commit()
    lead = login_as(Role.QA_LEAD)
    before = count()
    response = client.get("/actions/export.csv?status=open")
    assert response.status_code == 200
    rows = entries()
    assert len(rows) == before + 1  # the export itself, once
    row = rows[-1]
    assert (row.user_id, row.action, row.entity_type, row.entity_id) == (
        lead.id,
        "exported",
        "action",
        "export",
    )
    assert row.detail is not None
    assert row.detail["format"] == "csv"
    assert row.detail["rows"] == 2
    assert row.detail["filters"] == {"status": "open"}
    assert row.path == "/actions/export.csv?status=open"


def test_a_report_download_writes_a_row(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    factories.audit()
    db.session.commit()
    viewer = login_as(Role.VIEWER)
    assert client.get("/reports/download.csv?from=2024-04&to=2024-04").status_code == 200
    row = entries()[-1]
    assert (row.user_id, row.action, row.entity_type) == (viewer.id, "exported", "period_report")
    assert row.detail is not None
    assert row.detail["format"] == "csv"
    assert row.detail["rows"] == 1
    assert row.detail["filters"]["from"] == "2024-04"


def test_the_api_logs_an_audit_with_its_case_reference(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit(case_ref="CR55504")
    lead = factories.user(Role.QA_LEAD)
    token = factories_access.bearer_token(lead)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/audits/{audit.reference}", headers=headers).status_code == 200
    row = entries()[-1]
    assert (row.user_id, row.action, row.entity_type) == (lead.id, "exported", "audit")
    assert (row.reference, row.case_ref) == (audit.reference, "CR55504")
    assert client.get("/api/v1/dip-samples", headers=headers).status_code == 200
    row = entries()[-1]
    assert (row.user_id, row.action, row.entity_type) == (lead.id, "listed", "dip_sample")
    before = count()
    assert client.get("/api/v1/audits/QA-NOPE").status_code == 401  # no token: no one named
    assert count() == before + 1
    row = entries()[-1]
    assert (row.user_id, row.action, row.detail) == (
        None,
        "refused",
        {"status": 401, "path": "/api/v1/audits/QA-NOPE"},
    )


def test_a_command_line_report_export_is_logged_without_an_address(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    before = count()
    result = app.test_cli_runner().invoke(
        args=["report", "--from", "2024-04", "--to", "2024-04", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = entries()
    assert len(rows) == before + 1
    assert (rows[-1].user_id, rows[-1].entity_type, rows[-1].ip_address) == (
        None,
        "period_report",
        None,
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.QA_LEAD, 200),
        (Role.AUDITOR, 403),
        (Role.VIEWER, 403),
        (Role.MODERATOR, 403),
        (Role.SERVICE_MANAGER, 403),
        (Role.ADMIN, 403),
    ],
)
def test_only_the_qa_lead_sees_the_access_log(client, login_as, role, status) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    response = client.get("/access-log")
    assert response.status_code == status
    assert ('href="/access-log"' in text_of(client.get("/"))) is (status == 200)


def test_signed_out_is_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/access-log")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def _logged(user, case_ref: str | None, at: datetime, entity_type: str = "audit") -> None:  # type: ignore[no-untyped-def]
    entry = access.record_access(
        user,
        "viewed",
        entity_type,
        "1",
        reference=None,
        case_ref=case_ref,
        origin=access.Origin(path="/audits/1", ip_address="10.0.0.1"),
    )
    entry.at = at


def test_searching_by_person_record_and_dates(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    ann = factories.user(Role.AUDITOR, name="Ann Searchable", email="ann.searchable@example.org")
    bob = factories.user(Role.AUDITOR, name="Bob Other")
    _logged(ann, "CR77701", datetime(2024, 3, 31, 22, 30, tzinfo=UTC))  # 31 March, 23:30 BST
    _logged(ann, "CR77702", datetime(2024, 3, 31, 23, 30, tzinfo=UTC))  # 1 April, 00:30 BST
    _logged(bob, "CR77701", datetime(2024, 4, 30, 12, 0, tzinfo=UTC))
    _logged(bob, "CR77703", datetime(2024, 5, 1, 12, 0, tzinfo=UTC))
    db.session.commit()
    login_as(Role.QA_LEAD)

    def shown(**query: str) -> list[str]:
        response = client.get("/access-log", query_string=query)
        assert response.status_code == 200
        table = text_of(response).partition("<table")[2]  # not the search box
        return re.findall(r"CR7770\d", table)

    assert shown(user="searchable") == ["CR77702", "CR77701"]  # newest first
    assert shown(user="ANN.SEARCHABLE@") == ["CR77702", "CR77701"]
    assert shown(record="cr77701") == ["CR77701", "CR77701"]
    assert shown(date_from="2024-04-01", date_to="30/4/2024") == ["CR77701", "CR77702"]
    assert shown(date_from="1/5/2024") == ["CR77703"]
    assert shown(user="bob", record="CR77701") == ["CR77701"]
    assert shown(user="nobody-at-all") == []


def test_searching_finds_a_dip_sample_by_a_sampled_case(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    world = factories_access.world()
    login_as(Role.QA_LEAD)
    assert client.get(f"/dip-samples/{world.args['sample_id']}").status_code == 200
    page = text_of(client.get("/access-log", query_string={"record": DIP_CASE.lower()}))
    assert "Viewed dip sample" in page
    assert f"Cases {DIP_CASE}" in page


def test_a_wrong_date_is_a_clear_error(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.get("/access-log", query_string={"date_from": "31/2/2024"})
    assert response.status_code == 400
    assert "The from date must be a real date, for example 2024-04-01" in text_of(response)
    response = client.get(
        "/access-log", query_string={"date_from": "2024-05-02", "date_to": "2024-05-01"}
    )
    assert response.status_code == 400
    assert "The &#39;to&#39; date must be the same as or after" in text_of(response)


def test_the_access_log_pages_and_logs_its_own_searches(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    person = factories.user(Role.AUDITOR, name="Pat Paged")
    for n in range(access.PER_PAGE + 5):
        _logged(person, f"CR9{n:04d}", datetime(2024, 1, 1, 12, n % 60, tzinfo=UTC))
    db.session.commit()
    lead = login_as(Role.QA_LEAD)
    first = text_of(client.get("/access-log", query_string={"user": "pat paged"}))
    assert f"Entries 1 to {access.PER_PAGE} of {access.PER_PAGE + 5}" in first
    assert "page=2" in first
    second = client.get("/access-log", query_string={"user": "pat paged", "page": "2"})
    assert f"Entries {access.PER_PAGE + 1} to {access.PER_PAGE + 5}" in text_of(second)
    row = entries()[-1]
    assert (row.user_id, row.action, row.entity_type) == (lead.id, "listed", "access_log")
    assert row.detail == {"filters": {"user": "pat paged", "page": "2"}}
    # and the QA lead's own search shows up when the QA lead is searched for
    assert "Listed the access log" in text_of(
        client.get("/access-log", query_string={"user": lead.email})
    )


def _url(app: Flask, rule, world) -> str:  # type: ignore[no-untyped-def]
    args = {name: world.args[name] for name in rule.arguments}
    if rule.endpoint == "reports.domain_chart":
        args["key"] = "assessment"
    extra = factories_access.report_period() if "report" in rule.endpoint else {}
    with app.test_request_context():
        return url_for(rule.endpoint, **args, **extra)


def test_every_response_that_shows_a_case_reference_is_logged(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    """Generic check of the hook's map: whoever asks for whatever, if a case reference is
    in the answer, the access log has a row for that request."""
    world = factories_access.world()
    people = [
        factories.user(Role.QA_LEAD),
        factories.user(Role.MODERATOR),
        world.owner,
        factories.user(Role.SERVICE_MANAGER, area_key=factories_access.AREA),
    ]
    db.session.commit()
    clients = {}
    for person in people:
        client = app.test_client()
        response = client.post(
            "/sign-in", data={"email": person.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302
        headers = {"Authorization": f"Bearer {factories_access.bearer_token(person)}"}
        clients[person.id] = (client, headers)
    seen = 0
    # Every GET first: an empty POST may change what later pages show (take a moderation…).
    for method in ("GET", "POST"):
        for person in people:
            client, headers = clients[person.id]
            for rule in app.url_map.iter_rules():
                if rule.endpoint in SKIPPED_RULES or method not in rule.methods:
                    continue
                url = _url(app, rule, world)
                before = count()
                response = client.open(url, method=method, headers=headers, data={})
                body = response.get_data().decode("utf-8", "replace")  # files too
                shown = [ref for ref in world.case_refs if ref in body]
                if not shown:
                    continue
                seen += 1
                new = [e for e in entries()[before:] if e.path == url and e.user_id == person.id]
                assert new, f"{method} {url} as {person.roles} showed {shown} but left no log"
    assert seen > 40  # the world's case references were shown on many pages
    for ref in (AUDIT_CASE, ALLOCATION_CASE):
        assert access.search(access.AccessFilters(record=ref), 1)[1].total > 0


def test_no_page_is_shown_if_its_viewing_cannot_be_recorded(
    app: Flask, db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit(case_ref="CR55505")
    lead = factories.user(Role.QA_LEAD)
    db.session.commit()
    failing = create_app(TestConfig(database_url=app.config["SQLALCHEMY_DATABASE_URI"]))
    failing.config["PROPAGATE_EXCEPTIONS"] = False
    failing.test_client_class = app.test_client_class

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the access log is unavailable")

    monkeypatch.setattr(access, "record_access", broken)
    try:
        client = failing.test_client()
        client.post("/sign-in", data={"email": lead.email, "password": factories.PASSWORD})
        response = client.get(f"/audits/{audit.id}")
        assert response.status_code == 500
        assert "CR55505" not in response.get_data(as_text=True)
        assert response.headers["X-Frame-Options"] == "DENY"
    finally:
        with failing.app_context():
            _db.engine.dispose()


def test_pages_of_people_without_case_access_are_logged_as_well_as_refusals(
    client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit(case_ref="CR55506")
    db.session.commit()
    viewer = login_as(Role.VIEWER)
    before = count()
    assert client.get("/").status_code == 200
    assert client.get("/my-actions").status_code == 200
    # Every view of a case-level page is logged, whoever views it (an owner's actions, say).
    assert count() == before + 2
    assert {(row.user_id, row.action) for row in entries()[-2:]} == {(viewer.id, "listed")}
    assert client.get(f"/audits/{audit.id}").status_code == 404
    row = entries()[-1]
    assert (row.user_id, row.action, row.case_ref) == (viewer.id, "refused", "CR55506")
