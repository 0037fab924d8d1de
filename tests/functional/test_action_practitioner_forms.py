"""Every form that sets an action names, optionally, a practitioner who is not a user ("the
child's social worker", by role, with a name): the audit's actions section, a dip sample's
action form and a reflective conversation's remedial actions. The owner stays responsible."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.actions.models import Action
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.dip_samples import services as dip
from qa_audit.moderation.reflective import open_reflective_conversation
from tests import factories
from tests.factories import moderation as mf
from tests.factories.audits import started

TODAY = local_today()
DUE = TODAY + timedelta(days=30)
DUE_PARTS = [str(DUE.day), str(DUE.month), str(DUE.year)]
DONE_BY = "The child's social worker (Sam Lee)"
RESPONSIBLE = "Olu Owner, responsible for the child's social worker (Sam Lee)"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def summary_links(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(href, text) of each link in the GOV.UK error summary."""
    html = unescape(response.get_data(as_text=True))
    box = html.split('class="govuk-error-summary"', 1)
    assert len(box) == 2, "no error summary on the page"
    body = box[1].split("</ul>", 1)[0]
    return [
        (href, " ".join(label.split()))
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', body, re.S)
    ]


def owner(area_key: str = "locality") -> User:
    return factories.user(Role.SERVICE_MANAGER, name="Olu Owner", area_key=area_key)


def sign_in_as(client: FlaskClient, user: User) -> None:
    client.post("/sign-out")
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def assert_owner_is_told_they_are_responsible(client: FlaskClient, person: User) -> None:
    sign_in_as(client, person)
    mine = text(client.get("/my-actions"))
    assert "Done by the child's social worker (Sam Lee); you are responsible" in mine


def the_action(**where: object) -> Action:
    db.session.expire_all()
    [action] = db.session.scalars(select(Action).filter_by(**where)).all()
    return action


# --- the audit's actions section --------------------------------------------------------------


def audit_action(audit: Audit, person: User, **practitioner: str) -> dict[str, object]:
    db.session.expire_all()
    version = db.session.get(Audit, audit.id).version  # type: ignore[union-attr]
    return {
        "version": str(version),
        "op": "add_action",
        "action-description": "Update the child's plan with the new partner",
        "action-owner_id": str(person.id),
        "action-due_on": DUE_PARTS,
        **{f"action-{key}": value for key, value in practitioner.items()},
    }


def test_the_audit_sets_an_action_done_by_a_practitioner(client, login_as) -> None:  # type: ignore[no-untyped-def]
    auditor = login_as(Role.AUDITOR, name="Alex Auditor")
    audit = started(auditor, audit_date=TODAY - timedelta(days=3), today=TODAY)
    responsible = owner()
    db.session.commit()
    url = f"/audits/{audit.id}/sections/actions"
    form = text(client.get(url))
    assert "Done by a practitioner who is not a user (optional)" in form
    assert "Another practitioner" in form
    data = audit_action(
        audit, responsible, practitioner_role="social_worker", practitioner_name=" Sam Lee "
    )
    assert client.post(url, data=data).status_code == 302
    action = the_action(audit_id=audit.id)
    assert (action.owner_id, action.practitioner) == (responsible.id, DONE_BY)
    added = [
        e for e in history(db.session.get(Audit, audit.id)) if e.action == "audit.action_added"
    ]
    assert added[-1].after["done_by"] == DONE_BY
    assert RESPONSIBLE in text(client.get(url))
    assert RESPONSIBLE in text(client.get(f"/audits/{audit.id}/check"))
    assert RESPONSIBLE in text(client.get(f"/audits/{audit.id}"))
    assert_owner_is_told_they_are_responsible(client, responsible)


def test_another_practitioner_needs_a_name_and_the_audits_action_is_kept(client, login_as) -> None:  # type: ignore[no-untyped-def]
    auditor = login_as(Role.AUDITOR, name="Alex Auditor")
    audit = started(auditor, audit_date=TODAY - timedelta(days=3), today=TODAY)
    responsible = owner()
    db.session.commit()
    url = f"/audits/{audit.id}/sections/actions"
    data = audit_action(audit, responsible, practitioner_role="other", practitioner_name="")
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert summary_links(response) == [
        ("#action-practitioner_name", "Enter the practitioner's name")
    ]
    page = unescape(response.get_data(as_text=True))
    assert "Update the child's plan with the new partner</textarea>" in page
    assert '<option value="other" selected>' in page
    db.session.expire_all()
    assert db.session.get(Audit, audit.id).actions == []  # type: ignore[union-attr]


# --- a dip sample's action ----------------------------------------------------------------------


def dip_sample(lead: User):  # type: ignore[no-untyped-def]
    sample = dip.create_dip_sample(
        lead,
        title="Repeat child protection plans",
        service_areas=[factories.service_area("locality")],
        period_from=TODAY.strftime("%Y-%m"),
        period_to=TODAY.strftime("%Y-%m"),
        sample_unit="families",
        sample_size=4,
        lead_auditors=[lead],
    )
    db.session.commit()
    return sample


