"""Moderating an audit: agree or regrade with rationale, the outcome, refusals with clear
messages, nothing saved half-way, and the auditor's grades never touched."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.grade_guard import SubmittedGradesLocked
from qa_audit.audits.models import Audit, AuditDomainGrade
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.clock import local_today
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden
from qa_audit.core.extensions import db as _db
from qa_audit.moderation import services
from qa_audit.moderation.models import ModerationGrade, ReflectiveConversation
from qa_audit.moderation.outcome import final_overall_grade
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
AGREE = Judgement(agree=True)


def agree_all(**changes: Judgement) -> dict[str, Judgement]:
    return {key: changes.get(key, AGREE) for key in KEYS}


def setup(overall: str = "good", grades: dict | None = None):  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR, name="Ada Auditor")
    audit = factories.audit(auditor=auditor, overall=overall, grades=grades)
    return audit, mf.selected(audit), mf.moderator(name="Mo Moderator")


def stored_audit_grades(audit_id: int) -> tuple[str | None, dict[str, str | None]]:
    """The auditor's grades as stored in the database (identity map bypassed)."""
    _db.session.expire_all()
    overall = _db.session.scalar(select(Audit.overall_grade).where(Audit.id == audit_id))
    rows = _db.session.execute(
        select(AuditDomainGrade.domain_key, AuditDomainGrade.grade).where(
            AuditDomainGrade.audit_id == audit_id
        )
    )
    return overall, dict(rows.all())


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


def test_no_one_moderates_their_own_audit(db) -> None:
    both = factories.user(Role.AUDITOR, Role.MODERATOR, name="Sam Both")
    audit = factories.audit(auditor=both)
    moderation = mf.selected(audit)
    with pytest.raises(DomainError, match=r"you are its auditor\. No one moderates their own"):
        services.save_moderation(
            both,
            moderation,
            moderation.version,
            agree_all(),
            Judgement(agree=True, rationale="R"),
            complete=True,
        )
    with pytest.raises(DomainError, match="you are its auditor"):
        services.take(both, moderation)
    lead = factories.user(Role.QA_LEAD)
    with pytest.raises(DomainError, match="Sam Both is the auditor of audit") as refused:
        services.assign(lead, moderation, both)
    assert refused.value.field == "moderator_id"
    assert moderation.status == "selected"
    assert moderation.moderator_id is None


def test_only_moderators_moderate(db) -> None:
    _audit, moderation, _moderator = setup()
    lead = factories.user(Role.QA_LEAD)
    with pytest.raises(Forbidden, match="Only moderators"):
        services.save_moderation(
            lead,
            moderation,
            moderation.version,
            agree_all(),
            Judgement(agree=True, rationale="R"),
            complete=True,
        )


def test_an_audit_not_selected_cannot_be_moderated(db) -> None:
    audit = factories.audit(reference="NOT-SEL-1")
    with pytest.raises(DomainError, match="Audit NOT-SEL-1 has not been selected for moderation"):
        services.moderation_for_audit(audit)


def test_completed_withdrawn_or_returned_moderations_are_refused(db) -> None:
    _audit, moderation, moderator = setup()
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        agree_all(),
        Judgement(agree=True, rationale="R"),
        complete=True,
    )
    other = mf.moderator()
    with pytest.raises(DomainError, match="already been moderated by Mo Moderator on"):
        services.save_moderation(
            other,
            moderation,
            moderation.version,
            agree_all(),
            Judgement(agree=True, rationale="Again"),
            complete=True,
        )
    with pytest.raises(DomainError, match="already been moderated"):
        services.take(other, moderation)

    withdrawn_audit = factories.audit()
    withdrawn = mf.selected(withdrawn_audit)
    from qa_audit.moderation.sampling import withdraw

    withdraw(factories.user(Role.QA_LEAD), withdrawn, "Duplicate")
    with pytest.raises(DomainError, match="withdrawn from moderation: Duplicate"):
        services.save_moderation(
            other,
            withdrawn,
            withdrawn.version,
            agree_all(),
            Judgement(agree=True, rationale="R"),
            complete=True,
        )

    returned_audit = factories.audit(status="returned")
    returned = mf.selected(returned_audit)
    with pytest.raises(DomainError, match="returned to its auditor"):
        services.save_moderation(
            other,
            returned,
            returned.version,
            agree_all(),
            Judgement(agree=True, rationale="R"),
            complete=True,
        )


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


