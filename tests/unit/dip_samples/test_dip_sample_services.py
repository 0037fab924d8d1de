"""Dip samples: setting up, the checklist results worked out by hand, the refusals, actions,
completion and the completed samples of a period for reports."""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.actions.services import complete_action
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.dip_samples import services as dip
from qa_audit.learning_themes.services import list_themes
from tests import factories


def make_sample(lead=None, *, size: int = 5, areas=("corporate_parenting",), **overrides):  # type: ignore[no-untyped-def]
    lead = lead or factories.user(Role.AUDITOR, name="Lee Lead")
    kwargs = dict(
        title="Child participation in cared-for reviews",
        service_areas=[factories.service_area(k) for k in areas],
        period_from="2024-02",
        period_to="2024-04",
        sample_unit="children",
        sample_size=size,
        lead_auditors=[lead],
        learning_themes=list_themes()[:1],
    )
    kwargs.update(overrides)
    return dip.create_dip_sample(lead, **kwargs)  # type: ignore[arg-type]


def answer_all(sample, lead, rows):  # type: ignore[no-untyped-def]
    """rows: {case_ref: [answer to q1, q2, …]}"""
    for case_ref, answers in rows.items():
        dip.record_case(
            lead,
            sample,
            case_ref=case_ref,
            answers={q.id: a for q, a in zip(sample.questions, answers, strict=True)},
        )


def test_create_keeps_every_detail(db) -> None:
    lead = factories.user(Role.AUDITOR, name="Lee Lead")
    sample = make_sample(lead, size=20)
    assert (
        sample.title,
        sample.period_from,
        sample.period_to,
        sample.sample_unit,
        sample.sample_size,
        sample.status,
    ) == (
        "Child participation in cared-for reviews",
        "2024-02",
        "2024-04",
        "children",
        20,
        "in_progress",
    )
    assert [a.key for a in sample.service_areas] == ["corporate_parenting"]
    assert sample.lead_auditors == [lead]
    assert [t.name for t in sample.learning_themes] == [list_themes()[0].name]
    assert history(sample)[0].action == "dip_sample.created"


def test_checklist_results_worked_out_by_hand(db) -> None:
    """Five children, four questions:
    Q1 yes yes yes no N/A        -> 3 of 4 (75.0%)  (N/A out of the denominator)
    Q2 yes partly no no no       -> 1 of 5 (20.0%)
    Q3 N/A x5                    -> no case applicable
    Q4 yes partly partly N/A N/A -> 1 of 3 (33.3%)
    Q5 added after the cases     -> not answered yet"""
    lead = factories.user(Role.AUDITOR)
    sample = make_sample(lead, size=5)
    for text in (
        "Was the child's view sought before the review?",
        "Did the child attend or contribute?",
        "Was an advocate offered?",
        "Was the plan shared in a child-friendly way?",
    ):
        dip.add_question(lead, sample, text)
    answer_all(
        sample,
        lead,
        {
            "CR1001": ["yes", "yes", "n_a", "yes"],
            "CR1002": ["yes", "partly", "n_a", "partly"],
            "CR1003": ["yes", "no", "n_a", "partly"],
            "CR1004": ["no", "no", "n_a", "n_a"],
            "CR1005": ["n_a", "no", "n_a", "n_a"],
        },
    )
    dip.add_question(lead, sample, "Was the IRO's view recorded?")

    results = dip.checklist_results(sample)

    assert [(r.yes, r.partly, r.no, r.not_applicable) for r in results] == [
        (3, 0, 1, 1),
        (1, 1, 3, 0),
        (0, 0, 0, 5),
        (1, 2, 0, 2),
        (0, 0, 0, 0),
    ]
    assert [r.percent_yes for r in results] == [75.0, 20.0, None, 33.3, None]
    assert [r.summary for r in results] == [
        "3 of 4 (75.0%)",
        "1 of 5 (20.0%)",
        "No case applicable",
        "1 of 3 (33.3%)",
        "Not answered yet",
    ]


def test_a_sample_size_smaller_than_the_cases_recorded_is_refused(db) -> None:
    lead = factories.user(Role.AUDITOR)
    sample = make_sample(lead, size=3)
    answer_all(sample, lead, {"CR2001": [], "CR2002": [], "CR2003": []})
    edit = dict(
        title=sample.title,
        service_areas=sample.service_areas,
        period_from="2024-02",
        period_to="2024-04",
        sample_unit="children",
        lead_auditors=[lead],
        learning_themes=[],
        strengths="",
        areas_for_development="",
    )
    with pytest.raises(DomainError) as caught:
        dip.update_dip_sample(lead, sample, sample_size=2, **edit)  # type: ignore[arg-type]
    assert caught.value.field == "sample_size"
    assert caught.value.message == (
        "The sample size cannot be smaller than the 3 cases already recorded: enter 3 or more, "
        "or remove cases first"
    )
    dip.update_dip_sample(lead, sample, sample_size=3, **edit)  # type: ignore[arg-type]
    assert sample.sample_size == 3


