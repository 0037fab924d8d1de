"""Selection for moderation when an audit is submitted: the rule, its recorded reasons, and
the QA lead's hand-made additions and withdrawals."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core import signals
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden
from qa_audit.core.extensions import db as _db
from qa_audit.moderation import sampling, sampling_rules
from qa_audit.moderation.models import Moderation, SamplingDecision
from tests import factories
from tests.factories import moderation as mf

# With the salt "test-salt" (draws worked out with sha256, see the first test):
#   QA-0001 -> 0.66148, QA-0002 -> 0.10085, QA-0005 -> 0.39218, QA-0006 -> 0.96668,
#   QA-0007 -> 0.20172 (shown in reasons to 3 places: 0.661, 0.101, 0.392, 0.967, 0.202)


def decisions_for(audit) -> list[SamplingDecision]:  # type: ignore[no-untyped-def]
    return list(
        _db.session.scalars(
            select(SamplingDecision)
            .where(SamplingDecision.audit_id == audit.id)
            .order_by(SamplingDecision.id)
        )
    )


def moderation_for(audit) -> Moderation | None:  # type: ignore[no-untyped-def]
    return _db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))


def submit(audit) -> None:  # type: ignore[no-untyped-def]
    signals.audit_submitted.send(audit, actor=audit.auditor)
    _db.session.flush()


def return_and_resubmit(audit, overall: str) -> None:  # type: ignore[no-untyped-def]
    """The audit's own return path: returned, regraded by its auditor, resubmitted."""
    audit.status = "returned"
    _db.session.flush()
    audit.overall_grade = overall
    _db.session.flush()
    audit.status = "submitted"
    submit(audit)


def test_draw_is_the_first_8_bytes_of_sha256_of_salt_and_reference(db) -> None:
    digest = hashlib.sha256(b"test-salt\x1fQA-0001").digest()
    expected = int.from_bytes(digest[:8], "big") / 2**64
    assert sampling.draw_for("QA-0001", "test-salt") == expected
    assert round(expected, 4) == 0.6615
    assert sampling.draw_for("QA-0001", "other-salt") != expected
    assert round(sampling.draw_for("QA-0002", "test-salt"), 4) == 0.1009


def test_default_rules_come_from_the_migration(db) -> None:
    rules = sampling.get_settings()
    assert (rules.rate_outstanding, rules.rate_good, rules.rate_requires_improvement) == (
        0.5,
        0.5,
        0.2,
    )
    assert (
        rules.inadequate_deadline_days,
        rules.normal_deadline_days,
        rules.reflective_deadline_days,
    ) == (5, 20, 10)
    assert len(rules.salt) == 32


def test_the_handler_is_registered_on_audit_submitted(db) -> None:
    assert sampling.select_submitted_audit in signals.audit_submitted.receivers_for(None)


def test_inadequate_is_selected_at_once_high_priority_due_in_5_working_days(db) -> None:
    mf.salt()
    audit = factories.audit(
        overall="inadequate", submitted_on=date(2024, 12, 19), reference="QA-0001"
    )
    submit(audit)
    moderation = moderation_for(audit)
    assert moderation is not None
    assert (moderation.status, moderation.priority) == ("selected", "high")
    # Thu 19 Dec 2024 + 5 working days skips Christmas and Boxing Day -> Mon 30 Dec.
    assert moderation.due_on == date(2024, 12, 30)
    [decision] = decisions_for(audit)
    assert decision.selected
    assert decision.grade == "inadequate"
    assert decision.draw is None
    assert decision.reason == (
        "Inadequate: every overall Inadequate is moderated at once; selected, high priority, "
        "due 30 December 2024 (5 working days)"
    )
    assert moderation.selection_reason == decision.reason


