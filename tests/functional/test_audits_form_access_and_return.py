"""Who may see and change an audit, the audit page (printable), and the QA lead returning an
audit to its auditor, who resubmits it."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from tests import factories
from tests.functional.audit_form_pages import (
    form_data,
    fresh,
    submit_audit,
    summary_links,
    switch_to,
    text_of,
)


@pytest.mark.parametrize(
    ("roles", "area_key", "show", "edit"),
    [
        ((Role.AUDITOR,), None, 404, 404),
        ((Role.VIEWER,), None, 404, 404),
        ((Role.ADMIN,), None, 404, 404),
        ((Role.SERVICE_MANAGER,), "fostering", 404, 404),
        ((Role.SERVICE_MANAGER,), "locality", 200, 403),
        ((Role.QA_LEAD,), None, 200, 403),
        ((Role.MODERATOR,), None, 200, 403),
    ],
)
def test_who_may_see_and_change_an_audit(
    client: FlaskClient,
    login_as,
    audit: Audit,
    roles,
    area_key,
    show: int,
    edit: int,  # type: ignore[no-untyped-def]
) -> None:
    switch_to(client, login_as, *roles, area_key=area_key)
    assert client.get(f"/audits/{audit.id}").status_code == show
    assert client.get(f"/audits/{audit.id}/edit").status_code == edit
    for section in ("assessment", "overall", "actions"):
        url = f"/audits/{audit.id}/sections/{section}"
        assert client.get(url).status_code == edit
        response = client.post(url, data=form_data(audit, grade="inadequate"))
        assert response.status_code == edit
    assert client.get(f"/audits/{audit.id}/check").status_code == edit
    assert client.post(f"/audits/{audit.id}/check").status_code == edit
    autosave = client.post(f"/audits/{audit.id}/autosave", data=form_data(audit))
    assert autosave.status_code == 403
    assert autosave.is_json
    assert fresh(audit).grade_for("assessment").grade is None


def test_missing_audit_is_404(client: FlaskClient, auditor: User) -> None:
    assert client.get("/audits/999999").status_code == 404
    assert client.get("/audits/999999/edit").status_code == 404
    assert client.get("/audits/999999/sections/overall").status_code == 404
    assert client.post("/audits/999999/check").status_code == 404
    assert client.post("/audits/999999/autosave").status_code == 404


def test_the_audit_page_shows_everything_and_can_be_printed(
    client: FlaskClient, audit: Audit
) -> None:
    submit_audit(client, audit, form_data(audit))
    html = text_of(client.get(f"/audits/{audit.id}"))
    for domain in audit.tool.domains:
        assert domain.title in html
        assert f"{domain.key} well" in html
        assert f"{domain.key} impact" in html
    assert "The plan is working for the child" in html
    assert re.search(r'<a href="#print" class="govuk-link app-no-print" data-app-print>', html)
    assert 'src="/static/audit-print.js"' in html
    # the change history, in plain English
    assert '<td class="govuk-table__cell">Started</td>' in html
    assert '<td class="govuk-table__cell">Submitted</td>' in html
    assert 'id="safeguarding"' in html  # the safeguarding partial
    assert "Return to the auditor" not in html  # only for the QA lead


def test_the_qa_lead_returns_an_audit_and_the_auditor_resubmits(
    client: FlaskClient, login_as, audit: Audit, auditor: User
) -> None:
    submit_audit(client, audit, form_data(audit))
    lead = switch_to(client, login_as, Role.QA_LEAD, name="Lee Lead")
    page = text_of(client.get(f"/audits/{audit.id}"))
    assert "Return to the auditor" in page
    response = client.post(f"/audits/{audit.id}/return", data={"reason": "  "})
    assert response.status_code == 400
    assert summary_links(text_of(response)) == [
        ("#reason", "Enter why the audit is being returned")
    ]
    response = client.post(f"/audits/{audit.id}/return", data={"reason": "Add the father's view"})
    assert response.status_code == 302
    saved = fresh(audit)
    assert saved.status == "returned"
    assert saved.returned_reason == "Add the father's view"
    assert history(saved)[-1].actor_id == lead.id
    page = text_of(client.get(f"/audits/{audit.id}"))
    assert "Returned to the auditor: Add the father's view" in page
    assert "govuk-tag--orange" in page

    client.post("/sign-out")
    client.post("/sign-in", data={"email": auditor.email, "password": factories.PASSWORD})
    home = text_of(client.get("/"))
    assert f'href="/audits/{audit.id}/edit">{audit.reference}</a>' in home
    assert "Returned: Add the father's view" in home
    edit = text_of(client.get(f"/audits/{audit.id}/edit"))
    assert "The QA lead returned this audit: Add the father's view" in edit
    response = submit_audit(client, audit)
    assert response.status_code == 302
    assert fresh(audit).status == "submitted"
    assert fresh(audit).returned_reason is None


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.AUDITOR])
def test_only_the_qa_lead_returns(client: FlaskClient, login_as, audit: Audit, role: Role) -> None:  # type: ignore[no-untyped-def]
    submit_audit(client, audit, form_data(audit))
    switch_to(client, login_as, role)
    assert client.post(f"/audits/{audit.id}/return", data={"reason": "No"}).status_code == 403
    assert fresh(audit).status == "submitted"
