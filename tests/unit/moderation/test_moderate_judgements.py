"""Moderating an audit: agree or regrade with rationale, the outcome (upheld, downgraded,
upgraded), the auditor's grades never touched, and bad judgements refused with nothing saved."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_audit.audit_tools.grades import Grade
from qa_audit.changelog.services import history
from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db as _db
from qa_audit.moderation import services
from qa_audit.moderation.models import ModerationGrade
from qa_audit.moderation.outcome import final_overall_grade
from qa_audit.moderation.services import Judgement
from tests.unit.moderation.moderating import AGREE, KEYS, agree_all, setup, stored_audit_grades


def test_agreeing_with_everything_upholds_the_audit(db) -> None:
    audit, moderation, moderator = setup()
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        agree_all(),
        Judgement(agree=True, rationale="Evidence supports Good throughout"),
        complete=True,
    )
    assert (moderation.status, moderation.outcome, moderation.overall_grade) == (
        "completed",
        "upheld",
        "good",
    )
    assert moderation.moderator_id == moderator.id
    assert moderation.moderated_on == local_today()
    assert {g.domain_key: g.grade for g in moderation.grades} == dict.fromkeys(KEYS, "good")
    assert final_overall_grade(audit) is Grade.GOOD
    assert history(moderation)[-1].action == "moderation.completed"


def test_regrading_downgrades_and_leaves_the_auditors_grades_untouched(db) -> None:
    audit, moderation, moderator = setup(grades={"permanence": "not_applicable"})
    before = stored_audit_grades(audit.id)
    assert before == ("good", {**dict.fromkeys(KEYS, "good"), "permanence": "not_applicable"})
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        agree_all(
            plans_and_planning=Judgement(
                agree=False, grade=Grade.REQUIRES_IMPROVEMENT, rationale="Plan not SMART"
            )
        ),
        Judgement(agree=False, grade=Grade.REQUIRES_IMPROVEMENT, rationale="Drift in planning"),
        complete=True,
    )
    _db.session.flush()
    assert moderation.outcome == "downgraded"
    assert stored_audit_grades(audit.id) == before  # the auditor's grades are never overwritten
    assert final_overall_grade(audit) is Grade.REQUIRES_IMPROVEMENT
    plans = _db.session.scalar(
        select(ModerationGrade).where(
            ModerationGrade.moderation_id == moderation.id,
            ModerationGrade.domain_key == "plans_and_planning",
        )
    )
    assert (plans.grade, plans.rationale) == ("requires_improvement", "Plan not SMART")
    permanence = _db.session.scalar(
        select(ModerationGrade).where(
            ModerationGrade.moderation_id == moderation.id,
            ModerationGrade.domain_key == "permanence",
        )
    )
    assert permanence.grade == "not_applicable"  # agreeing with N/A keeps N/A


def test_regrading_the_overall_up_is_an_upgrade(db) -> None:
    _audit, moderation, moderator = setup(overall="requires_improvement")
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        agree_all(),
        Judgement(agree=False, grade=Grade.GOOD, rationale="Impact is clear"),
        complete=True,
    )
    assert moderation.outcome == "upgraded"


@pytest.mark.parametrize(
    ("domains", "overall", "field", "message"),
    [
        (
            agree_all(assessment=Judgement(agree=False, grade=Grade.OUTSTANDING)),
            Judgement(agree=True, rationale="R"),
            "d_assessment_rationale",
            "Give your rationale for regrading Assessment",
        ),
        (
            agree_all(assessment=Judgement(agree=False, rationale="Why")),
            Judgement(agree=True, rationale="R"),
            "d_assessment_grade",
            "Choose the new grade for Assessment",
        ),
        (
            agree_all(assessment=Judgement(agree=False, grade=Grade.GOOD, rationale="Why")),
            Judgement(agree=True, rationale="R"),
            "d_assessment_grade",
            "The new grade for Assessment is the auditor's grade",
        ),
        (
            agree_all(assessment=Judgement(agree=False, grade=Grade.NOT_APPLICABLE, rationale="W")),
            Judgement(agree=True, rationale="R"),
            "d_assessment_grade",
            "Not applicable is not a grade for Assessment",
        ),
        (
            {k: AGREE for k in KEYS if k != "permanence"},
            Judgement(agree=True, rationale="R"),
            "d_permanence_decision",
            "Choose Agree or Regrade for Creating Stability",
        ),
        (
            agree_all(),
            Judgement(agree=False, grade=Grade.INADEQUATE),
            "overall_rationale",
            "Give your rationale for regrading the overall grade",
        ),
        (
            agree_all(),
            Judgement(agree=True),
            "overall_rationale",
            "Give your rationale for the overall grade",
        ),
        (
            agree_all(),
            Judgement(rationale="R"),
            "overall_decision",
            "Choose Agree or Regrade for the overall grade",
        ),
    ],
)
def test_bad_judgements_are_refused_and_nothing_is_saved(
    db, domains, overall, field, message
) -> None:
    _audit, moderation, moderator = setup()
    version = moderation.version
    with pytest.raises(DomainError, match=message) as refused:
        services.save_moderation(moderator, moderation, version, domains, overall, complete=True)
    assert refused.value.field == field
    _db.session.flush()
    _db.session.expire_all()
    assert (moderation.status, moderation.version, moderation.overall_grade) == (
        "selected",
        version,
        None,
    )
    assert moderation.grades == []
