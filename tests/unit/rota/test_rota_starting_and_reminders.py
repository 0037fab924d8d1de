"""Starting an audit from an allocation (its own auditor alone) and the allocations due soon
or overdue that reminders are about."""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.auth.roles import Role
from qa_audit.core import signals
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.rota import services as rota
from qa_audit.rota.models import AllocationStatus
from tests import factories
from tests.factories.rota import allocation


def test_start_prefill_is_for_the_allocations_own_auditor(db) -> None:
    team = factories.service_area("assessment").teams[0]
    mine = allocation(area_key="assessment", team=team, case_ref="CR5005")
    assert rota.start_prefill(mine.auditor, mine.id) == {
        "allocation_id": mine.id,
        "case_ref": "CR5005",
        "service_area_id": factories.service_area("assessment").id,
        "team_id": team.id,
        "due_on": mine.due_on,
    }
    with pytest.raises(Forbidden):
        rota.start_prefill(factories.user(Role.AUDITOR), mine.id)
    rota.exempt(None, mine, reason="Case closed", approved_by="PSW")
    with pytest.raises(DomainError, match="exempted"):
        rota.allocation_for_audit(mine.auditor, mine.id)


def test_the_rota_answers_whether_an_audit_may_start_from_an_allocation(app, db) -> None:  # type: ignore[no-untyped-def]
    mine = allocation(case_ref="CR5006")
    answers = signals.audit_from_allocation.send(mine.auditor, allocation_id=mine.id)
    assert [answer for _receiver, answer in answers] == [rota.start_prefill(mine.auditor, mine.id)]
    with pytest.raises(Forbidden):
        signals.audit_from_allocation.send(factories.user(Role.AUDITOR), allocation_id=mine.id)


def test_due_soon_takes_five_days_ahead_and_overdue_not_completed(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    today = date(2024, 4, 10)
    overdue = allocation(auditor=auditor, due_on=date(2024, 4, 9))
    in_five = allocation(auditor=auditor, due_on=date(2024, 4, 15))
    allocation(auditor=auditor, due_on=date(2024, 4, 16))  # six days: not yet
    exempted = allocation(auditor=auditor, due_on=date(2024, 4, 11))
    rota.exempt(None, exempted, reason="Leave", approved_by="PSW")
    assert rota.due_soon(today, 5, auditor=auditor) == [overdue, in_five]
    assert in_five.due_within(5, today)
    assert not overdue.due_within(5, today)
    assert overdue.overdue(today)
    assert not in_five.overdue(today)
    assert AllocationStatus(exempted.status) is AllocationStatus.EXEMPTED
