"""The auditor sees the outcome and rationale (home page, outcome page, the partial for the
audit page, e-mail through a real SMTP server on loopback); the service manager's
reflective conversations."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes
from email.message import Message
from html import unescape

import pytest
from aiosmtpd.controller import Controller
from flask import render_template_string
from sqlalchemy import select

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.actions.models import Action
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.moderation.models import ReflectiveConversation
from qa_audit.moderation.reflective import open_reflective_conversation
from tests import factories
from tests.factories import moderation as mf
from tests.functional.moderation_pages import agree_form, sign_in
from tests.page_text import without_per_request_values


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def regraded(auditor):  # type: ignore[no-untyped-def]
    audit = factories.audit(auditor=auditor, reference="Q-OUT", overall="good")
    return mf.completed(
        audit,
        moderator_user=mf.moderator(name="Mo Moderator"),
        overall="requires_improvement",
        grades={"plans_and_planning": "requires_improvement"},
        rationale="Plans lack timescales; impact unclear.",
    )


def test_the_auditor_sees_outcomes_on_their_home_page(login_as, client, db) -> None:
    me = login_as(Role.AUDITOR)
    moderation = regraded(me)
    someone_else = factories.audit(reference="Q-NOT-MINE")
    mf.completed(someone_else, moderator_user=mf.moderator(), overall="good")
    db.session.commit()
    page = text(client.get("/"))
    section = page.split("Moderation outcomes of your audits")[1]
    assert "Q-OUT Good Requires improvement to be good Downgraded 1 May 2024" in section
    assert "Q-NOT-MINE" not in page
    assert f'/moderation/outcome/{moderation.audit_id}"' in client.get("/").get_data(as_text=True)
    outcome = text(client.get(f"/moderation/outcome/{moderation.audit_id}"))
    assert "Moderation outcome" in outcome
    assert "Downgraded" in outcome
    assert "Plans lack timescales; impact unclear." in outcome
    assert "Plans and Planning Good Requires improvement to be good Regraded" in outcome
    assert "Mo Moderator" in outcome


@pytest.mark.parametrize(
    ("roles", "area", "status"),
    [
        # 404 as for an audit that does not exist: a 403 would confirm the number is used.
        ((Role.AUDITOR,), None, 404),  # another auditor
        ((Role.VIEWER,), None, 404),
        ((Role.SERVICE_MANAGER,), "fostering", 404),
        ((Role.SERVICE_MANAGER,), "locality", 200),
        ((Role.MODERATOR,), None, 200),
        ((Role.QA_LEAD,), None, 200),
    ],
)
def test_who_may_see_an_outcome(login_as, client, db, roles, area, status) -> None:
    moderation = regraded(factories.user(Role.AUDITOR))
    db.session.commit()
    login_as(*roles, area_key=area)
    assert client.get(f"/moderation/outcome/{moderation.audit_id}").status_code == status


def test_a_refused_outcome_answers_as_missing_and_is_logged_as_refused(
    login_as, client, db
) -> None:
    moderation = regraded(factories.user(Role.AUDITOR))
    db.session.commit()
    nosy = login_as(Role.AUDITOR)
    refused = client.get(f"/moderation/outcome/{moderation.audit_id}")
    missing = client.get(f"/moderation/outcome/{moderation.audit_id + 1000}")
    assert refused.status_code == missing.status_code == 404
    pages = [without_per_request_values(r.get_data(as_text=True)) for r in (refused, missing)]
    assert pages[0] == pages[1]
    entry = db.session.scalars(
        select(AccessLogEntry).order_by(AccessLogEntry.id.desc()).limit(1)
    ).one()
    # The missing audit logs nothing: the last row is the refusal.
    assert (entry.user_id, entry.action, entry.entity_id) == (
        nosy.id,
        "refused",
        str(moderation.audit_id),
    )


def test_the_partial_renders_for_any_page_given_an_audit(app, db) -> None:
    moderation = regraded(factories.user(Role.AUDITOR))
    waiting = mf.selected(factories.audit(), due_on=date(2024, 5, 20))
    plain = factories.audit()
    template = '{% include "moderation/_outcome.html" ignore missing %}'
    with app.test_request_context():
        shown = render_template_string(template, audit=moderation.audit)
        assert "Downgraded" in shown
        assert "Plans lack timescales; impact unclear." in shown
        assert "selected for moderation, due by 20 May 2024" in render_template_string(
            template, audit=waiting.audit
        )
        assert render_template_string(template, audit=plain).strip() == ""


class Inbox:
    """An SMTP handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app) -> Iterator[Inbox]:  # type: ignore[no-untyped-def]
    """A real SMTP server on loopback, and the app configured to send through it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", port
    try:
        yield inbox
    finally:
        app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = saved
        controller.stop()


def test_completing_a_moderation_emails_the_auditor(smtp_server, login_as, client, db) -> None:
    login_as(Role.MODERATOR, name="Mo Moderator")
    auditor = factories.user(Role.AUDITOR, name="Ada Auditor", email="ada@example.org")
    audit = factories.audit(auditor=auditor, reference="Q-MAIL", overall="good")
    moderation = mf.selected(audit)
    db.session.commit()
    data = agree_form(
        1,
        overall_decision="regrade",
        overall_grade="outstanding",
        overall_rationale="Exceptional impact for the child",
    )
    assert client.post(f"/moderation/{moderation.id}", data=data).status_code == 302
    [message] = smtp_server.messages
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Moderation of audit Q-MAIL: upgraded"
    body = message.get_payload(decode=True).decode()
    assert "Outcome: Upgraded" in body
    assert "Exceptional impact for the child" in body
    assert "Your overall grade: Good" in body
    assert "Moderated overall grade: Outstanding" in body
    assert f"http://localhost/moderation/outcome/{audit.id}" in body


def test_saving_progress_sends_no_email(smtp_server, login_as, client, db) -> None:
    login_as(Role.MODERATOR)
    moderation = mf.selected(factories.audit())
    db.session.commit()
    data = {"version": "1", "save": "y", "d_assessment_decision": "agree"}
    assert client.post(f"/moderation/{moderation.id}", data=data).status_code == 302
    assert smtp_server.messages == []


def test_no_email_without_smtp_and_the_outcome_still_saves(login_as, client, db, app) -> None:
    assert not app.config["MAIL_SERVER"]
    login_as(Role.MODERATOR)
    moderation = mf.selected(factories.audit())
    db.session.commit()
    assert client.post(f"/moderation/{moderation.id}", data=agree_form(1)).status_code == 302


def test_the_service_manager_sees_and_records_a_reflective_conversation(
    app, login_as, client, db
) -> None:
    manager = login_as(Role.SERVICE_MANAGER, area_key="locality")
    audit = factories.audit(overall="inadequate", reference="Q-REFLECT")
    moderation = mf.completed(
        audit, moderator_user=mf.moderator(), overall="inadequate", moderated_on=date(2024, 5, 1)
    )
    conversation = open_reflective_conversation(None, moderation)
    db.session.commit()
    home = text(client.get("/"))
    section = home.split("Reflective conversations due")[1]
    assert "Q-REFLECT" in section
    assert "16 May 2024" in section
    assert "Overdue" in section
    url = f"/moderation/reflective-conversations/{conversation.id}"
    assert "Record the conversation" in text(client.get(url))
    held = local_today() - timedelta(days=2)
    due = local_today() + timedelta(days=20)
    bad = client.post(
        url, data={"version": "1", "held_on": ["", "", ""], "participants": "", "learning": ""}
    )
    assert bad.status_code == 400
    assert "Enter the date the conversation was held" in text(bad)
    assert "Say who took part" in text(bad)
    partial = client.post(
        url,
        data={
            "version": "1",
            "held_on": [str(held.day), str(held.month), str(held.year)],
            "participants": "SM, TM",
            "learning": "L",
            "action_1_description": "Do it",
            "action_1_due_on": ["31", "", ""],
        },
    )
    assert partial.status_code == 400
    assert "Enter a real date" in text(partial)
    response = client.post(
        url,
        data={
            "version": "1",
            "held_on": [str(held.day), str(held.month), str(held.year)],
            "participants": "Service manager, team manager, auditor",
            "learning": "Risk not reassessed after a change in the household",
            "action_1_description": "Reassess risk with the new partner",
            "action_1_due_on": [str(due.day), str(due.month), str(due.year)],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(ReflectiveConversation, conversation.id)
    assert stored.status == "held"
    assert stored.held_on == held
    [action] = db.session.scalars(
        select(Action).where(Action.reflective_conversation_id == conversation.id)
    ).all()
    assert (action.source, action.owner_id, action.due_on) == (
        "reflective_conversation",
        manager.id,
        due,
    )
    page = text(client.get(url))
    assert "Reassess risk with the new partner" in page
    assert "Held" in page
    assert "Q-REFLECT" not in text(client.get("/")).split("Reflective conversations due")[1]
    listing = text(client.get("/moderation/reflective-conversations"))
    assert "Q-REFLECT" in listing
    assert "1 (1 open)" in listing


def test_another_areas_service_manager_cannot_open_it(app, login_as, client, db) -> None:
    login_as(Role.SERVICE_MANAGER, area_key="fostering")
    audit = factories.audit(overall="inadequate", area_key="locality")
    moderation = mf.completed(audit, moderator_user=mf.moderator(), overall="inadequate")
    conversation = open_reflective_conversation(None, moderation)
    db.session.commit()
    assert client.get(f"/moderation/reflective-conversations/{conversation.id}").status_code == 404
    moderator = mf.moderator()
    db.session.commit()
    other = app.test_client()
    sign_in(other, moderator)
    page = other.get(f"/moderation/reflective-conversations/{conversation.id}")
    assert page.status_code == 200
    assert "Record the conversation" not in text(page)


def test_inadequate_maintained_emails_the_areas_service_managers(
    smtp_server, login_as, client, db
) -> None:
    login_as(Role.MODERATOR)
    factories.user(Role.SERVICE_MANAGER, area_key="locality", email="sm@example.org")
    factories.user(Role.SERVICE_MANAGER, area_key="fostering", email="other-sm@example.org")
    auditor = factories.user(Role.AUDITOR, email="auditor@example.org")
    audit = factories.audit(auditor=auditor, overall="inadequate", reference="Q-INAD")
    moderation = mf.selected(audit, priority="high")
    db.session.commit()
    assert client.post(f"/moderation/{moderation.id}", data=agree_form(1)).status_code == 302
    to_auditor, to_managers = smtp_server.messages
    assert to_auditor["To"] == "auditor@example.org"
    assert to_auditor["Subject"] == "Moderation of audit Q-INAD: upheld"
    assert to_managers["To"] == "sm@example.org"
    assert to_managers["Subject"].startswith("Reflective conversation due by ")
    assert to_managers["Subject"].endswith(": audit Q-INAD")
    conversation = db.session.scalar(
        select(ReflectiveConversation).where(ReflectiveConversation.audit_id == audit.id)
    )
    body = to_managers.get_payload(decode=True).decode()
    assert f"/moderation/reflective-conversations/{conversation.id}" in body


def test_moderator_and_qa_lead_home_sections(app, login_as, client, db) -> None:
    me = login_as(Role.MODERATOR, Role.QA_LEAD)
    mf.selected(factories.audit(reference="Q-HOME-1"), due_on=date(2020, 2, 3), moderator_user=me)
    mf.selected(factories.audit(reference="Q-HOME-2"), due_on=date(2099, 2, 3))
    audit = factories.audit(overall="inadequate")
    moderation = mf.completed(
        audit, moderator_user=mf.moderator(), overall="inadequate", moderated_on=date(2020, 1, 6)
    )
    open_reflective_conversation(None, moderation)
    db.session.commit()
    page = text(client.get("/"))
    mine = page.split("Moderation assigned to you (1)")[1].split("Open the moderation queue")[0]
    assert "Q-HOME-1 Normal 3 February 2020 Overdue" in mine
    assert "Q-HOME-2" not in mine
    # QA lead: 2 waiting, 1 overdue; 1 reflective conversation due, overdue.
    overview = page.split("Overdue Reflective conversations due Of which overdue")[1]
    assert overview.split()[:4] == ["2", "1", "1", "1"]