def test_good_with_a_draw_above_the_rate_is_not_selected_and_the_reason_says_why(db) -> None:
    mf.salt()
    audit = factories.audit(overall="good", reference="QA-0001")
    submit(audit)
    assert moderation_for(audit) is None
    [decision] = decisions_for(audit)
    assert not decision.selected
    assert (decision.grade, decision.rate, round(decision.draw, 4)) == ("good", 0.5, 0.6615)
    assert decision.reason == "Good: draw 0.661 ≥ rate 0.50, not selected"


def test_good_with_a_draw_below_the_rate_is_selected_due_in_20_working_days(db) -> None:
    mf.salt()
    audit = factories.audit(overall="good", reference="QA-0005", submitted_on=date(2024, 4, 15))
    submit(audit)
    moderation = moderation_for(audit)
    assert moderation is not None
    assert moderation.priority == "normal"
    # Mon 15 Apr 2024 + 20 working days, Mon 6 May bank holiday skipped -> Tue 14 May.
    assert moderation.due_on == date(2024, 5, 14)
    assert decisions_for(audit)[0].reason == (
        "Good: draw 0.392 < rate 0.50, selected, due 14 May 2024 (20 working days)"
    )


@pytest.mark.parametrize(
    ("reference", "selected", "reason"),
    [
        ("QA-0005", False, "RI: draw 0.392 ≥ rate 0.20, not selected"),
        ("QA-0007", False, "RI: draw 0.202 ≥ rate 0.20, not selected"),
        (
            "QA-0002",
            True,
            "RI: draw 0.101 < rate 0.20, selected, due 14 May 2024 (20 working days)",
        ),
    ],
)
def test_requires_improvement_uses_its_own_rate(db, reference, selected, reason) -> None:
    mf.salt()
    audit = factories.audit(overall="requires_improvement", reference=reference)
    submit(audit)
    assert (moderation_for(audit) is not None) is selected
    assert decisions_for(audit)[0].reason == reason


def test_the_same_audit_always_gets_the_same_decision(db) -> None:
    mf.salt()
    first = sampling.decide(
        factories.audit(overall="good", reference="QA-0005"),
        sampling.get_settings(),
        date(2024, 4, 15),
    )
    again = sampling.decide(
        factories.audit(overall="good", reference="QA-0005-copy"),
        sampling.get_settings(),
        date(2024, 4, 15),
    )
    audit = _db.session.scalar(select(sampling.Audit).where(sampling.Audit.reference == "QA-0005"))
    assert sampling.decide(audit, sampling.get_settings(), date(2024, 4, 15)) == first
    assert again.draw != first.draw


def test_rates_set_by_the_qa_lead_apply(db) -> None:
    mf.salt()
    lead = factories.user(Role.QA_LEAD)
    rules = sampling.get_settings()
    sampling_rules.update_settings(
        lead,
        rules,
        rules.version,
        rate_outstanding=1.0,
        rate_good=0.0,
        rate_requires_improvement=0.2,
        inadequate_deadline_days=3,
        normal_deadline_days=10,
        reflective_deadline_days=10,
    )
    outstanding = factories.audit(overall="outstanding", reference="QA-0006")  # draw 0.967
    good = factories.audit(overall="good", reference="QA-0002")  # draw 0.101
    inadequate = factories.audit(
        overall="inadequate", reference="QA-0003", submitted_on=date(2024, 12, 19)
    )
    for audit in (outstanding, good, inadequate):
        submit(audit)
    assert moderation_for(outstanding) is not None
    assert decisions_for(outstanding)[0].reason.startswith("Outstanding: draw 0.967 < rate 1.00")
    assert moderation_for(good) is None
    assert decisions_for(good)[0].reason == "Good: draw 0.101 ≥ rate 0.00, not selected"
    # Inadequate deadline now 3 working days: Thu 19 Dec -> Fri 20, Mon 23, Tue 24.
    assert moderation_for(inadequate).due_on == date(2024, 12, 24)


def test_no_overall_grade_is_recorded_as_not_sampled(db) -> None:
    audit = factories.audit(overall=None)
    submit(audit)
    assert moderation_for(audit) is None
    assert decisions_for(audit)[0].reason == "No overall grade: not sampled"