def test_recording_more_cases_than_the_sample_size_is_refused(db) -> None:
    lead = factories.user(Role.AUDITOR)
    sample = make_sample(lead, size=2)
    answer_all(sample, lead, {"CR2101": [], "CR2102": []})
    with pytest.raises(DomainError) as caught:
        answer_all(sample, lead, {"CR2103": []})
    assert caught.value.message == (
        "The sample size is 2 and 2 cases are recorded: increase the sample size to record more"
    )
    assert len(sample.cases) == 2


def test_case_refusals(db) -> None:
    lead = factories.user(Role.AUDITOR)
    sample = make_sample(lead)
    question = dip.add_question(lead, sample, "Was the plan reviewed?")
    with pytest.raises(DomainError) as caught:
        dip.record_case(lead, sample, case_ref="CR3001", answers={})
    assert (caught.value.field, caught.value.message) == (
        f"q{question.id}",
        "Answer 'Was the plan reviewed?': yes, partly, no or N/A",
    )
    with pytest.raises(DomainError) as caught:
        dip.record_case(lead, sample, case_ref="Jane Smith", answers={question.id: "yes"})
    assert caught.value.field == "case_ref"
    case = dip.record_case(lead, sample, case_ref="CR3001", answers={question.id: "yes"})
    with pytest.raises(DomainError, match="Case cr3001 is already recorded"):
        dip.record_case(lead, sample, case_ref="cr3001", answers={question.id: "no"})
    # Changing the recorded case keeps one answer per question.
    dip.record_case(lead, sample, case_ref="CR3001", answers={question.id: "no"}, case=case)
    assert [(a.question_id, a.answer) for a in case.answers] == [(question.id, "no")]
    with pytest.raises(DomainError, match="already on the checklist"):
        dip.add_question(lead, sample, "was the plan   reviewed?")


def test_create_refusals(db) -> None:
    lead = factories.user(Role.AUDITOR)
    with pytest.raises(DomainError) as caught:
        make_sample(lead, period_from="2024-05", period_to="2024-04")
    assert caught.value.field == "period_to"
    with pytest.raises(DomainError) as caught:
        make_sample(lead, sample_size=0)
    assert caught.value.message == "Enter the sample size: 1 or more"
    with pytest.raises(DomainError) as caught:
        make_sample(lead, sample_unit="cats")
    assert caught.value.field == "sample_unit"
    with pytest.raises(DomainError) as caught:
        make_sample(lead, service_areas=[])
    assert caught.value.field == "service_area_ids"
    gone = factories.user(Role.AUDITOR, name="Gil Gone", active=False)
    with pytest.raises(DomainError, match="Gil Gone's account is deactivated"):
        make_sample(lead, lead_auditors=[gone])


def test_only_the_qa_lead_and_lead_auditors_change_a_sample(db) -> None:
    lead = factories.user(Role.AUDITOR)
    sample = make_sample(lead)
    with pytest.raises(Forbidden):
        dip.add_question(factories.user(Role.AUDITOR), sample, "Anything?")
    assert dip.add_question(factories.user(Role.QA_LEAD), sample, "Anything?").position == 1


def test_complete_needs_findings_and_then_locks_the_sample(db) -> None:
    lead = factories.user(Role.AUDITOR)
    sample = make_sample(lead)
    with pytest.raises(DomainError, match="Write the findings"):
        dip.complete_dip_sample(lead, sample, date(2024, 5, 2))
    sample.strengths = "Children's views were sought in every review."
    dip.complete_dip_sample(
        lead,
        sample,
        date(2024, 5, 2),
        expected_version=sample.version,
        not_reviewed_reason="No cases recorded in this test",
    )
    assert (sample.status, sample.completed_on) == ("completed", date(2024, 5, 2))
    with pytest.raises(DomainError, match="completed: reopen it"):
        dip.add_question(lead, sample, "Too late?")
    with pytest.raises(Forbidden):
        dip.reopen_dip_sample(lead, sample)
    dip.reopen_dip_sample(factories.user(Role.QA_LEAD), sample)
    assert (sample.status, sample.completed_on) == ("in_progress", None)


