"""What the access log keeps beyond one record's page: the case references a list showed,
every refusal of the API, the period report with its quotes, and a view by anyone at all,
whatever their role."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.access_log import hooks
from qa_audit.access_log.models import AccessLogEntry
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories import access_log as factories_access
from tests.factories.actions import action as make_action


def last_entry() -> AccessLogEntry:
    _db.session.expire_all()
    entry = _db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id.desc())).first()
    assert entry is not None
    return entry


def test_a_list_page_records_the_case_references_it_showed(
    client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    for number in range(3):
        factories.audit(case_ref=f"CRL{number:04d}", area_key="locality")
    db.session.commit()
    lead = login_as(Role.QA_LEAD)
    assert client.get("/audit-list?status=submitted").status_code == 200
    entry = last_entry()
    assert (entry.user_id, entry.action, entry.entity_type) == (lead.id, "listed", "audit")
    assert entry.detail is not None
    assert sorted(entry.detail["case_refs"]) == ["CRL0000", "CRL0001", "CRL0002"]
    assert entry.detail["rows"] == 3
    assert entry.detail["filters"] == {"status": "submitted"}


def test_a_long_list_keeps_a_capped_number_of_case_references(app) -> None:  # type: ignore[no-untyped-def]
    many = [f"CRX{n:05d}" for n in range(hooks.LISTED_CASE_REFS_KEPT + 30)]
    with app.test_request_context("/audit-list"):
        hooks.note_listed([*many, None, many[0]])
        detail = hooks._listed()
    assert detail["rows"] == len(many) + 2
    assert detail["case_refs"] == many[: hooks.LISTED_CASE_REFS_KEPT]
    assert detail["case_refs_not_kept"] == 30


def test_my_actions_records_the_audits_shown(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    audit = factories.audit(auditor=me, case_ref="CRA7777")
    make_action(owner=me, audit_id=audit.id)
    db.session.commit()
    page = client.get("/my-actions").get_data(as_text=True)
    assert audit.reference in page
    entry = last_entry()
    assert (entry.user_id, entry.action, entry.entity_type) == (me.id, "listed", "action")
    assert entry.detail is not None
    assert entry.detail["case_refs"] == ["CRA7777"]


def test_every_view_of_a_case_level_page_is_recorded_whoever_views_it(
    client: FlaskClient, login_as, db
) -> None:  # type: ignore[no-untyped-def]
    viewer = login_as(Role.VIEWER)
    assert client.get("/my-actions").status_code == 200
    entry = last_entry()
    assert (entry.user_id, entry.action, entry.entity_type) == (viewer.id, "listed", "action")


def test_the_report_page_is_recorded_with_its_filters(client: FlaskClient, login_as, db) -> None:  # type: ignore[no-untyped-def]
    for role in (Role.QA_LEAD, Role.VIEWER):
        person = login_as(role)
        assert client.get("/reports?from=2024-04&to=2024-06").status_code == 200
        entry = last_entry()
        assert (entry.user_id, entry.action, entry.entity_type) == (
            person.id,
            "listed",
            "period_report",
        )
        assert entry.detail is not None
        assert entry.detail["filters"] == {"from": "2024-04", "to": "2024-06"}
        client.post("/sign-out")


def test_api_refusals_are_recorded(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    for headers, path, status in (
        ({}, "/api/v1/audits", 401),
        ({"Authorization": "Bearer qaa_not-a-token"}, "/api/v1/audits/QA-000001", 401),
        ({}, "/api/v1/dip-samples", 401),
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == status
        entry = last_entry()
        assert entry.action == "refused", path
        assert entry.user_id is None
        assert entry.detail is not None
        assert (entry.detail["status"], entry.detail["path"]) == (status, path)
    auditor = factories.user(Role.AUDITOR)
    viewer = factories.user(Role.VIEWER)
    db.session.commit()
    for person, path, status in (
        (auditor, "/api/v1/audits/QA-999999", 404),
        (viewer, "/api/v1/audits", 403),
    ):
        bearer = {"Authorization": f"Bearer {factories_access.bearer_token(person)}"}
        assert client.get(path, headers=bearer).status_code == status
        entry = last_entry()
        assert (entry.action, entry.user_id) == ("refused", person.id), path
        assert entry.detail is not None
        assert entry.detail["status"] == status