def test_resubmission_after_return_keeps_the_existing_moderation(db) -> None:
    mf.salt()
    audit = factories.audit(overall="good", reference="QA-0005")
    submit(audit)
    moderation = moderation_for(audit)
    assert moderation is not None
    submit(audit)  # returned and resubmitted
    assert moderation_for(audit) is moderation
    assert (
        _db.session.scalar(
            select(_db.func.count(Moderation.id)).where(Moderation.audit_id == audit.id)
        )
        == 1
    )
    second = decisions_for(audit)[1]
    assert second.selected
    assert second.reason == "Resubmitted after return: the existing moderation (selected) is kept"


def test_resubmission_keeps_a_completed_moderation_and_its_outcome(db) -> None:
    audit = factories.audit(overall="good")
    done = mf.completed(audit, moderator_user=mf.moderator(), overall="requires_improvement")
    submit(audit)
    assert moderation_for(audit) is done
    assert (done.status, done.outcome) == ("completed", "downgraded")
    assert decisions_for(audit)[0].reason == (
        "Resubmitted after return: the existing moderation (completed) is kept"
    )


def test_resubmitted_as_inadequate_raises_a_waiting_moderation_to_high_priority(db) -> None:
    mf.salt()
    audit = factories.audit(overall="good", reference="QA-0005", submitted_on=date(2024, 12, 19))
    submit(audit)
    moderation = moderation_for(audit)
    assert moderation.priority == "normal"
    return_and_resubmit(audit, "inadequate")
    assert (moderation.priority, moderation.due_on) == ("high", date(2024, 12, 30))
    assert "raised to high priority, due 30 December 2024" in decisions_for(audit)[1].reason


def test_a_withdrawn_moderation_comes_back_only_for_inadequate(db) -> None:
    mf.salt()
    lead = factories.user(Role.QA_LEAD)
    audit = factories.audit(overall="good", reference="QA-0005")
    submit(audit)
    moderation = moderation_for(audit)
    sampling.withdraw(lead, moderation, "Auditor on long-term leave")
    submit(audit)
    assert moderation.status == "withdrawn"
    assert not decisions_for(audit)[-1].selected
    return_and_resubmit(audit, "inadequate")
    assert (moderation.status, moderation.priority) == ("selected", "high")
    assert moderation.withdrawn_reason is None


def test_the_qa_lead_adds_any_submitted_audit_by_hand_with_a_reason(db) -> None:
    mf.salt()
    lead = factories.user(Role.QA_LEAD, name="Quinn Lead")
    audit = factories.audit(overall="good", reference="QA-0001")
    submit(audit)
    assert moderation_for(audit) is None
    with pytest.raises(DomainError, match="Give the reason for adding this audit"):
        sampling.select_by_hand(lead, audit, "   ")
    moderation = sampling.select_by_hand(lead, audit, "Complaint from the family")
    assert moderation.status == "selected"
    assert moderation.selected_by_id == lead.id
    assert moderation.selection_reason == "Added by hand by Quinn Lead: Complaint from the family"
    last = decisions_for(audit)[-1]
    assert last.selected
    assert last.decided_by_id == lead.id
    assert [e.action for e in history(moderation)] == ["moderation.added_by_hand"]
    with pytest.raises(DomainError, match="already waiting for moderation"):
        sampling.select_by_hand(lead, audit, "Again")


def test_adding_by_hand_is_refused_to_others_and_for_unsubmitted_or_moderated_audits(db) -> None:
    lead = factories.user(Role.QA_LEAD)
    moderator = mf.moderator()
    submitted = factories.audit(overall="good")
    with pytest.raises(Forbidden):
        sampling.select_by_hand(moderator, submitted, "I want to")
    draft = factories.audit(overall="good", status="draft")
    with pytest.raises(DomainError, match="only a submitted audit can be moderated"):
        sampling.select_by_hand(lead, draft, "Reason")
    moderated = factories.audit(overall="good")
    mf.completed(moderated, moderator_user=moderator, overall="good")
    with pytest.raises(DomainError, match="has already been moderated"):
        sampling.select_by_hand(lead, moderated, "Reason")


