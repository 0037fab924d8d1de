"""Safeguarding concerns: who may raise and respond, recorded at once whatever the audit's
status, e-mailed through a real SMTP server to the area's service managers."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from qa_audit.audits.models import SafeguardingConcern
from qa_audit.audits.safeguarding import services as safeguarding
from qa_audit.audits.safeguarding.concern_list import concerns
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.config import Config
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.home.services import sections_for
from tests import factories


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server on loopback, with the app configured through QA_AUDIT_SMTP_*."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("QA_AUDIT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("QA_AUDIT_SMTP_PORT", str(port))
    configured = Config()
    monkeypatch.setitem(app.config, "MAIL_SERVER", configured.MAIL_SERVER)
    monkeypatch.setitem(app.config, "MAIL_PORT", configured.MAIL_PORT)
    try:
        yield inbox
    finally:
        controller.stop()


def test_raising_records_at_once_and_emails_the_areas_service_managers(db, smtp) -> None:
    auditor = factories.user(Role.AUDITOR, name="Alex Auditor")
    audit = factories.audit(auditor=auditor, case_ref="CR555123", status="draft", overall=None)
    manager = factories.user(
        Role.SERVICE_MANAGER, name="Sam Manager", email="sam@example.org", area_key="locality"
    )
    factories.user(
        Role.SERVICE_MANAGER, email="away@example.org", area_key="locality", active=False
    )
    factories.user(Role.SERVICE_MANAGER, email="other@example.org", area_key="front_door")
    factories.user(Role.AUDITOR, email="auditor-in-area@example.org", area_key="locality")

    concern = safeguarding.raise_concern(
        auditor, audit, "Mother's new partner, Jo Bloggs, has a history of violence"
    )
    # Recorded at once, even though the audit is still a draft.
    stored = db.session.scalars(
        select(SafeguardingConcern).where(SafeguardingConcern.audit_id == audit.id)
    ).one()
    assert stored is concern
    assert not concern.resolved
    assert concern.service_area_id == audit.service_area_id
    assert concern.raised_by_id == auditor.id
    assert history(concern)[0].action == "safeguarding_concern.raised"
    assert smtp.messages == []  # nothing is sent before the concern is committed

    db.session.commit()

    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert recipients == ["sam@example.org"]
    assert message["To"] == "sam@example.org"
    assert "CR555123" in message["Subject"]
    body = message.get_content()
    assert "CR555123" in body
    assert audit.reference in body
    assert "Dear Sam Manager" in body
    # No names beyond the recipient's: not the auditor's, and not the concern's own text.
    assert "Alex Auditor" not in body
    assert "Jo Bloggs" not in body
    assert "history of violence" not in body
    assert f"/audits/{audit.id}" in body
    assert manager.name == "Sam Manager"


def test_nothing_is_sent_when_the_transaction_rolls_back(db, smtp) -> None:
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor)
    factories.user(Role.SERVICE_MANAGER, area_key="locality")
    safeguarding.raise_concern(auditor, audit, "Concern")
    db.session.rollback()
    db.session.commit()
    assert smtp.messages == []


def test_without_smtp_configured_the_concern_is_still_recorded(db, app) -> None:
    assert not app.config["MAIL_SERVER"]
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor)
    factories.user(Role.SERVICE_MANAGER, area_key="locality")
    concern = safeguarding.raise_concern(auditor, audit, "Concern")
    db.session.commit()
    assert concern.id is not None


def test_who_may_raise(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor, status="closed")
    assert safeguarding.may_raise(auditor, audit)
    assert safeguarding.may_raise(factories.user(Role.QA_LEAD), audit)
    assert safeguarding.may_raise(factories.user(Role.MODERATOR), audit)
    for outsider in (
        factories.user(Role.AUDITOR),
        factories.user(Role.SERVICE_MANAGER, area_key="locality"),
        factories.user(Role.VIEWER),
        factories.user(Role.ADMIN),
    ):
        with pytest.raises(Forbidden):
            safeguarding.raise_concern(outsider, audit, "Concern")
    # A closed audit still takes a concern.
    assert safeguarding.raise_concern(auditor, audit, "Concern").id is not None


def test_description_is_required(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor)
    with pytest.raises(DomainError) as caught:
        safeguarding.raise_concern(auditor, audit, "   ")
    assert caught.value.field == "description"


def test_the_areas_service_manager_acknowledges_then_resolves_the_concern(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor)
    concern = safeguarding.raise_concern(auditor, audit, "Concern")
    manager = factories.user(Role.SERVICE_MANAGER, area_key="locality")
    for outsider in (
        factories.user(Role.SERVICE_MANAGER, area_key="front_door"),
        factories.user(Role.SERVICE_MANAGER),
        auditor,
        factories.user(Role.MODERATOR),
    ):
        with pytest.raises(Forbidden):
            safeguarding.acknowledge_concern(outsider, concern)
        with pytest.raises(Forbidden):
            safeguarding.resolve_concern(outsider, concern, "plan_updated", "Response")
    safeguarding.acknowledge_concern(manager, concern)
    with pytest.raises(DomainError) as caught:
        safeguarding.resolve_concern(manager, concern, "plan_updated", " ")
    assert caught.value.field == "response"
    assert not concern.resolved

    safeguarding.resolve_concern(
        manager, concern, "strategy_discussion", "Strategy meeting held on 3 June"
    )
    assert concern.resolved
    assert concern.response == "Strategy meeting held on 3 June"
    assert concern.outcome_label == "Strategy discussion held"
    assert concern.responded_by_id == manager.id
    entry = history(concern)[-1]
    assert entry.action == "safeguarding_concern.resolved"
    assert entry.after["response"] == "Strategy meeting held on 3 June"
    # The first resolution stands.
    lead = factories.user(Role.QA_LEAD)
    with pytest.raises(DomainError, match="already been resolved"):
        safeguarding.resolve_concern(lead, concern, "other", "Another", "Something else")
    assert concern.response == "Strategy meeting held on 3 June"


def test_qa_lead_may_acknowledge_and_resolve(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    concern = safeguarding.raise_concern(auditor, factories.audit(auditor=auditor), "Concern")
    lead = factories.user(Role.QA_LEAD)
    safeguarding.acknowledge_concern(lead, concern)
    safeguarding.resolve_concern(lead, concern, "referred", "Referred to the MASH")
    assert concern.resolved


def test_open_concerns_stay_on_the_service_managers_home_page_until_resolved(db, app) -> None:
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor, reference="QA-SG-1")
    concern = safeguarding.raise_concern(auditor, audit, "Concern")
    safeguarding.raise_concern(
        auditor, factories.audit(auditor=auditor, area_key="front_door"), "Elsewhere"
    )
    manager = factories.user(Role.SERVICE_MANAGER, area_key="locality")

    def section():  # type: ignore[no-untyped-def]
        with app.test_request_context():
            ((_role, sections),) = sections_for(manager)
        return next(s for s in sections if s.title == "Open safeguarding concerns")

    open_section = section()
    assert open_section.count == 1
    # One link for the concern: its audit's reference, to respond on the safeguarding page.
    assert open_section.rows[0][0] == (
        f'<a class="govuk-link" href="/audits/{audit.id}/safeguarding"><span '
        'class="govuk-visually-hidden">Respond to the concern on audit </span>QA-SG-1</a>'
    )
    assert open_section.rows[0][1] == audit.case_ref
    assert [link.href for link in open_section.links] == ["/safeguarding-concerns?state=any"]
    safeguarding.acknowledge_concern(manager, concern)
    assert section().count == 1  # acknowledged is still open
    safeguarding.resolve_concern(manager, concern, "already_known", "Done")
    assert section().count == 0
    assert concerns()[1].total == 1  # the other area's concern is still open