def dip_action(person: User, **practitioner: str) -> dict[str, object]:
    return {
        "description": "Share the learning at the practice forum",
        "owner_id": str(person.id),
        "due_on": DUE_PARTS,
        **practitioner,
    }


def test_a_dip_sample_sets_an_action_done_by_a_practitioner(client, login_as) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.AUDITOR)
    responsible = owner()
    sample = dip_sample(lead)
    url = f"/dip-samples/{sample.id}"
    assert "Done by a practitioner who is not a user (optional)" in text(client.get(url))
    data = dip_action(responsible, practitioner_role="social_worker", practitioner_name="Sam Lee")
    assert client.post(f"{url}/actions", data=data).status_code == 302
    action = the_action(dip_sample_id=sample.id)
    assert (action.owner_id, action.practitioner) == (responsible.id, DONE_BY)
    added = history(action)[0]
    assert (added.after["practitioner_role"], added.after["practitioner_name"]) == (
        "social_worker",
        "Sam Lee",
    )
    assert RESPONSIBLE in text(client.get(url))
    assert_owner_is_told_they_are_responsible(client, responsible)


def test_another_practitioner_needs_a_name_and_the_dip_samples_action_is_kept(
    client, login_as
) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.AUDITOR)
    responsible = owner()
    sample = dip_sample(lead)
    data = dip_action(responsible, practitioner_role="other")
    response = client.post(f"/dip-samples/{sample.id}/actions", data=data)
    assert response.status_code == 400
    assert summary_links(response) == [("#practitioner_name", "Enter the practitioner's name")]
    assert "Share the learning at the practice forum</textarea>" in unescape(
        response.get_data(as_text=True)
    )
    db.session.expire_all()
    assert db.session.scalars(select(Action).filter_by(dip_sample_id=sample.id)).all() == []


# --- a reflective conversation's remedial actions ------------------------------------------


def conversation_in(area_key: str = "locality"):  # type: ignore[no-untyped-def]
    audit = factories.audit(overall="inadequate", reference="Q-REFLECT")
    moderation = mf.completed(
        audit, moderator_user=mf.moderator(), overall="inadequate", moderated_on=date(2024, 5, 1)
    )
    conversation = open_reflective_conversation(None, moderation)
    db.session.commit()
    return conversation


def held(**remedial: object) -> dict[str, object]:
    when = TODAY - timedelta(days=2)
    return {
        "version": "1",
        "held_on": [str(when.day), str(when.month), str(when.year)],
        "participants": "Service manager, team manager, auditor",
        "learning": "Risk not reassessed after a change in the household",
        "action_1_description": "Reassess risk with the new partner",
        "action_1_due_on": DUE_PARTS,
        **{f"action_1_{key}": value for key, value in remedial.items()},
    }


def test_a_reflective_conversation_sets_a_remedial_action_done_by_a_practitioner(
    client, login_as
) -> None:  # type: ignore[no-untyped-def]
    manager = login_as(Role.SERVICE_MANAGER, name="Olu Owner", area_key="locality")
    conversation = conversation_in()
    url = f"/moderation/reflective-conversations/{conversation.id}"
    form = text(client.get(url))
    assert "Remedial action 1: done by a practitioner who is not a user (optional)" in form
    data = held(practitioner_role="social_worker", practitioner_name="Sam Lee")
    assert client.post(url, data=data).status_code == 302
    action = the_action(reflective_conversation_id=conversation.id)
    assert (action.owner_id, action.practitioner) == (manager.id, DONE_BY)
    created = history(action)[0]
    assert (created.after["practitioner_role"], created.after["practitioner_name"]) == (
        "social_worker",
        "Sam Lee",
    )
    assert RESPONSIBLE in text(client.get(url))
    assert_owner_is_told_they_are_responsible(client, manager)


def test_another_practitioner_needs_a_name_and_the_remedial_action_is_kept(
    client, login_as
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.SERVICE_MANAGER, area_key="locality")
    conversation = conversation_in()
    url = f"/moderation/reflective-conversations/{conversation.id}"
    response = client.post(url, data=held(practitioner_role="other"))
    assert response.status_code == 400
    assert summary_links(response) == [
        ("#action_1_practitioner_name", "Enter the practitioner's name for remedial action 1")
    ]
    assert "Reassess risk with the new partner</textarea>" in unescape(
        response.get_data(as_text=True)
    )
    db.session.expire_all()
    assert (
        db.session.scalars(
            select(Action).filter_by(reflective_conversation_id=conversation.id)
        ).all()
        == []
    )


def test_a_practitioner_without_a_remedial_action_is_refused(client, login_as) -> None:  # type: ignore[no-untyped-def]
    """A role chosen in a slot whose action is left blank is not silently dropped."""
    login_as(Role.SERVICE_MANAGER, area_key="locality")
    conversation = conversation_in()
    url = f"/moderation/reflective-conversations/{conversation.id}"
    data = held()
    data.update(action_1_description="", action_1_due_on=["", "", ""])
    data["action_2_practitioner_role"] = "social_worker"
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert summary_links(response) == [("#action_2_description", "Describe remedial action 2")]
