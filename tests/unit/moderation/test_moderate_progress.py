"""A moderation in progress: saved and completed later, taken or assigned, saved only by its
assigned moderator, and the queue's order."""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.moderation import services
from qa_audit.moderation.services import Judgement
from tests import factories
from tests.factories import moderation as mf
from tests.unit.moderation.moderating import AGREE, agree_all, setup


def test_saving_progress_keeps_it_selected_and_later_completes(db) -> None:
    _audit, moderation, moderator = setup()
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        {
            "assessment": AGREE,
            "management_oversight": Judgement(
                agree=False, grade=Grade.REQUIRES_IMPROVEMENT, rationale="No supervision recorded"
            ),
        },
        Judgement(),
        complete=False,
    )
    assert moderation.status == "selected"
    assert moderation.in_progress
    assert {g.domain_key for g in moderation.grades} == {"assessment", "management_oversight"}
    assert moderation.version == 2
    # Dropping a judgement in a later save removes it; completing needs every one.
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        {
            "management_oversight": Judgement(
                agree=False, grade=Grade.REQUIRES_IMPROVEMENT, rationale="No supervision recorded"
            )
        },
        Judgement(),
        complete=False,
    )
    assert {g.domain_key for g in moderation.grades} == {"management_oversight"}
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        agree_all(
            management_oversight=Judgement(
                agree=False, grade=Grade.REQUIRES_IMPROVEMENT, rationale="No supervision"
            )
        ),
        Judgement(agree=True, rationale="Good overall despite oversight"),
        complete=True,
    )
    assert (moderation.status, moderation.outcome) == ("completed", "upheld")
    assert [e.action for e in history(moderation)] == [
        "moderation.saved",
        "moderation.saved",
        "moderation.completed",
    ]


def test_take_and_assign(db) -> None:
    _audit, moderation, moderator = setup()
    lead = factories.user(Role.QA_LEAD)
    services.take(moderator, moderation)
    assert moderation.moderator_id == moderator.id
    other = mf.moderator(name="Olu Other")
    with pytest.raises(DomainError, match="assigned to Mo Moderator: ask the QA lead"):
        services.take(other, moderation)
    with pytest.raises(Forbidden):
        services.assign(moderator, moderation, other)
    with pytest.raises(DomainError, match="is not an active moderator"):
        services.assign(lead, moderation, factories.user(Role.AUDITOR))
    services.assign(lead, moderation, other)
    assert moderation.moderator_id == other.id
    assert [e.action for e in history(moderation)] == ["moderation.taken", "moderation.assigned"]


def test_only_the_assigned_moderator_saves_and_the_qa_lead_reassigns(db) -> None:
    _audit, moderation, moderator = setup()
    services.take(moderator, moderation)
    other = mf.moderator(name="Olu Other")
    rationale = Judgement(agree=True, rationale="Evidence supports Good")
    for complete in (False, True):
        with pytest.raises(DomainError, match="assigned to Mo Moderator: ask the QA lead"):
            services.save_moderation(
                other, moderation, moderation.version, agree_all(), rationale, complete=complete
            )
    assert (moderation.status, moderation.moderator_id) == ("selected", moderator.id)
    assert moderation.grades == []
    services.assign(factories.user(Role.QA_LEAD), moderation, other)
    services.save_moderation(
        other, moderation, moderation.version, agree_all(), rationale, complete=True
    )
    assert (moderation.status, moderation.moderator_id) == ("completed", other.id)


def test_the_queue_puts_high_priority_first_then_the_earliest_deadline(db) -> None:
    a = mf.selected(factories.audit(), due_on=date(2024, 5, 1))
    b = mf.selected(factories.audit(overall="inadequate"), priority="high", due_on=date(2024, 6, 1))
    c = mf.selected(factories.audit(), due_on=date(2024, 4, 20))
    done = factories.audit()
    mf.completed(done, moderator_user=mf.moderator(), overall="good")
    queue = [m for m in services.queue() if m.id in {a.id, b.id, c.id}]
    assert queue == [b, c, a]
    assert all(m.status == "selected" for m in services.queue())
    assert c.overdue(date(2024, 4, 21))
    assert not c.overdue(date(2024, 4, 20))
