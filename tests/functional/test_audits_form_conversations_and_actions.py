"""The audit's feedback conversations and actions through the test client: adding and
removing them, and an action's owner chosen from active people who may see the audit."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from qa_audit.audits.models import Audit
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.extensions import db
from tests import factories
from tests.functional.audit_form_pages import TODAY, fresh, summary_links, text_of


def test_add_and_remove_a_feedback_conversation(client: FlaskClient, audit: Audit) -> None:
    url = f"/audits/{audit.id}/sections/feedback"
    data = {
        "version": str(audit.version),
        "op": "add_feedback",
        "feedback-who": "father",
        "feedback-how": "visit",
    }
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert summary_links(text_of(response)) == [
        ("#feedback-said", "Enter what they said"),
        ("#feedback-tone", "Select whether the feedback was positive or constructive"),
    ]
    # what was typed is still there
    assert 'name="feedback-who" type="radio" value="father" checked' in text_of(response)
    data.update(
        {
            "version": str(fresh(audit).version),
            "feedback-said": "I finally feel heard",
            "feedback-tone": "positive",
            "feedback-consent": "y",
        }
    )
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == url
    saved = fresh(audit)
    [conversation] = saved.feedback
    assert (conversation.who, conversation.said, conversation.consent_to_quote) == (
        "father",
        "I finally feel heard",
        True,
    )
    page = text_of(client.get(url))
    assert "I finally feel heard" in page
    assert "Father" in page
    assert f'value="remove_feedback:{conversation.id}"' in page
    response = client.post(
        url, data={"version": str(saved.version), "op": f"remove_feedback:{conversation.id}"}
    )
    assert response.status_code == 302
    assert fresh(audit).feedback == []
    assert [e.action for e in history(saved)][-2:] == [
        "audit.feedback_added",
        "audit.feedback_removed",
    ]


def test_add_and_remove_an_action(client: FlaskClient, audit: Audit) -> None:
    owner = factories.user(Role.SERVICE_MANAGER, name="Olu Owner", area_key="locality")
    db.session.commit()
    url = f"/audits/{audit.id}/sections/actions"
    past = TODAY - timedelta(days=1)
    data = {
        "version": str(audit.version),
        "op": "add_action",
        "action-description": "Hold a strategy meeting",
        "action-owner_id": str(owner.id),
        "action-due_on": [str(past.day), str(past.month), str(past.year)],
    }
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert summary_links(text_of(response)) == [
        ("#action-due_on-day", "The due date must be today or in the future")
    ]
    assert 'id="action-due_on-day" name="action-due_on" type="text" value="' in text_of(response)
    assert "Hold a strategy meeting</textarea>" in text_of(response)
    data["version"] = str(fresh(audit).version)
    data["action-due_on"] = ["31", "2", "2030"]
    response = client.post(url, data=data)
    assert summary_links(text_of(response)) == [
        ("#action-due_on-day", "The due date must be a real date")
    ]
    data["action-due_on"] = [str(TODAY.day), str(TODAY.month), str(TODAY.year)]
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == url
    [action] = fresh(audit).actions
    assert (action.description, action.owner_id, action.due_on) == (
        "Hold a strategy meeting",
        owner.id,
        TODAY,
    )
    page = text_of(client.get(url))
    assert "Hold a strategy meeting" in page
    assert "Olu Owner" in page
    response = client.post(
        url, data={"version": str(fresh(audit).version), "op": f"remove_action:{action.id}"}
    )
    assert response.status_code == 302
    assert fresh(audit).actions == []


def test_the_action_owner_is_chosen_from_active_users(client: FlaskClient, audit: Audit) -> None:
    factories.user(Role.MODERATOR, name="Gone Person", active=False)
    factories.user(Role.MODERATOR, name="Here Person")
    db.session.commit()
    page = text_of(client.get(f"/audits/{audit.id}/sections/actions"))
    owner_select = page.split('id="action-owner_id"', 1)[1].split("</select>", 1)[0]
    assert "Here Person" in owner_select
    assert "Gone Person" not in owner_select


def test_the_action_owner_is_someone_who_may_see_the_audit(
    client: FlaskClient, audit: Audit
) -> None:
    """Finding: the owner list offered every user, so a viewer could be made owner."""
    may = [
        factories.user(Role.MODERATOR, name="Mo Moderator"),
        factories.user(Role.QA_LEAD, name="Quinn Lead"),
        factories.user(Role.SERVICE_MANAGER, name="Sam Here", area_key="locality"),
    ]
    may_not = [
        factories.user(Role.VIEWER, name="Val Viewer", area_key="locality"),
        factories.user(Role.ADMIN, name="Ada Admin"),
        factories.user(Role.AUDITOR, name="Otto Other", area_key="locality"),
        factories.user(Role.SERVICE_MANAGER, name="Sam Elsewhere", area_key="fostering"),
    ]
    db.session.commit()
    page = text_of(client.get(f"/audits/{audit.id}/sections/actions"))
    owner_select = page.split('id="action-owner_id"', 1)[1].split("</select>", 1)[0]
    assert all(person.name in owner_select for person in may)
    assert not any(person.name in owner_select for person in may_not)
    viewer = may_not[0]
    data = {
        "version": str(audit.version),
        "op": "add_action",
        "action-description": "Visit the family",
        "action-owner_id": str(viewer.id),
        "action-due_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year + 1)],
    }
    response = client.post(f"/audits/{audit.id}/sections/actions", data=data)
    assert response.status_code == 400
    assert fresh(audit).actions == []
