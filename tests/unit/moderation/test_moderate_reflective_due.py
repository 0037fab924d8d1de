"""A moderation ending with the final grade inadequate makes a reflective conversation due;
any other does not."""

from __future__ import annotations

from sqlalchemy import select

from qa_audit.audit_tools.grades import Grade
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db as _db
from qa_audit.moderation import services
from qa_audit.moderation.models import ReflectiveConversation
from qa_audit.moderation.services import Judgement
from tests.unit.moderation.moderating import agree_all, setup


def test_inadequate_maintained_makes_a_reflective_conversation_due(db) -> None:
    audit, moderation, moderator = setup(overall="inadequate")
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        agree_all(),
        Judgement(agree=True, rationale="Inadequate confirmed"),
        complete=True,
    )
    conversation = _db.session.scalar(
        select(ReflectiveConversation).where(ReflectiveConversation.moderation_id == moderation.id)
    )
    assert conversation is not None
    assert conversation.status == "due"
    assert conversation.service_area_id == audit.service_area_id
    from qa_audit.core.working_days import add_working_days

    assert conversation.due_on == add_working_days(local_today(), 10)


def test_no_reflective_conversation_when_the_final_grade_is_not_inadequate(db) -> None:
    _audit, moderation, moderator = setup(overall="inadequate")
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        agree_all(),
        Judgement(agree=False, grade=Grade.REQUIRES_IMPROVEMENT, rationale="Safe, but drift"),
        complete=True,
    )
    assert moderation.outcome == "upgraded"
    assert (
        _db.session.scalar(
            select(ReflectiveConversation).where(
                ReflectiveConversation.moderation_id == moderation.id
            )
        )
        is None
    )


def test_a_downgrade_to_inadequate_also_makes_one_due(db) -> None:
    _audit, moderation, moderator = setup(overall="requires_improvement")
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        agree_all(),
        Judgement(agree=False, grade=Grade.INADEQUATE, rationale="Child left at risk"),
        complete=True,
    )
    assert (
        _db.session.scalar(
            select(ReflectiveConversation).where(
                ReflectiveConversation.moderation_id == moderation.id
            )
        )
        is not None
    )
