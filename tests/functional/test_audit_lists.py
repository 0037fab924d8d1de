"""My audits and All audits pages: who sees what, filters in the query string, paging."""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient

from qa_audit.auth.roles import Role
from tests import factories
from tests.factories.moderation import completed_moderation


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_my_audits_shows_the_auditors_own_audits_in_three_groups(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    draft = factories.audit(auditor=me, reference="QA-DRAFT-1", status="draft", overall=None)
    returned = factories.audit(auditor=me, reference="QA-RET-1", status="returned")
    returned.returned_reason = "Add the child's own words to the evidence"
    factories.audit(auditor=me, reference="QA-SUB-1")
    factories.audit(reference="QA-OTHER-1", case_ref="CR999001")
    db.session.commit()

    response = client.get("/my-audits")
    page = html(response)
    assert response.status_code == 200
    drafts, rest = page.split('id="drafts"')[1].split('id="returned"')
    returned_part, submitted_part = rest.split('id="submitted"')
    assert "QA-DRAFT-1" in drafts
    assert "QA-RET-1" not in drafts
    assert "QA-RET-1" in returned_part
    assert "Add the child&#39;s own words to the evidence" in returned_part
    assert "QA-SUB-1" in submitted_part
    assert "QA-OTHER-1" not in page
    assert "CR999001" not in page
    assert f'href="/audits/{draft.id}"' in page
    assert "been returned to you" in page


@pytest.mark.parametrize(
    "role", [Role.VIEWER, Role.ADMIN, Role.SERVICE_MANAGER, Role.MODERATOR, Role.QA_LEAD]
)
def test_my_audits_is_for_auditors(login_as, client, db, role) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    assert client.get("/my-audits").status_code == 403


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.VIEWER, Role.ADMIN])
def test_all_audits_is_forbidden_to_auditors_viewers_and_admins(login_as, client, db, role) -> None:  # type: ignore[no-untyped-def]
    factories.audit(case_ref="CR424242")
    login_as(role)
    response = client.get("/audit-list")
    assert response.status_code == 403
    assert "CR424242" not in html(response)


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.MODERATOR])
def test_qa_lead_and_moderators_see_every_area(login_as, client, db, role) -> None:  # type: ignore[no-untyped-def]
    factories.audit(reference="QA-LOC", case_ref="CR100001")
    factories.audit(reference="QA-FD", case_ref="CR100002", area_key="front_door")
    login_as(role)
    db.session.commit()
    response = client.get("/audit-list")
    page = html(response)
    assert response.status_code == 200
    assert "QA-LOC" in page
    assert "QA-FD" in page
    assert "Audits 1 to 2 of 2" in page


def test_service_manager_sees_their_area_only(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    factories.audit(reference="QA-LOC", case_ref="CR100001")
    factories.audit(reference="QA-FD", case_ref="CR100002", area_key="front_door")
    login_as(Role.SERVICE_MANAGER, area_key="locality")
    db.session.commit()
    page = html(client.get("/audit-list"))
    assert "QA-LOC" in page
    assert "QA-FD" not in page
    assert "CR100002" not in page
    assert "Integrated Front Door" not in page  # not even offered as a filter
    fd = factories.service_area("front_door").id
    page = html(client.get(f"/audit-list?service_area_id={fd}"))
    assert "QA-FD" not in page


def test_filters_come_from_the_query_string_and_final_grade_is_moderated(
    login_as, client, db
) -> None:  # type: ignore[no-untyped-def]
    downgraded = factories.audit(reference="QA-DOWN", overall="good", submitted_on=date(2024, 4, 3))
    completed_moderation(downgraded, "requires_improvement")
    factories.audit(reference="QA-GOOD", overall="good", submitted_on=date(2024, 4, 9))
    factories.audit(
        reference="QA-MAY", overall="requires_improvement", submitted_on=date(2024, 5, 2)
    )
    login_as(Role.QA_LEAD)
    db.session.commit()
    page = html(client.get("/audit-list?grade=requires_improvement&month=2024-04"))
    assert "QA-DOWN" in page
    assert "QA-GOOD" not in page
    assert "QA-MAY" not in page
    assert "Moderated" in page
    assert "(audited Good)" in page
    # The form keeps the chosen values.
    assert 'value="2024-04"' in page
    assert '<option value="requires_improvement" selected>' in page


def test_a_bad_filter_is_explained_not_a_crash(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    factories.audit(reference="QA-ANY")
    login_as(Role.QA_LEAD)
    db.session.commit()
    response = client.get("/audit-list?month=April&status=lost")
    page = html(response)
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "Enter the month as a year and month, for example 2024-04" in page
    assert "Select a status from the list" in page
    assert "QA-ANY" in page  # the other filters still apply (none here)


def test_paging_keeps_the_filters(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR)
    for n in range(27):
        factories.audit(
            auditor=auditor, reference=f"QA-P{n:02d}", submitted_on=date(2024, 4, 1 + n)
        )
    factories.audit(reference="QA-MAR", submitted_on=date(2024, 3, 5))
    login_as(Role.QA_LEAD)
    db.session.commit()
    page = html(client.get("/audit-list?month=2024-04"))
    assert "Audits 1 to 25 of 27" in page
    assert "QA-MAR" not in page
    assert 'class="govuk-pagination' in page
    assert "/audit-list?month=2024-04&amp;page=2" in page
    page2 = html(client.get("/audit-list?month=2024-04&page=2"))
    assert "Audits 26 to 27 of 27" in page2
    assert "QA-P00" in page2
    assert "QA-P01" in page2
    assert "QA-P02" not in page2


def test_navigation_links_by_role(login_as, client: FlaskClient, db) -> None:
    login_as(Role.AUDITOR)
    page = html(client.get("/"))
    assert 'href="/my-audits"' in page
    assert 'href="/my-actions"' in page
    assert 'href="/audit-list"' not in page
    assert 'href="/actions"' not in page
    client.post("/sign-out")
    login_as(Role.QA_LEAD)
    page = html(client.get("/"))
    assert 'href="/audit-list"' in page
    assert 'href="/actions"' in page
    assert 'href="/learning-themes"' in page
    assert 'href="/my-audits"' not in page
