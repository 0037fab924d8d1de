"""Reflective conversations: due when Inadequate is maintained, recorded by the area's service
manager with date, who took part, learning and remedial actions (which join the action list)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qa_audit.actions.models import Action
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.clock import local_today
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden
from qa_audit.core.extensions import db as _db
from qa_audit.moderation import reflective
from qa_audit.moderation.reflective import RemedialAction
from tests import factories
from tests.factories import moderation as mf


def due_conversation(area: str = "locality", moderated_on: date = date(2024, 5, 1)):  # type: ignore[no-untyped-def]
    audit = factories.audit(overall="inadequate", area_key=area)
    moderation = mf.completed(
        audit, moderator_user=mf.moderator(), overall="inadequate", moderated_on=moderated_on
    )
    return reflective.open_reflective_conversation(None, moderation)


def record(actor, conversation, **changes):  # type: ignore[no-untyped-def]
    values = dict(
        held_on=local_today() - timedelta(days=1),
        participants="Service manager, team manager, auditor",
        learning="Risk was not reassessed after the new partner moved in",
        actions=[
            RemedialAction(
                "Re-assess risk with the new partner", local_today() + timedelta(days=14)
            )
        ],
    )
    values.update(changes)
    return reflective.record_conversation(actor, conversation, conversation.version, **values)


def test_it_is_due_within_ten_working_days_of_the_moderation(db) -> None:
    # Wed 1 May 2024 + 10 working days: 2, 3 May (2), Mon 6 May bank holiday, 7-10 May (6),
    # 13, 14, 15, 16 May (10) -> Thu 16 May 2024.
    conversation = due_conversation()
    assert conversation.status == "due"
    assert conversation.due_on == date(2024, 5, 16)
    assert conversation.overdue(date(2024, 5, 17))
    assert not conversation.overdue(date(2024, 5, 16))
    assert reflective.open_reflective_conversation(None, conversation.moderation) is conversation


def test_the_service_manager_of_the_area_records_it_and_the_actions_join_the_list(db) -> None:
    conversation = due_conversation()
    manager = factories.user(Role.SERVICE_MANAGER, area_key="locality")
    assert reflective.due_for(manager) == [conversation]
    record(
        manager,
        conversation,
        actions=[
            RemedialAction("Re-assess risk", local_today() + timedelta(days=14)),
            RemedialAction("", None),  # an empty slot is ignored
            RemedialAction(
                "Supervision on the case within a week", local_today() + timedelta(days=7)
            ),
        ],
    )
    assert conversation.held
    assert conversation.recorded_by_id == manager.id
    actions = _db.session.scalars(
        select(Action)
        .where(Action.reflective_conversation_id == conversation.id)
        .order_by(Action.id)
    ).all()
    assert [a.description for a in actions] == [
        "Re-assess risk",
        "Supervision on the case within a week",
    ]
    assert {(a.source, a.owner_id, a.audit_id, a.status) for a in actions} == {
        ("reflective_conversation", manager.id, conversation.audit_id, "open")
    }
    assert conversation.actions == actions
    assert reflective.due_for(manager) == []
    assert history(conversation)[-1].action == "reflective_conversation.held"
    with pytest.raises(DomainError, match="already been recorded"):
        record(manager, conversation)


def test_only_the_areas_service_manager_or_the_qa_lead_may_record_it(db) -> None:
    conversation = due_conversation(area="locality")
    for outsider in (
        factories.user(Role.SERVICE_MANAGER, area_key="fostering"),
        mf.moderator(),
        factories.user(Role.AUDITOR),
    ):
        with pytest.raises(Forbidden):
            record(outsider, conversation)
    assert (
        reflective.list_conversations(factories.user(Role.SERVICE_MANAGER, area_key="fostering"))
        == []
    )
    record(factories.user(Role.QA_LEAD), conversation)
    assert conversation.held


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"held_on": None}, "held_on", "Enter the date the conversation was held"),
        ({"held_on": local_today() + timedelta(days=1)}, "held_on", "today or in the past"),
        ({"participants": "  "}, "participants", "Say who took part"),
        ({"learning": ""}, "learning", "Record the learning"),
        ({"actions": [RemedialAction("Do it", None)]}, "action_1_due_on", "due date of remedial"),
        (
            {"actions": [RemedialAction("", local_today())]},
            "action_1_description",
            "Describe remedial action 1",
        ),
        (
            {"actions": [RemedialAction("Late", local_today() - timedelta(days=30))]},
            "action_1_due_on",
            "cannot be due before the conversation was held",
        ),
    ],
)
def test_incomplete_records_are_refused_and_nothing_is_saved(db, changes, field, message) -> None:
    conversation = due_conversation()
    manager = factories.user(Role.SERVICE_MANAGER, area_key="locality")
    with pytest.raises(DomainError, match=message) as refused:
        record(manager, conversation, **changes)
    assert refused.value.field == field
    _db.session.flush()
    assert conversation.status == "due"
    assert (
        _db.session.scalar(
            select(_db.func.count(Action.id)).where(
                Action.reflective_conversation_id == conversation.id
            )
        )
        == 0
    )


def test_a_stale_form_is_refused(db) -> None:
    conversation = due_conversation()
    manager = factories.user(Role.SERVICE_MANAGER, area_key="locality")
    with pytest.raises(ConcurrentEdit):
        reflective.record_conversation(
            manager,
            conversation,
            conversation.version + 1,
            held_on=local_today(),
            participants="Me",
            learning="Something",
            actions=[],
        )
