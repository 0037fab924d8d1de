"""A safeguarding concern's age in working days, and `qa-audit safeguarding escalate`: a
concern not acknowledged within QA_AUDIT_SAFEGUARDING_ACK_DAYS working days is
e-mailed (through a real SMTP server on loopback) to its area's service managers and the QA
leads, once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qa_audit.audits.safeguarding import services as safeguarding
from qa_audit.audits.safeguarding.escalation import acknowledgement_due, age
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.clock import LOCAL_TZ
from qa_audit.core.extensions import db as _db
from tests import factories, smtp_inbox

# Friday 12 April 2024, 10:00 in England (09:00 UTC, British Summer Time).
RAISED = datetime(2024, 4, 12, 9, 0, tzinfo=UTC)

# The real SMTP server on loopback that the tests' e-mails go to.
inbox = smtp_inbox.inbox


def escalate(app, now: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["safeguarding", "escalate", "--now", now])


def concern_raised(at: datetime = RAISED, area_key: str = "locality", case_ref: str = "CR700001"):  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor, area_key=area_key, case_ref=case_ref)
    concern = safeguarding.raise_concern(auditor, audit, "Bruising not followed up")
    concern.raised_at = at
    _db.session.flush()
    return concern


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 4, 12), "Raised today"),
        (date(2024, 4, 13), "Raised less than a working day ago"),  # Saturday
        (date(2024, 4, 15), "Raised 1 working day ago"),  # Monday
        (date(2024, 4, 18), "Raised 4 working days ago"),
    ],
)
def test_a_concerns_age_is_in_working_days(app, today, expected) -> None:  # type: ignore[no-untyped-def]
    assert age(RAISED, today) == expected


def test_bank_holidays_do_not_count(app) -> None:  # type: ignore[no-untyped-def]
    # Thursday before Easter 2024: Good Friday and Easter Monday are bank holidays.
    raised = datetime(2024, 3, 28, 10, 0, tzinfo=UTC)
    assert age(raised, date(2024, 4, 2)) == "Raised 1 working day ago"
    due = acknowledgement_due(raised, 1)
    assert due.astimezone(LOCAL_TZ).date() == date(2024, 4, 2)


def test_an_unacknowledged_concern_is_escalated_once_to_managers_and_qa_leads(
    app, db, inbox
) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.SERVICE_MANAGER, email="sm@example.org", area_key="locality")
    factories.user(Role.SERVICE_MANAGER, email="elsewhere@example.org", area_key="front_door")
    lead = factories.user(Role.QA_LEAD, email="lead@example.org")
    late = concern_raised()
    taken_on = concern_raised(case_ref="CR700002")
    safeguarding.acknowledge_concern(lead, taken_on)
    _db.session.commit()
    inbox.clear()  # the e-mails of the concerns being raised

    # One working day after Friday 10:00 is Monday 10:00 (the council's time).
    early = escalate(app, "2024-04-15T09:59")
    assert early.exit_code == 0, early.output
    assert "0 safeguarding concern(s) not acknowledged within 1 working day escalated" in (
        early.output
    )
    assert inbox.messages == []

    result = escalate(app, "2024-04-15T10:01")
    assert result.exit_code == 0, result.output
    assert "1 safeguarding concern(s)" in result.output
    (message,) = inbox.messages
    assert inbox.recipients == [["lead@example.org", "sm@example.org"]]
    assert message["Subject"] == "Safeguarding concern not acknowledged: case CR700001"
    body = message.get_content()
    assert "not been acknowledged within 1 working day" in body
    assert "Bruising" not in body  # the concern itself stays in the service
    _db.session.refresh(late)
    assert late.escalated_at is not None
    assert history(late)[-1].action == "safeguarding_concern.escalated"

    again = escalate(app, "2024-04-16T10:00")
    assert "0 safeguarding concern(s)" in again.output
    assert len(inbox.messages) == 1


def test_the_time_allowed_is_a_setting(app, db, inbox, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "SAFEGUARDING_ACK_WORKING_DAYS", 2)
    concern_raised()
    _db.session.commit()
    inbox.clear()
    assert "0 safeguarding concern(s) not acknowledged within 2 working days" in (
        escalate(app, "2024-04-15T10:01").output
    )
    assert "1 safeguarding concern(s)" in escalate(app, "2024-04-16T10:01").output


def test_the_page_and_home_say_a_concern_was_not_acknowledged_in_time(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    concern = concern_raised()
    login_as(Role.SERVICE_MANAGER, area_key="locality")
    _db.session.commit()
    page = client.get(f"/audits/{concern.audit_id}/safeguarding").get_data(as_text=True)
    assert "Not acknowledged in time" in page
    assert "working days ago" in page
    assert "Not acknowledged in time" in client.get("/").get_data(as_text=True)


def test_without_smtp_nothing_is_escalated(app, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    concern = concern_raised()
    result = escalate(app, "2024-04-16T10:00")
    assert result.exit_code == 0
    assert result.output.startswith("SMTP is not configured (QA_AUDIT_SMTP_HOST)")
    assert concern.escalated_at is None


def test_a_bad_moment_is_refused(app, db, inbox) -> None:  # type: ignore[no-untyped-def]
    result = escalate(app, "16/04/2024")
    assert result.exit_code == 1
    assert "use the form YYYY-MM-DDTHH:MM" in result.output