def test_dip_sample_actions_go_through_the_actions_centre(db) -> None:
    lead = factories.user(Role.AUDITOR)
    owner = factories.user(Role.SERVICE_MANAGER, area_key="corporate_parenting")  # sees it
    sample = make_sample(lead)
    action = dip.add_dip_sample_action(
        lead,
        sample,
        description="Brief IROs on advocacy offers",
        owner_id=owner.id,
        due_on=date(2024, 6, 30),
        today=date(2024, 5, 1),
    )
    assert (action.source, action.dip_sample_id, action.audit_id, action.owner_id) == (
        "dip_sample",
        sample.id,
        None,
        owner.id,
    )
    db.session.expire(sample, ["actions"])
    assert sample.actions == [action]
    with pytest.raises(DomainError, match="Enter what needs to be done"):
        dip.add_dip_sample_action(
            lead,
            sample,
            description=" ",
            owner_id=owner.id,
            due_on=date(2024, 6, 30),
            today=date(2024, 5, 1),
        )


def test_dip_samples_completed_in_a_period_for_reports(db) -> None:
    """Completed 2 Feb (in), 30 Apr (in), 1 May (out), and one in progress (out); with two
    actions on the February one, one done."""
    lead = factories.user(Role.AUDITOR)
    owner = factories.user(Role.SERVICE_MANAGER, area_key="locality")  # sees the February one

    def completed(title, on, areas, size, unit="families"):  # type: ignore[no-untyped-def]
        sample = make_sample(lead, title=title, areas=areas, size=size, sample_unit=unit)
        sample.strengths = "Strengths"
        dip.complete_dip_sample(lead, sample, on, not_reviewed_reason="Not recorded in a test")
        return sample

    feb = completed("Repeat child protection plans", date(2024, 2, 2), ("locality",), 5)
    apr = completed("S47 decision making", date(2024, 4, 30), ("front_door", "locality"), 17)
    completed("Early Years PEPs", date(2024, 5, 1), ("corporate_parenting",), 6, "children")
    make_sample(lead, title="Still going", areas=("locality",))
    first = dip.add_dip_sample_action(
        lead,
        feb,
        description="Review step-down plans",
        owner_id=owner.id,
        due_on=date(2024, 3, 1),
        today=date(2024, 2, 2),
    )
    dip.add_dip_sample_action(
        lead,
        feb,
        description="Audit repeat plans again",
        owner_id=owner.id,
        due_on=date(2024, 9, 1),
        today=date(2024, 2, 2),
    )
    complete_action(owner, first, "Done at the March meeting", first.version)

    rows = dip.dip_samples_completed("2024-02", "2024-04")

    assert [(r["theme"], r["sample_size"], r["sample_unit"], r["actions"]) for r in rows] == [
        ("Repeat child protection plans", 5, "families", {"open": 1, "done": 1}),
        ("S47 decision making", 17, "families", {"open": 0, "done": 0}),
    ]
    assert rows[0]["completed_on"] == "2024-02-02"
    assert rows[0]["sample_unit_label"] == "Families"
    assert rows[1]["service_areas"] == [
        "Integrated Front Door",
        "Locality (Children in Need / Child Protection)",
    ]
    assert rows[1]["id"] == apr.id
    front_door = factories.service_area("front_door").id
    assert [r["theme"] for r in dip.dip_samples_completed("2024-01", "2024-12", front_door)] == [
        "S47 decision making",
    ]
    assert dip.dip_samples_completed("2024-05", "2024-05")[0]["theme"] == "Early Years PEPs"


def test_an_action_owner_is_someone_who_may_see_the_sample(db) -> None:
    lead = factories.user(Role.AUDITOR)
    sample = make_sample(lead)  # of the corporate parenting area
    for owner in (
        factories.user(Role.VIEWER, area_key="corporate_parenting"),
        factories.user(Role.ADMIN),
        factories.user(Role.AUDITOR, name="Otto Elsewhere", area_key="locality"),
    ):
        with pytest.raises(DomainError, match="cannot see this dip sample: choose an owner"):
            dip.add_dip_sample_action(
                lead,
                sample,
                description="Share the learning",
                owner_id=owner.id,
                due_on=date(2030, 1, 1),
            )
    assert sample.actions == []
    colleague = factories.user(Role.SERVICE_MANAGER, area_key="corporate_parenting")
    action = dip.add_dip_sample_action(
        lead,
        sample,
        description="Share the learning",
        owner_id=colleague.id,
        due_on=date(2030, 1, 1),
    )
    assert action.owner_id == colleague.id
