"""Changing an allocation: reassigning, extending, exempting, and none of them once it is
completed."""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core import signals
from qa_audit.core.errors import DomainError
from qa_audit.rota import services as rota
from tests import factories
from tests.factories.rota import allocation


def test_reassign_to_another_active_auditor_keeps_the_history(db) -> None:
    lead = factories.user(Role.QA_LEAD)
    first = factories.user(Role.AUDITOR, name="First Person")
    second = factories.user(Role.AUDITOR, name="Second Person")
    mine = allocation(auditor=first)

    assert rota.reassign(lead, mine, second, expected_version=mine.version) == []

    assert mine.auditor_id == second.id
    entry = history(mine)[-1]
    assert entry.action == "allocation.reassigned"
    assert (entry.before, entry.after) == ({"auditor_id": first.id}, {"auditor_id": second.id})
    assert entry.actor_id == lead.id
    assert rota.allocations_for(first) == []
    assert rota.allocations_for(second) == [mine]


def test_reassign_refusals(db) -> None:
    mine = allocation()
    gone = factories.user(Role.AUDITOR, name="Gus Gone", active=False)
    with pytest.raises(DomainError, match="Gus Gone's account is deactivated"):
        rota.reassign(None, mine, gone)
    with pytest.raises(DomainError, match="is already"):
        rota.reassign(None, mine, mine.auditor)
    with pytest.raises(DomainError, match="Someone else changed this allocation"):
        rota.reassign(None, mine, factories.user(Role.AUDITOR), expected_version=mine.version - 1)
    rota.exempt(None, mine, reason="Case closed", approved_by="PSW")
    with pytest.raises(DomainError, match="This allocation is exempted: it cannot be reassigned"):
        rota.reassign(None, mine, factories.user(Role.AUDITOR))


def test_extend_moves_the_due_date_later_only(db) -> None:
    mine = allocation(due_on=date(2024, 4, 20))
    with pytest.raises(DomainError) as caught:
        rota.extend(None, mine, date(2024, 4, 20))
    assert caught.value.field == "due_on"
    assert caught.value.message == "The new due date must be after the current one, 20 April 2024"
    rota.extend(None, mine, date(2024, 5, 3))
    assert mine.due_on == date(2024, 5, 3)
    assert history(mine)[-1].before == {"due_on": "2024-04-20"}
    assert rota.overdue_allocations(date(2024, 4, 25)) == []


def test_exemption_needs_a_reason_and_an_approver(db) -> None:
    mine = allocation()
    with pytest.raises(DomainError) as caught:
        rota.exempt(None, mine, reason="   ", approved_by="Jo Smith, Head of Service")
    assert (caught.value.field, caught.value.message) == (
        "reason",
        "Enter the reason for the exemption",
    )
    with pytest.raises(DomainError) as caught:
        rota.exempt(None, mine, reason="On leave", approved_by="")
    assert (caught.value.field, caught.value.message) == (
        "approved_by",
        "Enter who approved the exemption",
    )
    assert mine.status == "allotted"

    approver = factories.user(Role.QA_LEAD, name="Pat Approver")
    rota.exempt(None, mine, reason="On maternity leave", approved_by=approver)
    assert (
        mine.status,
        mine.exemption_reason,
        mine.exemption_approved_by,
        mine.exemption_approved_by_id,
    ) == ("exempted", "On maternity leave", "Pat Approver", approver.id)
    assert history(mine)[-1].action == "allocation.exempted"
    with pytest.raises(DomainError, match=r"already|exempted"):
        rota.exempt(None, mine, reason="Again", approved_by="Someone")


def test_completed_allocations_cannot_be_changed(db) -> None:
    mine = allocation()
    audit = factories.audit(auditor=mine.auditor)
    audit.allocation_id = mine.id
    signals.audit_submitted.send(audit, actor=mine.auditor)
    with pytest.raises(DomainError, match="This allocation is completed: it cannot be extended"):
        rota.extend(None, mine, date(2024, 6, 1))
    with pytest.raises(DomainError, match="completed: it cannot be exempted"):
        rota.exempt(None, mine, reason="x", approved_by="y")
