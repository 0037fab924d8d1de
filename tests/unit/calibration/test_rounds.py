"""Calibration rounds through their services: creating a round, grading, closing, references."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.roles import Role
from qa_audit.calibration import results
from qa_audit.calibration.grading import Entry, save_grades
from qa_audit.calibration.models import OVERALL
from qa_audit.calibration.rounds import (
    RoundDraft,
    close_round,
    create_round,
    open_invitations,
    set_reference,
)
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden
from tests import factories
from tests.factories import calibration as cf
from tests.factories import moderation as mf


def _draft(**changes: object) -> RoundDraft:
    people = [factories.user(Role.AUDITOR) for _ in range(2)]
    audit = factories.audit()
    values: dict[str, object] = {
        "title": "Round",
        "deadline": local_today() + timedelta(days=3),
        "invitee_ids": [p.id for p in people],
        "domain_keys": ["assessment"],
        "audit_reference": audit.reference,
    }
    values.update(changes)
    return RoundDraft(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"deadline": local_today() - timedelta(days=1)}, "deadline", "today or in the future"),
        ({"deadline": local_today() + timedelta(days=400)}, "deadline", "within a year"),
        ({"deadline": None}, "deadline", "Enter the deadline"),
        ({"domain_keys": []}, "domain_keys", "at least one domain"),
        ({"domain_keys": ["no_such"]}, "domain_keys", "has no domain"),
        ({"audit_reference": "NOPE-1"}, "audit_reference", "no submitted audit NOPE-1"),
        ({"title": "  "}, "title", "Enter a name"),
    ],
)
def test_a_round_is_refused_with_the_reason(
    db, changes: dict[str, object], field: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        create_round(factories.user(Role.QA_LEAD), _draft(**changes))
    assert refused.value.field == field
    assert message in refused.value.message


def test_a_round_needs_two_people_and_only_people_who_grade(db) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD)
    one = factories.user(Role.AUDITOR)
    viewer = factories.user(Role.VIEWER)
    with pytest.raises(DomainError, match="at least 2"):
        create_round(lead, _draft(invitee_ids=[one.id]))
    with pytest.raises(DomainError, match="from the list"):
        create_round(lead, _draft(invitee_ids=[one.id, viewer.id]))


def test_a_draft_audit_cannot_be_read_and_only_the_qa_lead_creates(db) -> None:  # type: ignore[no-untyped-def]
    draft_audit = factories.audit(status="draft", overall=None)
    with pytest.raises(DomainError, match="no submitted audit"):
        create_round(factories.user(Role.QA_LEAD), _draft(audit_reference=draft_audit.reference))
    with pytest.raises(Forbidden):
        create_round(factories.user(Role.AUDITOR), _draft())


def test_an_audit_past_retention_cannot_be_read(db) -> None:  # type: ignore[no-untyped-def]
    """Its evidence is gone, and the round's own text would never be cleared with it."""
    anonymised = factories.audit()
    anonymised.anonymised_at = utcnow()
    with pytest.raises(DomainError) as refused:
        create_round(factories.user(Role.QA_LEAD), _draft(audit_reference=anonymised.reference))
    assert refused.value.field == "audit_reference"
    assert "past the retention period" in refused.value.message


def test_a_case_to_be_read_needs_a_case_reference_not_a_name(db) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD)
    with pytest.raises(DomainError) as refused:
        create_round(lead, _draft(audit_reference="", case_ref="Jane Smith", tool_id=1))
    assert refused.value.field == "case_ref"
    made = cf.calibration_round(case_ref="CR-77001")
    assert made.audit_id is None
    assert made.shown_case_ref == "CR-77001"


