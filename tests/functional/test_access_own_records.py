"""An auditor sees their own audits and allocations and a service manager their own area's
audits, on the pages and through the API, and never a colleague's or another area's."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from qa_audit.auth.roles import Role
from tests import factories
from tests.factories import access_log as factories_access
from tests.factories.access_log import ALLOCATION_CASE, AUDIT_CASE, INADEQUATE_CASE


def _signed_in(app: Flask, person) -> FlaskClient:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/sign-in", data={"email": person.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def test_an_auditor_sees_their_own_audits_and_allocations(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    world = factories_access.world()
    audit_id = world.args["audit_id"]
    client = _signed_in(app, world.owner)
    for url in (f"/audits/{audit_id}", f"/audits/{audit_id}/comments", "/my-audits"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert AUDIT_CASE in response.get_data(as_text=True), url
    assert ALLOCATION_CASE in client.get("/").get_data(as_text=True)  # their rota allocation
    token = factories_access.bearer_token(world.owner)
    listed = client.get("/api/v1/audits", headers={"Authorization": f"Bearer {token}"})
    assert {a["case_ref"] for a in listed.get_json()["items"]} == {AUDIT_CASE, INADEQUATE_CASE}
    # and not another auditor's, even in the same team
    colleague = factories.user(Role.AUDITOR, area_key=factories_access.AREA)
    theirs = factories.audit(auditor=colleague, case_ref="CRW4999", area_key=factories_access.AREA)
    db.session.commit()
    assert client.get(f"/audits/{theirs.id}").status_code == 404
    assert "CRW4999" not in client.get("/my-audits").get_data(as_text=True)


def test_a_service_manager_sees_their_own_areas_audits(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    world = factories_access.world()
    manager = factories.user(Role.SERVICE_MANAGER, area_key=factories_access.AREA)
    elsewhere = factories.audit(case_ref="CRW4998", area_key=factories_access.OTHER_AREA)
    db.session.commit()
    client = _signed_in(app, manager)
    audit_id = world.args["audit_id"]
    for url in (f"/audits/{audit_id}", f"/audits/{audit_id}/safeguarding", "/audit-list"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert AUDIT_CASE in response.get_data(as_text=True), url
    assert client.get(f"/audits/{elsewhere.id}").status_code == 404
    assert "CRW4998" not in client.get("/audit-list").get_data(as_text=True)
    headers = {"Authorization": f"Bearer {factories_access.bearer_token(manager)}"}
    assert client.get(f"/api/v1/audits/{world.audit_reference}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/audits/{elsewhere.reference}", headers=headers).status_code == 403
