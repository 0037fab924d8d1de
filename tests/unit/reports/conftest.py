"""Fixtures of the report tests: ``audits``, the hand-worked period described in
hand_worked.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from tests import factories
from tests.factories import reports as make
from tests.unit.reports.hand_worked import NA_PERMANENCE, PLAN


@pytest.fixture
def audits(db):  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR)
    moderator = factories.user(Role.MODERATOR)
    made = {}
    for number, (month, audited, status, moderated, mo, mo_moderated) in enumerate(PLAN, 1):
        grades = {"management_oversight": mo}
        if number in NA_PERMANENCE:
            grades["permanence"] = "not_applicable"
        audit = factories.audit(
            auditor=auditor,
            overall=audited,
            grades=grades,
            status=status,
            submitted_on=date(2024, int(month), 15),
        )
        made[number] = audit
        if moderated:
            moderation_grades = {}
            if mo_moderated:
                moderation_grades["management_oversight"] = mo_moderated
            if number == 1:
                moderation_grades["assessment"] = "requires_improvement"
            make.moderation(
                audit,
                moderated,
                grades=moderation_grades,
                by=moderator,
                moderated_on=date(2024, 5, 10) if number == 1 else None,
            )
    # 19 is selected for moderation but not moderated yet: its grade stays the auditor's.
    make.moderation(made[19], "good", by=moderator, status="selected")
    # Not counted in the period.
    draft = factories.audit(
        auditor=auditor, overall="good", status="draft", submitted_on=date(2024, 3, 3)
    )
    returned = factories.audit(
        auditor=auditor, overall="inadequate", status="returned", submitted_on=date(2024, 3, 3)
    )
    january = factories.audit(auditor=auditor, overall="good", submitted_on=date(2024, 1, 9))
    made.update(draft=draft, returned=returned, january=january)
    _reflective_conversation(made[5], moderator)

    make.feedback(made[1], "child", "positive", "I feel listened to now.", consent=True)
    make.feedback(made[2], "father", "constructive")
    make.feedback(made[3], "mother", "positive", "My worker always calls back.", consent=True)
    make.feedback(made[6], "foster_carer", "positive")
    make.feedback(
        made[7],
        "care_experienced_adult",
        "constructive",
        "I wish someone had explained my plan.",
        consent=True,
    )
    make.feedback(made[8], "father", "positive")
    make.feedback(made[13], "child", "constructive")
    make.feedback(draft, "child", "positive", "DRAFT QUOTE", consent=True)
    make.feedback(january, "child", "positive", "JANUARY QUOTE", consent=True)

    for number in (1, 2, 13):
        make.theme(made[number], "Drift and delay")
    make.theme(made[4], "Plans not SMART")
    make.theme(made[2], "Fathers and significant males not engaged")
    make.theme(january, "Drift and delay")
    make.theme(january, "Fathers and significant males not engaged")
    make.theme(draft, "Plans not SMART")

    make.action(made[1], date(2024, 4, 1), done=True)
    make.action(made[1], date(2024, 5, 1))
    make.action(made[5], date(2024, 6, 30))
    make.action(made[14], date(2024, 5, 19))
    make.action(january, date(2024, 2, 1))
    db.session.flush()
    return made


def _reflective_conversation(audit, moderator):  # type: ignore[no-untyped-def]
    from qa_audit.moderation.models import Moderation, ReflectiveConversation

    moderation = db.session.query(Moderation).filter_by(audit_id=audit.id).one()
    db.session.add(
        ReflectiveConversation(
            moderation_id=moderation.id,
            audit_id=audit.id,
            service_area_id=audit.service_area_id,
            status="held",
            due_on=date(2024, 3, 1),
            held_on=date(2024, 2, 28),
            participants="Service manager, practitioner",
            learning="Learning",
            recorded_by_id=moderator.id,
            recorded_at=datetime(2024, 2, 28, tzinfo=UTC),
        )
    )
