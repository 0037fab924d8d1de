"""Blind moderation: sampling makes a moderation blind by the grade's setting, the blind grades
are saved once (never changed), the decision waits for them, a change from a blind grade needs
a rationale, who is kept blind, and the outcome still follows the final decision."""

from __future__ import annotations

import pytest

from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.errors import DomainError
from qa_audit.moderation import blind, sampling, sampling_rules, services
from qa_audit.moderation.services import Judgement
from tests import factories
from tests.factories import moderation as mf

KEYS = [
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
]


def blind_setup(overall: str = "good"):  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR, name="Ada Auditor")
    audit = factories.audit(auditor=auditor, overall=overall)
    moderation = mf.selected(audit)
    moderation.blind = True
    return audit, moderation, mf.moderator(name="Mo Moderator")


def grade_blind(moderator, moderation, overall=Grade.REQUIRES_IMPROVEMENT, **domains):  # type: ignore[no-untyped-def]
    grades = {key: domains.get(key, Grade.GOOD) for key in KEYS}
    return blind.save_blind_grades(
        moderator, moderation, moderation.version, grades, overall, "My own reading"
    )


def test_sampling_makes_a_moderation_blind_when_its_grade_is_set_blind(db) -> None:
    settings = sampling.get_settings()
    mf.salt()
    settings.rate_good = 1.0
    settings.rate_requires_improvement = 1.0
    sampling_rules.update_settings(
        factories.user(Role.QA_LEAD),
        settings,
        settings.version,
        rate_outstanding=0.5,
        rate_good=1.0,
        rate_requires_improvement=1.0,
        inadequate_deadline_days=5,
        normal_deadline_days=20,
        reflective_deadline_days=10,
        blind_grades={Grade.GOOD},
    )
    good = factories.audit(overall="good", status="submitted")
    ri = factories.audit(overall="requires_improvement", status="submitted")
    sampling.select_on_submission(None, good)
    sampling.select_on_submission(None, ri)
    assert sampling.moderation_of(good).blind is True
    assert sampling.moderation_of(ri).blind is False


def test_by_hand_the_qa_lead_chooses(db) -> None:
    lead = factories.user(Role.QA_LEAD)
    audit = factories.audit(overall="good", status="submitted")
    moderation = sampling.select_by_hand(lead, audit, "A second look", blind=True)
    assert moderation.blind is True


def test_the_decision_is_refused_before_the_blind_grades(db) -> None:
    _, moderation, moderator = blind_setup()
    with pytest.raises(DomainError, match="save your own grades first"):
        services.save_moderation(
            moderator,
            moderation,
            moderation.version,
            dict.fromkeys(KEYS, Judgement(agree=True)),
            Judgement(agree=True, rationale="Fine"),
            complete=True,
        )
    assert moderation.status == "selected"


def test_blind_grades_are_saved_once_and_prefill_the_decision(db) -> None:
    _, moderation, moderator = blind_setup()
    grade_blind(moderator, moderation, assessment=Grade.REQUIRES_IMPROVEMENT)
    assert moderation.blind_overall_grade == "requires_improvement"
    assert moderation.grade_for("assessment").blind_grade == "requires_improvement"
    assert moderation.grade_for("assessment").grade == "requires_improvement"
    assert moderation.overall_grade == "requires_improvement"
    assert history(moderation)[-1].action == "moderation.blind_graded"
    with pytest.raises(DomainError, match="cannot be changed"):
        grade_blind(moderator, moderation, overall=Grade.GOOD)
    assert moderation.blind_overall_grade == "requires_improvement"


def test_every_blind_grade_is_needed(db) -> None:
    _, moderation, moderator = blind_setup()
    grades = {key: Grade.GOOD for key in KEYS}
    grades["permanence"] = None  # type: ignore[assignment]
    with pytest.raises(DomainError) as error:
        blind.save_blind_grades(moderator, moderation, moderation.version, grades, Grade.GOOD, "")
    assert error.value.field == "d_permanence_grade"
    with pytest.raises(DomainError) as error:
        blind.save_blind_grades(
            moderator, moderation, moderation.version, dict.fromkeys(KEYS, Grade.GOOD), None, ""
        )
    assert error.value.field == "overall_grade"
    assert moderation.blind_graded_at is None


def test_changing_from_the_blind_grade_needs_a_rationale_and_both_are_kept(db) -> None:
    _audit, moderation, moderator = blind_setup()
    grade_blind(moderator, moderation, assessment=Grade.REQUIRES_IMPROVEMENT)
    # Agreeing with the auditor's Good on assessment departs from the blind RI.
    judgements = dict.fromkeys(KEYS, Judgement(agree=True))
    with pytest.raises(DomainError) as error:
        services.save_moderation(
            moderator,
            moderation,
            moderation.version,
            judgements,
            Judgement(agree=True, rationale="On reflection Good"),
            complete=True,
        )
    assert error.value.field == "d_assessment_rationale"
    judgements["assessment"] = Judgement(
        agree=True, rationale="The auditor's evidence convinced me"
    )
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        judgements,
        Judgement(agree=True, rationale="On reflection Good"),
        complete=True,
    )
    assert (moderation.status, moderation.outcome) == ("completed", "upheld")
    assert moderation.grade_for("assessment").grade == "good"
    assert moderation.grade_for("assessment").blind_grade == "requires_improvement"
    assert moderation.blind_overall_grade == "requires_improvement"
    assert moderation.overall_grade == "good"


def test_who_is_kept_blind(db) -> None:
    audit, moderation, moderator = blind_setup()
    other = mf.moderator(name="Other Moderator")
    lead = factories.user(Role.QA_LEAD)
    # Unassigned: every moderator who could take it, but not the QA lead who chose it.
    assert blind.is_blinded(moderator, moderation)
    assert blind.is_blinded(other, moderation)
    assert not blind.is_blinded(lead, moderation)
    assert not blind.is_blinded(audit.auditor, moderation)
    moderation.moderator_id = moderator.id
    assert blind.is_blinded(moderator, moderation)
    assert not blind.is_blinded(other, moderation)
    assert blind.grades_hidden_from(moderator, audit.id)
    assert blind.hidden_audit_ids(moderator) == {audit.id}
    grade_blind(moderator, moderation)
    assert not blind.is_blinded(moderator, moderation)
    assert blind.hidden_audit_ids(moderator) == set()


def test_a_moderation_that_is_not_blind_hides_nothing(db) -> None:
    audit = factories.audit(overall="good")
    moderation = mf.selected(audit)
    moderator = mf.moderator()
    assert not blind.is_blinded(moderator, moderation)
    with pytest.raises(DomainError, match="not blind"):
        grade_blind(moderator, moderation)