def test_creating_a_round_is_in_the_change_log(db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round()
    actions = db.session.query(ChangeLogEntry.action).filter(
        ChangeLogEntry.entity_type.in_(["calibration_round", "calibration_invitation"])
    )
    assert sorted(a for (a,) in actions) == [
        "calibration_invitation.invited",
        "calibration_invitation.invited",
        "calibration_invitation.invited",
        "calibration_round.created",
    ]
    assert made.keys == ["assessment", "plans_and_planning", OVERALL]


def test_saving_then_submitting_is_final(db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round()
    person = made.invitations[0].person
    cf.graded(made, person, "good", submit=False)
    cf.graded(made, person, "outstanding")  # still saved: changes it, then final
    invitation = made.invitation_of(person.id)
    assert invitation is not None
    assert invitation.submitted
    assert invitation.grade_for("assessment").grade == "outstanding"  # type: ignore[union-attr]
    with pytest.raises(DomainError, match="no longer be changed"):
        cf.graded(made, person, "inadequate")


def test_submitting_needs_every_grade_but_saving_does_not(db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round()
    person = made.invitations[0].person
    partial = {"assessment": Entry(Grade.GOOD)}
    invitation = made.invitation_of(person.id)
    save_grades(person, made, invitation.version, partial)  # type: ignore[union-attr]
    with pytest.raises(DomainError) as refused:
        save_grades(person, made, invitation.version, partial, submit=True)  # type: ignore[union-attr]
    assert refused.value.field == "d_plans_and_planning_grade"


def test_a_stale_form_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round()
    person = made.invitations[0].person
    invitation = made.invitation_of(person.id)
    opened = invitation.version  # type: ignore[union-attr]
    cf.graded(made, person, "good", submit=False)
    with pytest.raises(ConcurrentEdit):
        save_grades(person, made, opened, {"assessment": Entry(Grade.INADEQUATE)})


def test_no_grading_after_the_deadline_or_once_closed(db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round()
    late, closed_out = made.invitations[0].person, made.invitations[1].person
    invitation = made.invitation_of(late.id)
    with pytest.raises(DomainError, match="The deadline for this round was"):
        save_grades(
            late,
            made,
            invitation.version,  # type: ignore[union-attr]
            {"assessment": Entry(Grade.GOOD)},
            today=made.deadline + timedelta(days=1),
        )
    close_round(made.created_by, made, made.version)
    with pytest.raises(DomainError, match="closed this round"):
        cf.graded(made, closed_out, "good")
    assert open_invitations(closed_out) == []


def test_someone_not_invited_cannot_grade(db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round()
    with pytest.raises(DomainError, match="No such"):
        save_grades(factories.user(Role.AUDITOR), made, None, {"assessment": Entry(Grade.GOOD)})


def test_results_against_the_moderators_grade_and_the_qa_leads_override(db) -> None:  # type: ignore[no-untyped-def]
    """Reference: moderated Assessment RI, Plans Good, overall Good.
    Ann: Good, Good, Good -> 2 same of 3, diffs +1, 0, 0: mean +0.3 (1/3 = 0.33).
    Ben: RI, RI, Inadequate -> 1 same; diffs 0, -1, -2: within one 2; mean -1.0.
    After the QA lead sets Assessment to Good: Ann 3 of 3, Ben 0 of 3."""
    audit = factories.audit(overall="good")
    mf.completed_moderation(audit, "good", grades={"assessment": "requires_improvement"})
    ann = factories.user(Role.AUDITOR, name="Ann")
    ben = factories.user(Role.MODERATOR, name="Ben")
    cal = factories.user(Role.SERVICE_MANAGER, name="Cal")
    made = cf.calibration_round(audit=audit, invitees=[ann, ben, cal])
    cf.graded(made, ann, "good")
    cf.graded(
        made,
        ben,
        "requires_improvement",
        plans_and_planning="requires_improvement",
        overall="inadequate",
    )
    close_round(made.created_by, made, made.version)
    outcome = results.round_results(made)
    assert dict(outcome.spread["assessment"])[Grade.GOOD] == 1
    assert dict(outcome.spread["assessment"])[Grade.REQUIRES_IMPROVEMENT] == 1
    assert dict(outcome.spread[OVERALL])[Grade.INADEQUATE] == 1
    assert [p.name for p in outcome.not_submitted] == ["Cal"]
    rows = {row.invitation.person.name: row.agreement for row in outcome.people}
    assert (rows["Ann"].exact, rows["Ann"].compared, rows["Ann"].mean_difference) == (2, 3, 0.3)
    assert rows["Ann"].exact_percent == 66.7
    assert (rows["Ben"].exact, rows["Ben"].within_one, rows["Ben"].mean_difference) == (1, 2, -1.0)

    set_reference(made.created_by, made, "assessment", Grade.GOOD, "Agreed after discussion")
    outcome = results.round_results(made)
    rows = {row.invitation.person.name: row.agreement for row in outcome.people}
    assert rows["Ann"].exact == 3
    assert rows["Ben"].exact == 0
    assert outcome.references["assessment"].source == results.FROM_QA_LEAD

    history = results.person_history(ann)
    assert [r.calibration_round.id for r in history.rounds] == [made.id]
    assert history.total.exact == 3


def test_results_are_not_in_a_persons_history_until_open(db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round()
    person = made.invitations[0].person
    cf.graded(made, person, "good")
    assert results.person_history(person).rounds == []
    assert results.person_history(person, today=made.deadline + timedelta(days=1)).rounds


def test_a_reference_needs_a_reason_and_a_grade_the_domain_takes(db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round()
    with pytest.raises(DomainError, match="why"):
        set_reference(made.created_by, made, "assessment", Grade.GOOD, " ")
    with pytest.raises(DomainError, match="Overall cannot be graded Not applicable"):
        set_reference(made.created_by, made, OVERALL, Grade.NOT_APPLICABLE, "n/a")
    with pytest.raises(DomainError, match="Select the reference grade"):
        set_reference(made.created_by, made, OVERALL, None, "no grade")
    db.session.flush()
