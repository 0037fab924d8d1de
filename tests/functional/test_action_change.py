"""The QA lead changes an open action: its wording, its owner (an owner who has left would
leave it with nobody to do it) or its due date. A new owner must be able to see what the
action was set on; a change made over someone else's is refused; a done action stays as it
was. Nothing could change an action before: update_action had no page."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from sqlalchemy import select

from qa_audit.actions.models import Action
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from tests import factories
from tests.factories.actions import action as make_action


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def form(action: Action, owner_id: int, due_on: date, **changes: str) -> dict[str, object]:
    return {
        "description": changes.get("description", action.description),
        "owner_id": str(owner_id),
        "due_on": [str(due_on.day), str(due_on.month), str(due_on.year)],
        "version": changes.get("version", str(action.version)),
    }


def test_the_qa_lead_hands_an_action_to_someone_who_may_see_it(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.QA_LEAD, name="Quinn Lead")
    leaver = factories.user(Role.AUDITOR, name="Lee Leaver")
    action = make_action(owner=leaver, description="Update the plan", due_on=date(2099, 1, 31))
    stranger = factories.user(Role.AUDITOR, name="Sid Stranger")  # cannot see the audit
    db.session.commit()

    centre = client.get("/actions").get_data(as_text=True)
    assert f'href="/actions/{action.id}/change"' in centre
    page = client.get(f"/actions/{action.id}/change")
    assert page.status_code == 200
    owners = re.findall(r"<option[^>]*>([^<]+)</option>", page.get_data(as_text=True))
    assert "Quinn Lead" in owners
    assert "Lee Leaver" in owners
    assert "Sid Stranger" not in owners

    done = client.post(
        f"/actions/{action.id}/change",
        data=form(action, lead.id, date(2099, 3, 1), description="Update the child's plan"),
    )
    assert done.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Action, action.id)
    assert (changed.owner_id, changed.due_on, changed.description) == (
        lead.id,
        date(2099, 3, 1),
        "Update the child's plan",
    )
    entry = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "action.updated")
    ).one()
    assert (entry.before["owner_id"], entry.after["owner_id"]) == (leaver.id, lead.id)
    assert stranger.id not in (entry.before["owner_id"], entry.after["owner_id"])


def test_an_owner_who_cannot_see_the_audit_is_refused(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    action = make_action(description="Update the plan", due_on=date(2099, 1, 31))
    stranger = factories.user(Role.AUDITOR, name="Sid Stranger")
    db.session.commit()
    owner_before = action.owner_id
    refused = client.post(
        f"/actions/{action.id}/change", data=form(action, stranger.id, action.due_on)
    )
    assert refused.status_code == 400
    page = text(refused)
    assert "There is a problem" in page
    assert "Sid Stranger cannot see this audit: choose an owner who can" in page
    db.session.expire_all()
    assert db.session.get(Action, action.id).owner_id == owner_before


def test_a_change_over_someone_elses_is_refused(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.QA_LEAD)
    action = make_action(description="Update the plan", due_on=date(2099, 1, 31))
    db.session.commit()
    opened_at = str(action.version)
    assert (
        client.post(
            f"/actions/{action.id}/change",
            data=form(action, action.owner_id, date(2099, 2, 1)),
        ).status_code
        == 302
    )
    stale = client.post(
        f"/actions/{action.id}/change",
        data=form(action, lead.id, date(2099, 4, 1), version=opened_at),
    )
    assert stale.status_code == 400
    assert "Someone else changed this action since you opened it" in text(stale)
    db.session.expire_all()
    assert db.session.get(Action, action.id).due_on == date(2099, 2, 1)


def test_a_done_action_is_not_changed(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.QA_LEAD)
    action = make_action(description="Update the plan", done=True)
    db.session.commit()
    page = client.get(f"/actions/{action.id}/change")
    assert "This action is done" in text(page)
    assert 'name="owner_id"' not in page.get_data(as_text=True)
    refused = client.post(
        f"/actions/{action.id}/change", data=form(action, lead.id, date(2099, 4, 1))
    )
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(Action, action.id).owner_id != lead.id


def test_only_the_qa_lead_changes_actions(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    owner = login_as(Role.AUDITOR)
    action = make_action(owner=owner)
    db.session.commit()
    assert client.get(f"/actions/{action.id}/change").status_code == 403
