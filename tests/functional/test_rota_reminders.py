"""`qa-audit rota remind`: reminders e-mailed through a real SMTP server on loopback."""

from __future__ import annotations

from datetime import date

from qa_audit.auth.roles import Role
from qa_audit.core import signals
from qa_audit.core.extensions import db as _db
from qa_audit.rota import services as rota
from tests import factories, smtp_inbox
from tests.factories.rota import allocation

TODAY = date(2024, 4, 10)

# The real SMTP server on loopback that the tests' e-mails go to.
inbox = smtp_inbox.inbox


def remind(app, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["rota", "remind", *args])


def test_reminders_are_emailed_once_a_day_to_each_auditor(app, db, inbox) -> None:  # type: ignore[no-untyped-def]
    ann = factories.user(Role.AUDITOR, name="Ann Auditor", email="ann@example.org")
    bob = factories.user(Role.AUDITOR, name="Bob Auditor", email="bob@example.org")
    allocation(auditor=ann, case_ref="CR1111", due_on=date(2024, 4, 9))  # overdue
    allocation(auditor=ann, area_key="fgc", due_on=date(2024, 4, 15))  # in five days
    allocation(auditor=ann, case_ref="CR3333", due_on=date(2024, 4, 16))  # six days: not yet
    allocation(auditor=bob, case_ref="CR4444", due_on=date(2024, 4, 10))  # today
    done = allocation(auditor=bob, case_ref="CR5555", due_on=date(2024, 4, 11))
    audit = factories.audit(auditor=bob, case_ref="CR5555")
    audit.allocation_id = done.id
    signals.audit_submitted.send(audit, actor=bob)
    exempted = allocation(auditor=bob, case_ref="CR6666", due_on=date(2024, 4, 11))
    rota.exempt(None, exempted, reason="Leave", approved_by="PSW")
    _db.session.flush()

    result = remind(app, "--today", "2024-04-10")

    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Reminders e-mailed to 2 of 2 auditor(s) about 3 allocation(s) due within 5 days."
    )
    by_recipient = {m["To"]: m for m in inbox.messages}
    assert sorted(by_recipient) == ["ann@example.org", "bob@example.org"]
    to_ann = by_recipient["ann@example.org"]
    assert to_ann["Subject"] == "Rota reminder: 2 audits due soon"
    body = to_ann.get_content()
    assert (
        "Locality (Children in Need / Child Protection), case CR1111: OVERDUE, was due 9 April 2024"
        in body
    )
    assert "Family Group Conferencing, a case of your choice: due 15 April 2024" in body
    assert "CR3333" not in body
    to_bob = by_recipient["bob@example.org"]
    assert to_bob["Subject"] == "Rota reminder: 1 audit due soon"
    assert "CR4444" in to_bob.get_content()
    assert "CR5555" not in to_bob.get_content()

    again = remind(app, "--today", "2024-04-10")
    assert again.exit_code == 0
    assert "e-mailed to 0 of 0 auditor(s) about 0 allocation(s)" in again.output
    assert len(inbox.messages) == 2

    # The next day Ann's 16 April allocation is within five days too, and Bob's is overdue.
    next_day = remind(app, "--today", "2024-04-11")
    assert "e-mailed to 2 of 2 auditor(s) about 4 allocation(s)" in next_day.output
    assert len(inbox.messages) == 4


def test_without_smtp_nothing_is_sent_or_marked(app, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    mine = allocation(due_on=date(2024, 4, 12))
    _db.session.flush()
    result = remind(app, "--today", "2024-04-10")
    assert result.exit_code == 0
    assert result.output.startswith("SMTP is not configured (QA_AUDIT_SMTP_HOST): no e-mail sent.")
    assert "1 allocation(s) of 1 auditor(s) are due within 5 days" in result.output
    assert mine.last_reminded_on is None


def test_a_bad_date_is_refused(app, db) -> None:  # type: ignore[no-untyped-def]
    result = remind(app, "--today", "10/04/2024")
    assert result.exit_code == 2
    assert "use the form YYYY-MM-DD" in result.output
