"""Saving drafts: grades and evidence, N/A rules, themes, the change log, optimistic concurrency;
feedback conversations and actions on an audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from qa_audit.actions.models import Action
from qa_audit.audits import services
from qa_audit.audits.models import FeedbackConversation
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.changelog.services import history
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden, NotFound
from qa_audit.learning_themes.services import add_theme, list_themes, update_theme
from tests import factories
from tests.factories.audits import TODAY, draft_data, started, submitted


def test_save_draft_stores_grades_evidence_overall_and_themes(db) -> None:
    audit = started()
    themes = list_themes()[:2]
    data = draft_data(
        audit, grade="requires_improvement", overall="good", permanence="not_applicable"
    )
    data.domains["assessment"].working_well = "Line one\r\nLine two  "
    data.learning_theme_ids = [themes[1].id, themes[0].id, themes[0].id]
    version = audit.version
    assert services.save_draft(audit.auditor, audit, version, data) is True
    db.session.expire_all()
    assert audit.version == version + 1
    assert audit.grade_for("assessment").grade == "requires_improvement"
    assert audit.grade_for("assessment").working_well == "Line one\nLine two"
    assert audit.grade_for("permanence").grade == "not_applicable"
    assert audit.grade_for("plans_and_planning").impact == "plans_and_planning: impact"
    assert audit.overall_grade == "good"
    assert audit.overall_rationale == "Clear impact for the child"
    assert sorted(t.id for t in audit.learning_themes) == sorted([themes[0].id, themes[1].id])


def test_every_change_is_logged_with_before_and_after(db) -> None:
    audit = started()
    data = draft_data(audit)
    services.save_draft(audit.auditor, audit, audit.version, data)
    data.domains["assessment"].grade = "outstanding"
    data.overall_rationale = "Changed rationale"
    services.save_draft(audit.auditor, audit, audit.version, data)
    entries = [e for e in history(audit) if e.action == "audit.draft_saved"]
    assert len(entries) == 2
    first, second = entries
    assert first.before["assessment.grade"] is None
    assert first.after["assessment.grade"] == "good"
    assert first.after["permanence.impact"] == "permanence: impact"
    # only what changed is in the second entry
    assert second.before == {
        "assessment.grade": "good",
        "overall_rationale": "Clear impact for the child",
    }
    assert second.after == {
        "assessment.grade": "outstanding",
        "overall_rationale": "Changed rationale",
    }
    assert second.actor_id == audit.auditor_id


def test_an_unchanged_save_changes_nothing(db) -> None:
    audit = started()
    services.save_draft(audit.auditor, audit, audit.version, draft_data(audit))
    version = audit.version
    logged = len(history(audit))
    assert services.save_draft(audit.auditor, audit, version, draft_data(audit)) is False
    assert audit.version == version
    assert len(history(audit)) == logged


def test_not_applicable_only_where_the_domain_allows_it(db) -> None:
    audit = started()
    with pytest.raises(DomainError) as caught:
        services.save_draft(
            audit.auditor, audit, audit.version, draft_data(audit, assessment="not_applicable")
        )
    assert caught.value.field == "assessment-grade"
    assert caught.value.message == "Assessment cannot be graded Not applicable"
    db.session.rollback()


def test_unknown_grades_are_refused(db) -> None:
    audit = started()
    with pytest.raises(DomainError) as caught:
        services.save_draft(audit.auditor, audit, audit.version, draft_data(audit, grade="great"))
    assert caught.value.field == "assessment-grade"
    with pytest.raises(DomainError) as caught:
        services.save_draft(
            audit.auditor, audit, audit.version, draft_data(audit, overall="not_applicable")
        )
    assert (caught.value.field, caught.value.message) == (
        "overall_grade",
        "Select the overall grade",
    )


def test_evidence_longer_than_the_limit_is_refused(db) -> None:
    audit = started()
    data = draft_data(audit)
    data.domains["permanence"].impact = "x" * (services.TEXT_MAX + 1)
    with pytest.raises(DomainError) as caught:
        services.save_draft(audit.auditor, audit, audit.version, data)
    assert caught.value.field == "permanence-impact"


def test_learning_themes_come_from_the_list_and_a_retired_one_may_stay(db) -> None:
    audit = started()
    lead = factories.user(Role.QA_LEAD)
    theme = add_theme(lead, "Transitions to adulthood not planned")
    data = draft_data(audit)
    data.learning_theme_ids = [theme.id]
    services.save_draft(audit.auditor, audit, audit.version, data)
    update_theme(lead, theme, theme.name, active=False)
    # the retired theme is still offered on this audit, and saving again keeps it
    assert theme in services.active_themes_for(audit)
    data.overall_rationale = "More"
    services.save_draft(audit.auditor, audit, audit.version, data)
    assert [t.id for t in audit.learning_themes] == [theme.id]
    other = started()
    assert theme not in services.active_themes_for(other)
    data_other = draft_data(other)
    data_other.learning_theme_ids = [theme.id]
    with pytest.raises(DomainError) as caught:
        services.save_draft(other.auditor, other, other.version, data_other)
    assert caught.value.field == "learning_themes"


def test_a_stale_version_is_refused_and_nothing_is_overwritten(db) -> None:
    audit = started()
    services.save_draft(audit.auditor, audit, audit.version, draft_data(audit))
    stale = audit.version - 1
    with pytest.raises(ConcurrentEdit):
        services.save_draft(audit.auditor, audit, stale, draft_data(audit, grade="inadequate"))
    db.session.expire_all()
    assert audit.grade_for("assessment").grade == "good"


def test_a_save_without_the_version_it_was_opened_on_is_refused(db) -> None:
    audit = started()
    services.save_draft(audit.auditor, audit, audit.version, draft_data(audit))
    with pytest.raises(ConcurrentEdit):
        services.save_draft(audit.auditor, audit, None, draft_data(audit, grade="inadequate"))
    db.session.expire_all()
    assert audit.grade_for("assessment").grade == "good"


def test_a_save_racing_another_is_refused_by_the_version_check_in_the_database(db) -> None:
    audit = started()
    version = audit.version
    # Another request saves between this request's read and its write.
    db.session.execute(
        text("UPDATE audit SET version = version + 1 WHERE id = :id"), {"id": audit.id}
    )
    with pytest.raises(ConcurrentEdit):
        services.save_draft(audit.auditor, audit, version, draft_data(audit))


def test_only_the_auditor_may_save_and_only_while_draft_or_returned(db) -> None:
    audit = started()
    for person in (factories.user(Role.AUDITOR), factories.user(Role.QA_LEAD)):
        with pytest.raises(Forbidden):
            services.save_draft(person, audit, audit.version, draft_data(audit))
    done = submitted()
    with pytest.raises(DomainError) as caught:
        services.save_draft(done.auditor, done, done.version, draft_data(done, grade="outstanding"))
    assert "can no longer be changed" in caught.value.message
    assert not isinstance(caught.value, Forbidden)


def test_differences_name_the_fields_saved_elsewhere(db) -> None:
    audit = started()
    services.save_draft(audit.auditor, audit, audit.version, draft_data(audit))
    typed = draft_data(audit, plans_and_planning="outstanding", rationale="Mine")
    typed.domains["assessment"].impact = "Something else"
    assert services.differences(audit, typed) == [
        "Assessment: impact on the child",
        "Plans and Planning: grade",
        "Rationale for the overall grade",
    ]


# --- feedback conversations -------------------------------------------------------------------


def test_add_and_remove_a_feedback_conversation(db) -> None:
    audit = started()
    conversation = services.add_feedback(
        audit.auditor, audit, "father", "phone", " He felt listened to ", "positive", True
    )
    assert audit.feedback == [conversation]
    assert (conversation.who, conversation.how, conversation.said) == (
        "father",
        "phone",
        "He felt listened to",
    )
    assert conversation.consent_to_quote is True
    assert conversation.tone == "positive"
    services.remove_feedback(audit.auditor, audit, conversation.id)
    assert audit.feedback == []
    assert db.session.scalar(select(FeedbackConversation.id)) is None
    actions = [(e.action, e.before, e.after) for e in history(audit)][-2:]
    assert actions[0][0] == "audit.feedback_added"
    assert actions[0][2]["said"] == "He felt listened to"
    assert actions[1][0] == "audit.feedback_removed"
    assert actions[1][1]["who"] == "father"
    assert actions[1][2] is None
    with pytest.raises(NotFound):
        services.remove_feedback(audit.auditor, audit, conversation.id)


@pytest.mark.parametrize(
    ("who", "how", "said", "tone", "field"),
    [
        ("uncle", "phone", "x", "positive", "feedback-who"),
        (None, "phone", "x", "positive", "feedback-who"),
        ("mother", "letter", "x", "positive", "feedback-how"),
        ("mother", "visit", "   ", "positive", "feedback-said"),
        ("mother", "visit", "x", "angry", "feedback-tone"),
    ],
)
def test_feedback_fields_are_checked(db, who, how, said, tone, field: str) -> None:
    audit = started()
    with pytest.raises(DomainError) as caught:
        services.add_feedback(audit.auditor, audit, who, how, said, tone, False)
    assert caught.value.field == field
    assert audit.feedback == []


def test_only_the_auditor_adds_feedback(db) -> None:
    audit = started()
    with pytest.raises(Forbidden):
        services.add_feedback(
            factories.user(Role.AUDITOR), audit, "child", "visit", "Hi", "positive", False
        )


# --- actions ----------------------------------------------------------------------------------


def test_add_and_remove_an_action(db) -> None:
    audit = started()
    owner = factories.user(Role.SERVICE_MANAGER, name="Sam Owner", area_key="locality")
    action = services.add_action(
        audit.auditor, audit, "Update the chronology", owner.id, TODAY, today=TODAY
    )
    assert audit.actions == [action]
    assert (action.owner_id, action.due_on, action.source, action.status) == (
        owner.id,
        TODAY,
        "audit",
        "open",
    )
    assert action.audit_id == audit.id
    assert action.created_by_id == audit.auditor_id
    entry = history(audit)[-1]
    assert entry.action == "audit.action_added"
    assert entry.after["owner"] == "Sam Owner"
    assert entry.after["due_on"] == TODAY.isoformat()
    services.remove_action(audit.auditor, audit, action.id)
    assert audit.actions == []
    assert db.session.scalar(select(Action.id)) is None
    assert history(audit)[-1].action == "audit.action_removed"
    logged = db.session.scalars(
        select(ChangeLogEntry.action).where(ChangeLogEntry.entity_type == "action")
    ).all()
    assert sorted(logged) == ["action.added", "action.removed"]


@pytest.mark.parametrize(
    ("description", "due", "owner_kind", "field"),
    [
        ("", TODAY, "active", "action-description"),
        ("Do it", TODAY - timedelta(days=1), "active", "action-due_on"),
        ("Do it", None, "active", "action-due_on"),
        ("Do it", TODAY, "inactive", "action-owner_id"),
        ("Do it", TODAY, "none", "action-owner_id"),
    ],
)
def test_action_fields_are_checked(db, description, due, owner_kind, field: str) -> None:
    audit = started()
    owner = {
        "active": factories.user(Role.MODERATOR),  # who may see the audit
        "inactive": factories.user(Role.MODERATOR, active=False),
        "none": None,
    }[owner_kind]
    with pytest.raises(DomainError) as caught:
        services.add_action(
            audit.auditor, audit, description, owner.id if owner else None, due, today=TODAY
        )
    assert caught.value.field == field
    assert audit.actions == []


def test_actions_cannot_be_changed_on_a_submitted_audit(db) -> None:
    done = submitted()
    with pytest.raises(DomainError):
        services.add_action(done.auditor, done, "Late", done.auditor_id, date(2030, 1, 1))
