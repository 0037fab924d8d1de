"""Starting an audit through the test client: the start page, its refusals, what a link or a
rota allocation fills in, auditors alone; the auditor's home and navigation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from tests import factories
from tests.factories import rota as factories_rota
from tests.functional.audit_form_pages import TODAY, summary_links, text_of


def test_start_an_audit(client: FlaskClient, auditor: User) -> None:
    page = client.get("/audits/new")
    assert page.status_code == 200
    html = text_of(page)
    for label in ("Case reference", "Service area", "Team", "Audit date", "Type of audit"):
        assert label in html
    assert 'id="audit_date-day"' in html
    assert 'name="audit_type"' in html
    area = factories.service_area("assessment")
    response = client.post(
        "/audits/new",
        data={
            "case_ref": "CR4242",
            "service_area_id": str(area.id),
            "team_id": str(area.teams[0].id),
            "audit_date": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
            "audit_type": "deep_dive",
        },
    )
    assert response.status_code == 302
    audit = db.session.scalar(db.select(Audit).where(Audit.case_ref == "CR4242"))
    assert response.headers["Location"] == f"/audits/{audit.id}/edit"
    assert audit.auditor_id == auditor.id
    assert audit.audit_date == TODAY
    assert audit.service_area_id == area.id
    assert audit.status == "draft"
    edit = client.get(response.headers["Location"])
    assert f"Audit {audit.reference} has been started as a draft" in text_of(edit)


def test_start_refuses_bad_input_with_an_error_summary(client: FlaskClient, auditor: User) -> None:
    tomorrow = TODAY + timedelta(days=1)
    response = client.post(
        "/audits/new",
        data={
            "case_ref": "Jane Smith",
            "service_area_id": "",
            "team_id": "",
            "audit_date": [str(tomorrow.day), str(tomorrow.month), ""],
            "audit_type": "deep_dive",
        },
    )
    assert response.status_code == 400
    html = text_of(response)
    assert summary_links(html) == [
        (
            "#case_ref",
            "Enter the case reference from the case-management system, not the child's name",
        ),
        ("#service_area_id", "Select the service area"),
        ("#team_id", "Select the team"),
        ("#audit_date-day", "The audit date must include a year"),
    ]
    assert 'id="audit_date-day" name="audit_date"' in html  # the link's target is the Day box
    assert "<title>Error: Start an audit" in html
    assert db.session.scalar(db.select(Audit.id)) is None


def test_start_refuses_a_future_date(client: FlaskClient, auditor: User) -> None:
    area = factories.service_area()
    tomorrow = TODAY + timedelta(days=1)
    response = client.post(
        "/audits/new",
        data={
            "case_ref": "CR1",
            "service_area_id": str(area.id),
            "team_id": str(area.teams[0].id),
            "audit_date": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
            "audit_type": "deep_dive",
        },
    )
    assert response.status_code == 400
    assert summary_links(text_of(response)) == [
        ("#audit_date-day", "The audit date must be today or in the past")
    ]


def test_start_page_takes_what_a_link_knows(client: FlaskClient, auditor: User) -> None:
    area = factories.service_area("fostering")
    html = text_of(
        client.get(
            f"/audits/new?case_ref=CR900&service_area_id={area.id}"
            "&audit_type=closing_the_loop&previous_audit_ref=QA-000042"
        )
    )
    assert 'value="CR900"' in html
    assert 'value="QA-000042"' in html
    assert f'<option value="{area.id}" selected>' in html
    assert 'value="closing_the_loop" checked' in html


def test_start_page_takes_what_a_rota_allocation_knows(client: FlaskClient, auditor: User) -> None:
    team = factories.service_area("fostering").teams[1]
    allocation = factories_rota.allocation(
        auditor=auditor, area_key="fostering", case_ref="CR3141", team=team
    )
    db.session.commit()
    html = text_of(client.get(f"/audits/new?allocation_id={allocation.id}"))
    assert 'value="CR3141"' in html
    assert f'<option value="{team.service_area_id}" selected>' in html
    assert f'<option value="{team.id}" selected>' in html
    assert f'name="allocation_id" type="hidden" value="{allocation.id}"' in html
    someone_elses = factories_rota.allocation(case_ref="CR2718")
    db.session.commit()
    html = text_of(client.get(f"/audits/new?allocation_id={someone_elses.id}"))
    assert "This allocation is not yours" in html
    assert 'value="CR2718"' not in html


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ADMIN, Role.QA_LEAD, Role.MODERATOR])
def test_only_auditors_start_audits(client: FlaskClient, login_as, role: Role) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    assert client.get("/audits/new").status_code == 403


def test_the_auditors_home_lists_drafts_and_offers_start(client: FlaskClient, audit: Audit) -> None:
    html = text_of(client.get("/"))
    assert "My draft and returned audits (1)" in html
    assert f'<a class="govuk-link" href="/audits/{audit.id}/edit">{audit.reference}</a>' in html
    assert '<a class="govuk-link" href="/audits/new">Start an audit</a>' in html
    nav = html.split("govuk-service-navigation__list", 1)[1].split("</ul>", 1)[0]
    assert 'href="/audits/new"' in nav
    assert "Start an audit" in nav


def test_start_an_audit_is_not_in_other_roles_navigation(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    html = text_of(client.get("/"))
    assert 'href="/audits/new"' not in html


def _team_options(html: str) -> list[str]:
    select_html = re.search(r'<select[^>]*name="team_id".*?</select>', html, re.S)
    assert select_html is not None
    return re.findall(r"<option[^>]*>([^<]+)</option>", select_html.group(0))


def test_the_team_list_is_narrowed_to_the_chosen_service_area(
    client: FlaskClient, auditor: User
) -> None:
    """Every team of every area was listed whatever the area; a link or a rota allocation
    that names the area, and a form that comes back, list that area's teams alone."""
    fostering, locality = factories.service_area("fostering"), factories.service_area("locality")
    db.session.commit()
    everything = _team_options(client.get("/audits/new").get_data(as_text=True))
    assert any(o.startswith("Fostering: ") for o in everything)
    assert any(o.startswith("Locality") for o in everything)

    narrowed = client.get(f"/audits/new?service_area_id={fostering.id}").get_data(as_text=True)
    assert _team_options(narrowed) == [
        "Choose a team",
        *(f"Fostering: {team.name}" for team in fostering.teams),
    ]
    # The script narrows it as the area is chosen: every team, with its area, is on the form.
    assert "teams-of-area.js" in narrowed
    assert f"[&#34;{locality.teams[0].id}&#34;, &#34;{locality.id}&#34;" in narrowed

    refused = client.post(
        "/audits/new",
        data={
            "case_ref": "CR4243",
            "service_area_id": str(fostering.id),
            "team_id": "",
            "audit_date": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
            "audit_type": "deep_dive",
        },
    )
    assert refused.status_code == 400
    assert _team_options(refused.get_data(as_text=True))[1:] == [
        f"Fostering: {team.name}" for team in fostering.teams
    ]