def test_withdrawing_needs_a_reason_is_logged_and_only_for_waiting_moderations(db) -> None:
    lead = factories.user(Role.QA_LEAD, name="Quinn Lead")
    audit = factories.audit(overall="good")
    moderation = mf.selected(audit)
    with pytest.raises(Forbidden):
        sampling.withdraw(mf.moderator(), moderation, "No")
    with pytest.raises(DomainError, match="Give the reason for withdrawing"):
        sampling.withdraw(lead, moderation, "")
    sampling.withdraw(lead, moderation, "Duplicate of another audit")
    assert (moderation.status, moderation.withdrawn_reason) == (
        "withdrawn",
        "Duplicate of another audit",
    )
    entry = history(moderation)[-1]
    assert entry.action == "moderation.withdrawn"
    assert entry.actor_id == lead.id
    assert entry.after["status"] == "withdrawn"
    assert entry.before["status"] == "selected"
    assert decisions_for(audit)[-1].reason == (
        "Withdrawn by hand by Quinn Lead: Duplicate of another audit"
    )
    with pytest.raises(DomainError, match="only one waiting in the queue can be withdrawn"):
        sampling.withdraw(lead, moderation, "Again")


def test_settings_changes_are_checked_logged_and_stale_forms_refused(db) -> None:
    lead = factories.user(Role.QA_LEAD)
    rules = sampling.get_settings()
    version = rules.version
    base = dict(
        rate_outstanding=0.5,
        rate_good=0.5,
        rate_requires_improvement=0.2,
        inadequate_deadline_days=5,
        normal_deadline_days=20,
        reflective_deadline_days=10,
    )
    with pytest.raises(Forbidden):
        sampling_rules.update_settings(mf.moderator(), rules, version, **base)
    with pytest.raises(DomainError) as bad_rate:
        sampling_rules.update_settings(lead, rules, version, **{**base, "rate_good": 1.5})
    assert bad_rate.value.field == "rate_good"
    with pytest.raises(DomainError) as bad_days:
        sampling_rules.update_settings(lead, rules, version, **{**base, "normal_deadline_days": 0})
    assert bad_days.value.field == "normal_deadline_days"
    sampling_rules.update_settings(lead, rules, version, **{**base, "rate_good": 0.3})
    assert rules.rate_good == 0.3
    assert rules.version == version + 1
    entry = history(rules)[-1]
    assert (entry.before, entry.after) == ({"rate_good": 0.5}, {"rate_good": 0.3})
    with pytest.raises(ConcurrentEdit):
        sampling_rules.update_settings(lead, rules, version, **base)


def test_the_audits_own_submit_and_return_path_selects_and_keeps_the_moderation(db) -> None:
    """Through the audit services: submit fires the event, a return and resubmission (with a
    regrade while returned, which the grade guard allows) keeps the moderation."""
    from qa_audit.audits import services as audits

    mf.salt()
    auditor = factories.user(Role.AUDITOR)
    lead = factories.user(Role.QA_LEAD)
    audit = factories.audit(auditor=auditor, overall="good", status="draft", reference="QA-0005")
    audits.submit(auditor, audit)
    moderation = moderation_for(audit)
    assert moderation is not None
    assert decisions_for(audit)[0].reason.startswith("Good: draw 0.392 < rate 0.50, selected")
    audits.return_audit(lead, audit, "Please add the father's views")
    audit.overall_grade = "requires_improvement"
    _db.session.flush()
    audits.submit(auditor, audit)
    assert moderation_for(audit) is moderation
    assert moderation.status == "selected"
    assert decisions_for(audit)[1].reason == (
        "Resubmitted after return: the existing moderation (selected) is kept"
    )
