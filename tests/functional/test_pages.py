"""Each role's home page, the audit tool pages and the change log page."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from qa_audit.audit_tools.grades import GRADED
from qa_audit.audit_tools.services import get_tool
from qa_audit.auth.roles import Role
from qa_audit.organisation.services import create_service_area
from tests import factories

ROLE_HEADINGS = {
    Role.AUDITOR: "As auditor",
    Role.MODERATOR: "As moderator",
    Role.SERVICE_MANAGER: "As service manager",
    Role.QA_LEAD: "As QA lead",
    Role.VIEWER: "As viewer",
    Role.ADMIN: "As administrator",
}


def headings(html: str, level: int) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)
    ]


@pytest.mark.parametrize("role", list(Role))
def test_home_page_shows_the_roles_own_heading(login_as, client: FlaskClient, role: Role) -> None:  # type: ignore[no-untyped-def]
    login_as(role, name="Casey Home")
    html = client.get("/").get_data(as_text=True)
    assert headings(html, 1) == ["Your work"]
    assert f"Signed in as Casey Home ({role.label})" in " ".join(html.split())
    role_headings = [h for h in headings(html, 2) if h.startswith("As ")]
    assert role_headings == [ROLE_HEADINGS[role]]


def test_home_page_shows_every_role_a_person_holds(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD, Role.AUDITOR, Role.ADMIN)
    html = client.get("/").get_data(as_text=True)
    assert [h for h in headings(html, 2) if h.startswith("As ")] == [
        "As auditor",
        "As QA lead",
        "As administrator",
    ]


def test_admin_home_counts_accounts(login_as, client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    factories.user(Role.AUDITOR, active=False)
    factories.user(Role.AUDITOR)
    factories.user(Role.AUDITOR)
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Accounts" in headings(html, 3)
    accounts = re.search(r">Accounts</h3>(.*?)</section>", html, re.S)
    assert accounts is not None
    cells = re.findall(r'<td class="govuk-table__cell">(\d+)</td>', accounts.group(1))
    assert cells == ["4", "1"]  # users, deactivated (accounts are throttled, never locked)
    assert "Manage users" in html
    assert 'href="/admin/users/new"' in html


def test_qa_lead_home_lists_the_audit_tools(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    html = client.get("/").get_data(as_text=True)
    assert "practice-principles-2024" in html
    assert "qaif-2022" in html
    assert "1 April 2024" in html


def test_navigation_follows_roles(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.VIEWER)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/admin/users"' not in html
    assert 'href="/audit-tools/"' not in html


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER, Role.QA_LEAD, Role.ADMIN]
)
def test_audit_tool_readers_see_the_tools_in_the_navigation(
    login_as, client: FlaskClient, role: Role
) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/audit-tools/"' in html
    assert client.get("/audit-tools/").status_code == 200


def test_audit_tool_page_shows_domains_and_descriptors(login_as, client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.AUDITOR)
    response = client.get("/audit-tools/practice-principles-2024")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    tool = get_tool("practice-principles-2024")
    assert headings(html, 1) == [tool.name]
    section_titles = headings(html, 2)
    for number, domain in enumerate(tool.domains, start=1):
        assert f"{number}. {domain.title}" in section_titles
        assert f'id="domain-{domain.key}"' in html
        for grade in GRADED:
            descriptor = domain.descriptor(grade).replace("'", "&#39;").replace('"', "&#34;")
            assert descriptor in html, (domain.key, grade)
        assert domain.guidance[0].replace("'", "&#39;").replace('"', "&#34;") in html
    assert "Requires improvement to be good" in html
    assert tool.overall_title in section_titles


def test_audit_tools_index_lists_both_versions(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    html = client.get("/audit-tools/").get_data(as_text=True)
    assert 'href="/audit-tools/practice-principles-2024"' in html
    assert 'href="/audit-tools/qaif-2022"' in html


def test_unknown_audit_tool_is_404_and_viewers_are_forbidden(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.AUDITOR)
    assert client.get("/audit-tools/no-such-tool-2099").status_code == 404
    client.post("/sign-out")
    login_as(Role.VIEWER)
    assert client.get("/audit-tools/practice-principles-2024").status_code == 403


def test_change_log_page_lists_entries(login_as, client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    admin = login_as(Role.ADMIN, name="Ada Admin-Tester")
    create_service_area(admin, "virtual_school", "Virtual School")
    db.session.commit()
    html = client.get("/admin/change-log").get_data(as_text=True)
    assert headings(html, 1) == ["Change log"]
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S)
    first = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", rows[1]))  # rows[0] is the header
    assert "Ada Admin-Tester" in first
    assert "Created" in first  # in plain English (issue 16, defect 11)
    assert "Service area" in first
    assert "Virtual School" in first
    assert "virtual_school" in first
    assert "$argon2" not in html


def test_change_log_pages_through_older_entries(login_as, client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    admin = login_as(Role.ADMIN)
    for n in range(51):
        create_service_area(admin, f"area_{n:02d}", f"Area {n:02d}")
    db.session.commit()
    first = client.get("/admin/change-log").get_data(as_text=True)
    assert "Area 50" in first
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    second = client.get("/admin/change-log?page=2").get_data(as_text=True)
    assert "Area 00" in second
    assert "Area 50" not in second
    assert 'rel="prev"' in second
