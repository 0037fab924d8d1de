"""My actions, marking one done, the QA lead's actions centre and its CSV export, and the
closing-the-loop prompt on the QA lead's home page."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select, update

from qa_audit.actions.models import Action
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from tests import factories
from tests.factories.actions import action as make_action


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_my_actions_shows_overdue_in_red_and_done(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    make_action(owner=me, description="Late one", due_on=date(2020, 1, 1))
    make_action(owner=me, description="Future one", due_on=date(2099, 1, 1))
    make_action(owner=me, description="Finished one", due_on=date(2020, 1, 1), done=True)
    make_action(description="Not mine")
    db.session.commit()
    page = html(client.get("/my-actions"))
    todo, done = page.split(">Done</h2>")
    assert "Late one" in todo
    assert "Future one" in todo
    assert "Finished one" in done
    assert "Not mine" not in page
    late_row = todo.split("Late one")[1].split("</tr>")[0]
    assert "govuk-tag--red" in late_row
    assert "Overdue" in late_row
    future_row = todo.split("Future one")[1].split("</tr>")[0]
    assert "govuk-tag--red" not in future_row
    assert "1 January 2020" in todo


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ADMIN, Role.AUDITOR])
def test_an_owner_who_may_not_see_the_audit_does_not_see_the_action(
    login_as, client, db, role
) -> None:  # type: ignore[no-untyped-def]
    """Old data: an action owned by someone who may not see its audit (a viewer, an
    administrator, another auditor). They neither see its text nor close it."""
    audit = factories.audit(case_ref="CRV1234")
    me = login_as(role)
    action = make_action(owner=me, audit_id=audit.id, description="Visit the child at school")
    db.session.commit()
    page = html(client.get("/my-actions"))
    assert "Visit the child at school" not in page
    assert audit.reference not in page
    assert client.get(f"/actions/{action.id}/done").status_code in (403, 404)
    response = client.post(f"/actions/{action.id}/done", data={"note": "x", "version": "1"})
    assert response.status_code in (403, 404)
    db.session.expire_all()
    assert not db.session.get(Action, action.id).done


def test_owner_marks_done_with_a_required_note(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    action = make_action(owner=me)
    db.session.commit()
    url = f"/actions/{action.id}/done"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"note": "  ", "version": "1"})
    assert response.status_code == 400
    assert 'href="#note"' in html(response)
    assert "Enter a completion note" in html(response)

    response = client.post(url, data={"note": "Plan updated and shared", "version": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/my-actions")
    db.session.expire_all()
    stored = db.session.get(Action, action.id)
    assert stored.done
    assert stored.completion_note == "Plan updated and shared"
    logged = db.session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "action",
            ChangeLogEntry.entity_id == str(action.id),
            ChangeLogEntry.action == "action.completed",
        )
    ).one()
    assert logged.actor_id == me.id
    page = html(client.get(url))
    assert "This action is done" in page
    assert "Plan updated and shared" in page


def test_a_stale_form_is_refused_and_shows_the_current_state(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    action = make_action(owner=me, description="Original wording")
    db.session.commit()
    # Someone changes the action after the owner opened the page at version 1.
    db.session.execute(
        update(Action).where(Action.id == action.id).values(description="New wording", version=2)
    )
    db.session.commit()
    response = client.post(f"/actions/{action.id}/done", data={"note": "Done", "version": "1"})
    assert response.status_code == 400
    page = html(response)
    assert "Someone else changed this action" in page
    assert "New wording" in page
    assert 'name="version" type="hidden" value="2"' in page
    db.session.expire_all()
    assert not db.session.get(Action, action.id).done


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER, Role.VIEWER])
def test_only_the_owner_or_qa_lead_may_mark_done(login_as, client, db, role) -> None:  # type: ignore[no-untyped-def]
    action = make_action()
    login_as(role)
    # 404, as for an action that does not exist: a 403 would confirm that this number is used.
    assert client.get(f"/actions/{action.id}/done").status_code == 404
    response = client.post(f"/actions/{action.id}/done", data={"note": "x", "version": "1"})
    assert response.status_code == 404
    db.session.expire_all()
    assert not db.session.get(Action, action.id).done


def test_qa_lead_marks_someone_elses_action_done(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    action = make_action()
    login_as(Role.QA_LEAD)
    response = client.post(f"/actions/{action.id}/done", data={"note": "Confirmed", "version": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/actions")


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER, Role.VIEWER, Role.ADMIN]
)
def test_actions_centre_and_export_are_for_the_qa_lead(login_as, client, db, role) -> None:  # type: ignore[no-untyped-def]
    make_action(description="Secret wording")
    login_as(role)
    assert client.get("/actions").status_code == 403
    assert client.get("/actions/export.csv").status_code == 403


def test_actions_centre_filters(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    owner = factories.user(Role.AUDITOR, name="Olive Owner")
    make_action(owner=owner, description="Overdue action", due_on=date(2020, 2, 2))
    make_action(description="Future action", due_on=date(2099, 2, 2))
    make_action(source="dip_sample", description="Dip sample action", due_on=date(2099, 2, 2))
    login_as(Role.QA_LEAD)
    page = html(client.get("/actions"))
    assert "Actions 1 to 3 of 3" in page
    page = html(client.get("/actions?overdue=y"))
    assert "Overdue action" in page
    assert "Future action" not in page
    assert "govuk-tag--red" in page
    page = html(client.get(f"/actions?owner_id={owner.id}"))
    assert "Overdue action" in page
    assert "Future action" not in page
    page = html(client.get("/actions?source=dip_sample"))
    assert "Dip sample action" in page
    assert "Overdue action" not in page
    response = client.get("/actions?source=rumour")
    assert response.status_code == 400
    assert "Select a source from the list" in html(response)


def test_csv_export_is_formula_safe_and_logged(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    make_action(description='=HYPERLINK("http://evil.example","Click")', due_on=date(2099, 1, 1))
    make_action(description="+SUM(1,2)", due_on=date(2099, 1, 2))
    make_action(description="-1+1", due_on=date(2099, 1, 3))
    make_action(description="@A1", due_on=date(2099, 1, 4))
    make_action(source="dip_sample", description="Left out by the filter", due_on=date(2099, 1, 5))
    lead = login_as(Role.QA_LEAD)
    response = client.get("/actions/export.csv?source=audit")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    descriptions = [r[5] for r in rows[1:]]
    assert descriptions == [
        '\'=HYPERLINK("http://evil.example","Click")',
        "'+SUM(1,2)",
        "'-1+1",
        "'@A1",
    ]
    entry = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "action.exported")
    ).one()
    assert entry.actor_id == lead.id
    assert entry.after == {"format": "csv", "rows": 4, "filters": {"source": "audit"}}


def test_qa_lead_is_prompted_when_all_actions_of_an_audit_are_done(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit(reference="QA-2024-0042")
    make_action(audit_id=audit.id, done=True)
    last = make_action(audit_id=audit.id)
    lead = login_as(Role.QA_LEAD)
    # The prompt: the audit to schedule a closing-the-loop audit for (or to dismiss).
    prompt = f'href="/closing-the-loop/{audit.id}/schedule"'
    assert prompt not in html(client.get("/"))
    response = client.post(f"/actions/{last.id}/done", data={"note": "Done", "version": "1"})
    assert response.status_code == 302
    page = html(client.get("/"))
    assert prompt in page
    assert f'href="/audits/{audit.id}"' in page
    assert lead.has_role(Role.QA_LEAD)
