"""The QA lead's reason for not auditing a case again goes with its audit under the
retention schedule; the decision itself (dismissed, by whom, when) stays."""

from __future__ import annotations

from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from qa_audit.retention import services
from qa_audit.rota.loop_models import ClosingTheLoopDecision, LoopDecision
from tests import factories
from tests.factories import audits
from tests.unit.retention.test_retention import (
    FIRST_DAY_KEPT,
    LAST_DAY_PAST,
    MARKER,
    SCHEDULE,
    text_holding,
)

REASON = "Ava Jones has moved to another authority"


def dismissed(submitted_on, qa_lead) -> ClosingTheLoopDecision:  # type: ignore[no-untyped-def]
    audit = audits.audit(overall="good", submitted_on=submitted_on)
    decision = ClosingTheLoopDecision(
        audit_id=audit.id,
        decision=LoopDecision.DISMISSED.value,
        reason=REASON,
        decided_by_id=qa_lead.id,
    )
    _db.session.add(decision)
    _db.session.flush()
    return decision


def test_a_dismissal_reason_goes_with_its_audit(db) -> None:  # type: ignore[no-untyped-def]
    qa_lead = factories.user(Role.QA_LEAD)
    past = dismissed(LAST_DAY_PAST, qa_lead)
    kept = dismissed(FIRST_DAY_KEPT, qa_lead)
    before = {d.id: d.values for d in services.plan(SCHEDULE).audits}
    assert before[past.audit_id] >= 1  # the dry run counts the reason

    services.apply(SCHEDULE)

    _db.session.expire_all()
    rows = _db.session.execute(
        select(ClosingTheLoopDecision.audit_id, ClosingTheLoopDecision.reason)
    ).all()
    reasons = {audit_id: reason for audit_id, reason in rows}
    assert reasons == {past.audit_id: MARKER, kept.audit_id: REASON}
    assert text_holding(REASON) == {"closing_the_loop_decision": 1}
    assert (past.decision, past.decided_by_id) == (LoopDecision.DISMISSED.value, qa_lead.id)