def test_a_stale_version_is_refused_and_nothing_is_saved(db) -> None:
    _audit, moderation, moderator = setup()
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        {"assessment": AGREE},
        Judgement(),
        complete=False,
    )
    with pytest.raises(ConcurrentEdit, match="Someone else saved this moderation"):
        services.save_moderation(
            mf.moderator(),
            moderation,
            1,
            agree_all(),
            Judgement(agree=True, rationale="R"),
            complete=True,
        )
    _db.session.flush()
    assert moderation.status == "selected"
    assert moderation.version == 2
    summary = services.decision_summary(moderation)
    assert summary[0].startswith("Mo Moderator saved progress at")
    assert summary[1] == "Assessment: agreed (Good)"
    assert summary[2] == "Plans and Planning: not decided yet"
    assert summary[-1] == "Overall: not decided yet"


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


class TestTheGuardOnSubmittedGrades:
    def test_changing_a_submitted_audits_overall_grade_is_refused(self, db) -> None:
        audit = factories.audit(overall="good", reference="LOCK-1")
        audit.overall_grade = "outstanding"
        with pytest.raises(SubmittedGradesLocked, match="audit LOCK-1 cannot be changed"):
            _db.session.flush()
        _db.session.rollback()

    def test_changing_a_domain_grade_of_a_submitted_or_closed_audit_is_refused(self, db) -> None:
        for status in ("submitted", "closed"):
            audit = factories.audit(overall="good", status=status)
            _db.session.commit()
            audit.grades[0].grade = "inadequate"
            with pytest.raises(SubmittedGradesLocked):
                _db.session.flush()
            _db.session.rollback()
            assert stored_audit_grades(audit.id)[1]["assessment"] == "good"

    def test_removing_or_adding_a_domain_grade_is_refused(self, db) -> None:
        audit = factories.audit(overall="good")
        _db.session.commit()
        audit.grades.remove(audit.grades[0])
        with pytest.raises(SubmittedGradesLocked):
            _db.session.flush()
        _db.session.rollback()
        assert len(stored_audit_grades(audit.id)[1]) == 5
        first = audit.grades[0]
        audit.grades.append(
            AuditDomainGrade(
                tool_domain_id=first.tool_domain_id, domain_key="extra", position=9, grade="good"
            )
        )
        with pytest.raises(SubmittedGradesLocked):
            _db.session.flush()
        _db.session.rollback()

    def test_the_return_path_allows_the_auditor_to_regrade(self, db) -> None:
        audit = factories.audit(overall="good")
        audit.status = "returned"
        _db.session.flush()
        audit.overall_grade = "requires_improvement"
        audit.grades[0].grade = "requires_improvement"
        _db.session.flush()
        audit.status = "submitted"
        _db.session.flush()
        assert stored_audit_grades(audit.id)[0] == "requires_improvement"

    def test_drafts_and_new_audits_are_not_locked(self, db) -> None:
        draft = factories.audit(overall=None, status="draft")
        draft.overall_grade = "good"
        draft.grades[0].grade = "good"
        _db.session.flush()
        assert stored_audit_grades(draft.id)[0] == "good"

    def test_other_fields_of_a_submitted_audit_can_still_change(self, db) -> None:
        audit = factories.audit(overall="good")
        audit.status = "closed"
        audit.returned_reason = None
        _db.session.flush()
        assert stored_audit_grades(audit.id)[0] == "good"
