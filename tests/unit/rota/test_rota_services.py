"""The rota's services: allotting, completion through the submitted hook, reassigning,
extending, exempting, the two warnings and every refusal."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core import signals
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.rota import services as rota
from qa_audit.rota.models import AllocationStatus
from tests import factories
from tests.factories.rota import allocation

APRIL = "2024-04"


def areas(*keys: str):  # type: ignore[no-untyped-def]
    return [factories.service_area(k) for k in keys]


# Bulk allotment ------------------------------------------------------------------------------


def test_bulk_gives_every_active_auditor_n_spread_round_robin_over_the_areas(db) -> None:
    lead = factories.user(Role.QA_LEAD, name="Quinn Lead")
    cal = factories.user(Role.AUDITOR, name="Cal Cedar")
    alex = factories.user(Role.AUDITOR, Role.SERVICE_MANAGER, name="Alex Ash")
    bea = factories.user(Role.AUDITOR, name="Bea Birch")
    factories.user(Role.AUDITOR, name="Dee Deactivated", active=False)
    factories.user(Role.MODERATOR, name="Mo Moderator")  # not an auditor role holder

    result = rota.allot_bulk(
        lead,
        month=APRIL,
        roles=[Role.AUDITOR],
        service_areas=areas("locality", "assessment", "fostering"),
        per_auditor=2,
        due_on=date(2024, 4, 26),
    )

    assert result.warnings == []
    made = [(a.auditor.name, a.service_area.key) for a in result.allocations]
    # Auditors in name order; the areas in the order given, continuing from one auditor to the next.
    assert made == [
        ("Alex Ash", "locality"),
        ("Alex Ash", "assessment"),
        ("Bea Birch", "fostering"),
        ("Bea Birch", "locality"),
        ("Cal Cedar", "assessment"),
        ("Cal Cedar", "fostering"),
    ]
    assert Counter(a.auditor_id for a in result.allocations) == {alex.id: 2, bea.id: 2, cal.id: 2}
    assert Counter(key for _, key in made) == {"locality": 2, "assessment": 2, "fostering": 2}
    assert {a.status for a in result.allocations} == {"allotted"}
    assert {a.due_on for a in result.allocations} == {date(2024, 4, 26)}
    assert {a.month for a in result.allocations} == {APRIL}
    assert all(a.case_ref is None for a in result.allocations)
    assert [e.action for e in history(result.allocations[0])] == ["allocation.allotted"]

    completion = rota.rota_completion(APRIL, today=date(2024, 4, 1))
    assert completion["total"] == {
        "allotted": 6,
        "completed": 0,
        "exempted": 0,
        "outstanding": 6,
        "overdue": 0,
        "percent_completed": 0.0,
    }
    assert [(r["service_area"], r["allotted"]) for r in completion["by_service_area"]] == [
        ("Assessment", 2),
        ("Fostering", 2),
        ("Locality (Children in Need / Child Protection)", 2),
    ]


def test_bulk_with_other_roles_allots_only_those_who_also_hold_the_auditor_role(db) -> None:
    sm_auditor = factories.user(Role.SERVICE_MANAGER, Role.AUDITOR, name="Sam Auditing")
    factories.user(Role.SERVICE_MANAGER, name="Sid Manager")
    factories.user(Role.AUDITOR, name="Ola Onlyauditor")

    result = rota.allot_bulk(
        None,
        month=APRIL,
        roles=["service_manager"],
        service_areas=areas("early_help"),
        per_auditor=3,
        due_on=date(2024, 4, 1),
    )

    assert {a.auditor_id for a in result.allocations} == {sm_auditor.id}
    assert len(result.allocations) == 3
    assert result.warnings == [
        "Not allotted, because they do not hold the auditor role: Sid Manager."
    ]


def test_bulk_twice_tops_up_and_says_who_already_had_allocations_that_month(db) -> None:
    """The same allotment run twice gives nothing more (it doubled every auditor's
    allocations); asking for more tops each auditor up to the new number."""
    factories.user(Role.AUDITOR, name="Ria Repeat")
    kwargs = dict(
        month=APRIL,
        roles=[Role.AUDITOR],
        service_areas=areas("fgc"),
        per_auditor=1,
        due_on=date(2024, 4, 30),
    )
    assert rota.allot_bulk(None, **kwargs).warnings == []  # type: ignore[arg-type]
    with pytest.raises(DomainError, match="there is nothing more to allot"):
        rota.allot_bulk(None, **kwargs)  # type: ignore[arg-type]
    assert rota.rota_completion(APRIL)["total"]["allotted"] == 1
    again = rota.allot_bulk(None, **{**kwargs, "per_auditor": 2})  # type: ignore[arg-type]
    assert again.warnings == [
        "Already allotted audits for April 2024, so given only enough to make 2 each: "
        "Ria Repeat (1)."
    ]
    assert rota.rota_completion(APRIL)["total"]["allotted"] == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"due_on": date(2024, 3, 31)},
            "due_on",
            "The due date must be on or after the start of the month: 1 April 2024 or later",
        ),
        ({"due_on": None}, "due_on", "Enter the date the audit is due"),
        ({"per_auditor": 0}, "per_auditor", "Enter how many audits each auditor gets: 1 or more"),
        (
            {"per_auditor": 21},
            "per_auditor",
            "Allot no more than 20 audits to each auditor in one go",
        ),
        ({"service_areas": []}, "service_area_ids", "Select at least one service area"),
        ({"roles": []}, "roles", "Select whose audits to allot: at least one role"),
        (
            {"roles": ["viewer"]},
            "roles",
            "No active auditor holds the roles you selected, so nothing was allotted",
        ),
        ({"month": "2024-13"}, "month", "Enter the month as a year and month, for example 2024-04"),
    ],
)
def test_bulk_refusals(db, change, field, message) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.AUDITOR)
    kwargs = dict(
        month=APRIL,
        roles=[Role.AUDITOR],
        service_areas=areas("locality"),
        per_auditor=1,
        due_on=date(2024, 4, 20),
    )
    kwargs.update(change)
    with pytest.raises(DomainError) as caught:
        rota.allot_bulk(None, **kwargs)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.message) == (field, message)


# One by one -----------------------------------------------------------------------------------


def test_allot_one_named_case(db) -> None:
    lead = factories.user(Role.QA_LEAD)
    auditor = factories.user(Role.AUDITOR, area_key="fostering")
    team = factories.service_area("locality").teams[1]
    made = rota.allot(
        lead,
        month=APRIL,
        auditor=auditor,
        service_area=factories.service_area("locality"),
        team=team,
        case_ref=" CR4455 ",
        due_on=date(2024, 4, 1),
    )
    (only,) = made.allocations
    assert (only.case_ref, only.team_id, only.status, only.created_by_id) == (
        "CR4455",
        team.id,
        "allotted",
        lead.id,
    )
    assert made.warnings == []
    assert rota.allocations_for(auditor) == [only]


def test_allot_refuses_a_deactivated_user(db) -> None:
    gone = factories.user(Role.AUDITOR, name="Gail Gone", active=False)
    with pytest.raises(DomainError) as caught:
        allocation(auditor=gone)
    assert caught.value.field == "auditor_id"
    assert caught.value.message == (
        "Gail Gone's account is deactivated: allot the audit to an active auditor"
    )


def test_allot_refuses_someone_without_the_auditor_role(db) -> None:
    with pytest.raises(DomainError, match="does not hold the auditor role"):
        allocation(auditor=factories.user(Role.VIEWER))


def test_allot_refuses_a_due_date_before_the_month_starts(db) -> None:
    with pytest.raises(DomainError) as caught:
        allocation(month="2024-05", due_on=date(2024, 4, 30))
    assert caught.value.field == "due_on"
    assert caught.value.message == (
        "The due date must be on or after the start of the month: 1 May 2024 or later"
    )


def test_allot_refuses_a_name_as_case_reference(db) -> None:
    with pytest.raises(DomainError) as caught:
        allocation(case_ref="Jane Doe")
    assert caught.value.field == "case_ref"


def test_allot_refuses_a_team_of_another_area(db) -> None:
    with pytest.raises(DomainError, match="is not a team of"):
        allocation(area_key="locality", team=factories.service_area("fostering").teams[0])


# Completion through the submitted hook --------------------------------------------------------


def test_submitting_the_audit_started_from_an_allocation_completes_it(db) -> None:
    auditor = factories.user(Role.AUDITOR, name="Ava Auditor")
    mine = allocation(auditor=auditor, case_ref="CR7001")
    other = allocation(auditor=auditor)
    audit = factories.audit(auditor=auditor, case_ref="CR7001", status="submitted")
    audit.allocation_id = mine.id
    db.session.flush()

    signals.audit_submitted.send(audit, actor=auditor)

    assert mine.status == "completed"
    assert mine.completed_at is not None
    assert other.status == "allotted"
    assert history(mine)[-1].action == "allocation.completed"
    assert history(mine)[-1].after["audit_id"] == audit.id
    assert rota.allocations_for(auditor) == [other]
    # The audit started from it is not "a case audited in the last 12 months" for itself.
    assert rota.recent_audit_warning(mine) is None

    # Submitted again (after a return) changes nothing more.
    signals.audit_submitted.send(audit, actor=auditor)
    assert [e.action for e in history(mine)].count("allocation.completed") == 1


def test_an_audit_without_allocation_completes_nothing(db) -> None:
    mine = allocation()
    audit = factories.audit(auditor=mine.auditor)
    signals.audit_submitted.send(audit, actor=mine.auditor)
    assert mine.status == "allotted"


def test_returning_the_audit_reopens_the_allocation(db) -> None:
    mine = allocation()
    audit = factories.audit(auditor=mine.auditor)
    audit.allocation_id = mine.id
    signals.audit_submitted.send(audit, actor=mine.auditor)
    assert mine.status == "completed"
    signals.audit_returned.send(audit, actor=None)
    assert mine.status == "allotted"
    assert mine.completed_at is None
    signals.audit_submitted.send(audit, actor=mine.auditor)
    assert mine.status == "completed"


def test_completion_counts_by_auditor_and_service_area(db) -> None:
    """Worked out by hand. April 2024, today 20 April:
    Ann: locality due 10 Apr (completed), locality due 15 Apr (open, overdue),
         assessment due 30 Apr (open) -> 3 allotted, 1 completed, 0 exempted, 2 outstanding,
         1 overdue, 1/3 = 33.3%.
    Ben: assessment due 10 Apr (exempted), assessment due 12 Apr (completed)
         -> 2 allotted, 1 completed, 1 exempted, 0 outstanding, 0 overdue, 1/1 = 100.0%.
    Locality: 2 allotted, 1 completed, 1 outstanding, 1 overdue, 50.0%.
    Assessment: 3 allotted, 1 completed, 1 exempted, 1 outstanding, 0 overdue, 1/2 = 50.0%.
    Total: 5 allotted, 2 completed, 1 exempted, 2 outstanding, 1 overdue, 2/4 = 50.0%.
    A May allocation of Ann's is outside the month."""
    ann = factories.user(Role.AUDITOR, name="Ann Adams")
    ben = factories.user(Role.AUDITOR, name="Ben Brown")
    a1 = allocation(auditor=ann, area_key="locality", due_on=date(2024, 4, 10))
    allocation(auditor=ann, area_key="locality", due_on=date(2024, 4, 15))
    allocation(auditor=ann, area_key="assessment", due_on=date(2024, 4, 30))
    b1 = allocation(auditor=ben, area_key="assessment", due_on=date(2024, 4, 10))
    b2 = allocation(auditor=ben, area_key="assessment", due_on=date(2024, 4, 12))
    allocation(auditor=ann, month="2024-05", due_on=date(2024, 5, 1))
    for done in (a1, b2):
        audit = factories.audit(auditor=done.auditor)
        audit.allocation_id = done.id
        signals.audit_submitted.send(audit, actor=done.auditor)
    rota.exempt(None, b1, reason="Long-term sick leave", approved_by="Head of Service")

    report = rota.rota_completion(APRIL, today=date(2024, 4, 20))

    assert report["by_auditor"] == [
        {
            "auditor_id": ann.id,
            "auditor": "Ann Adams",
            "allotted": 3,
            "completed": 1,
            "exempted": 0,
            "outstanding": 2,
            "overdue": 1,
            "percent_completed": 33.3,
        },
        {
            "auditor_id": ben.id,
            "auditor": "Ben Brown",
            "allotted": 2,
            "completed": 1,
            "exempted": 1,
            "outstanding": 0,
            "overdue": 0,
            "percent_completed": 100.0,
        },
    ]
    by_area = {r["service_area"]: r for r in report["by_service_area"]}
    assert {
        k: by_area["Assessment"][k]
        for k in (
            "allotted",
            "completed",
            "exempted",
            "outstanding",
            "overdue",
            "percent_completed",
        )
    } == {
        "allotted": 3,
        "completed": 1,
        "exempted": 1,
        "outstanding": 1,
        "overdue": 0,
        "percent_completed": 50.0,
    }
    locality = by_area["Locality (Children in Need / Child Protection)"]
    assert (
        locality["allotted"],
        locality["completed"],
        locality["overdue"],
        locality["percent_completed"],
    ) == (2, 1, 1, 50.0)
    assert report["total"] == {
        "allotted": 5,
        "completed": 2,
        "exempted": 1,
        "outstanding": 2,
        "overdue": 1,
        "percent_completed": 50.0,
    }
    # A period of two months takes in Ann's May allocation too; a service-area filter narrows.
    assert rota.rota_completion(APRIL, "2024-05", today=date(2024, 4, 20))["total"]["allotted"] == 6
    only_locality = rota.rota_completion(
        APRIL, service_area_id=factories.service_area("locality").id, today=date(2024, 4, 20)
    )
    assert only_locality["total"]["allotted"] == 2
    assert [a.due_on for a in rota.overdue_allocations(date(2024, 4, 20))] == [date(2024, 4, 15)]


# Reassigning, extending, exempting -----------------------------------------------------------


def test_reassign_to_another_active_auditor_keeps_the_history(db) -> None:
    lead = factories.user(Role.QA_LEAD)
    first = factories.user(Role.AUDITOR, name="First Person")
    second = factories.user(Role.AUDITOR, name="Second Person")
    mine = allocation(auditor=first)

    assert rota.reassign(lead, mine, second, expected_version=mine.version) == []

    assert mine.auditor_id == second.id
    entry = history(mine)[-1]
    assert entry.action == "allocation.reassigned"
    assert (entry.before, entry.after) == ({"auditor_id": first.id}, {"auditor_id": second.id})
    assert entry.actor_id == lead.id
    assert rota.allocations_for(first) == []
    assert rota.allocations_for(second) == [mine]


def test_reassign_refusals(db) -> None:
    mine = allocation()
    gone = factories.user(Role.AUDITOR, name="Gus Gone", active=False)
    with pytest.raises(DomainError, match="Gus Gone's account is deactivated"):
        rota.reassign(None, mine, gone)
    with pytest.raises(DomainError, match="is already"):
        rota.reassign(None, mine, mine.auditor)
    with pytest.raises(DomainError, match="Someone else changed this allocation"):
        rota.reassign(None, mine, factories.user(Role.AUDITOR), expected_version=mine.version - 1)
    rota.exempt(None, mine, reason="Case closed", approved_by="PSW")
    with pytest.raises(DomainError, match="This allocation is exempted: it cannot be reassigned"):
        rota.reassign(None, mine, factories.user(Role.AUDITOR))


def test_extend_moves_the_due_date_later_only(db) -> None:
    mine = allocation(due_on=date(2024, 4, 20))
    with pytest.raises(DomainError) as caught:
        rota.extend(None, mine, date(2024, 4, 20))
    assert caught.value.field == "due_on"
    assert caught.value.message == "The new due date must be after the current one, 20 April 2024"
    rota.extend(None, mine, date(2024, 5, 3))
    assert mine.due_on == date(2024, 5, 3)
    assert history(mine)[-1].before == {"due_on": "2024-04-20"}
    assert rota.overdue_allocations(date(2024, 4, 25)) == []


def test_exemption_needs_a_reason_and_an_approver(db) -> None:
    mine = allocation()
    with pytest.raises(DomainError) as caught:
        rota.exempt(None, mine, reason="   ", approved_by="Jo Smith, Head of Service")
    assert (caught.value.field, caught.value.message) == (
        "reason",
        "Enter the reason for the exemption",
    )
    with pytest.raises(DomainError) as caught:
        rota.exempt(None, mine, reason="On leave", approved_by="")
    assert (caught.value.field, caught.value.message) == (
        "approved_by",
        "Enter who approved the exemption",
    )
    assert mine.status == "allotted"

    approver = factories.user(Role.QA_LEAD, name="Pat Approver")
    rota.exempt(None, mine, reason="On maternity leave", approved_by=approver)
    assert (
        mine.status,
        mine.exemption_reason,
        mine.exemption_approved_by,
        mine.exemption_approved_by_id,
    ) == ("exempted", "On maternity leave", "Pat Approver", approver.id)
    assert history(mine)[-1].action == "allocation.exempted"
    with pytest.raises(DomainError, match=r"already|exempted"):
        rota.exempt(None, mine, reason="Again", approved_by="Someone")


def test_completed_allocations_cannot_be_changed(db) -> None:
    mine = allocation()
    audit = factories.audit(auditor=mine.auditor)
    audit.allocation_id = mine.id
    signals.audit_submitted.send(audit, actor=mine.auditor)
    with pytest.raises(DomainError, match="This allocation is completed: it cannot be extended"):
        rota.extend(None, mine, date(2024, 6, 1))
    with pytest.raises(DomainError, match="completed: it cannot be exempted"):
        rota.exempt(None, mine, reason="x", approved_by="y")


# Warnings --------------------------------------------------------------------------------------


def test_own_team_warning_when_the_case_team_is_the_auditors(db) -> None:
    auditor = factories.user(Role.AUDITOR, name="Tia Team", area_key="locality")
    own_team = auditor.team
    assert own_team is not None
    made = rota.allot(
        None,
        month=APRIL,
        auditor=auditor,
        service_area=factories.service_area("locality"),
        team=own_team,
        case_ref="CR9001",
        due_on=date(2024, 4, 30),
    )
    assert made.warnings == [
        f"Tia Team would audit case CR9001 from their own team ({own_team.name}). "
        "Auditors should not audit their own team's cases."
    ]
    # Another team of the same area: no warning.
    other_team = factories.service_area("locality").teams[1]
    assert (
        rota.allocation_warnings(allocation(auditor=auditor, team=other_team, case_ref="CR9002"))
        == []
    )
    # No case named: nothing to warn about.
    assert rota.allocation_warnings(allocation(auditor=auditor, team=own_team)) == []


def test_own_team_warning_from_the_case_team_of_its_latest_audit(db) -> None:
    auditor = factories.user(Role.AUDITOR, area_key="locality")
    earlier = factories.audit(case_ref="CR9100", area_key="locality", submitted_on=date(2020, 1, 6))
    assert earlier.team_id == auditor.team_id
    mine = allocation(auditor=auditor, area_key="locality", case_ref="cr9100")
    assert rota.own_team_warning(mine) is not None
    assert "from their own team" in (rota.own_team_warning(mine) or "")


def test_own_team_warning_when_the_team_is_unknown_but_the_area_is_the_auditors(db) -> None:
    auditor = factories.user(Role.AUDITOR, name="Uma Unknown", area_key="fostering")
    mine = allocation(auditor=auditor, area_key="fostering", case_ref="CR9200")
    assert rota.allocation_warnings(mine) == [
        "Uma Unknown works in Fostering and the team of case CR9200 is not recorded: "
        "check that it is not from their own team."
    ]
    elsewhere = allocation(auditor=auditor, area_key="fgc", case_ref="CR9201")
    assert rota.allocation_warnings(elsewhere) == []


def test_recently_audited_warning_within_12_months_of_the_month_start(db) -> None:
    """May 2024 allotments look back to 1 May 2023."""
    factories.audit(case_ref="CR3001", reference="A-IN", submitted_on=date(2023, 5, 1))
    factories.audit(case_ref="CR3002", reference="A-OUT", submitted_on=date(2023, 4, 30))
    factories.audit(case_ref="CR3003", status="draft", overall=None)
    auditor = factories.user(Role.AUDITOR)

    inside = rota.allot(
        None,
        month="2024-05",
        auditor=auditor,
        service_area=factories.service_area("fgc"),
        case_ref="CR3001",
        due_on=date(2024, 5, 31),
    )
    assert inside.warnings == [
        "Case CR3001 was audited in the last 12 months (audit A-IN, submitted 1 May 2023)."
    ]
    assert (
        rota.allocation_warnings(allocation(month="2024-05", case_ref="CR3002", area_key="fgc"))
        == []
    )
    assert (
        rota.allocation_warnings(allocation(month="2024-05", case_ref="CR3003", area_key="fgc"))
        == []
    )


# Starting an audit from an allocation, reminders ----------------------------------------------


def test_start_prefill_is_for_the_allocations_own_auditor(db) -> None:
    team = factories.service_area("assessment").teams[0]
    mine = allocation(area_key="assessment", team=team, case_ref="CR5005")
    assert rota.start_prefill(mine.auditor, mine.id) == {
        "allocation_id": mine.id,
        "case_ref": "CR5005",
        "service_area_id": factories.service_area("assessment").id,
        "team_id": team.id,
        "due_on": mine.due_on,
    }
    with pytest.raises(Forbidden):
        rota.start_prefill(factories.user(Role.AUDITOR), mine.id)
    rota.exempt(None, mine, reason="Case closed", approved_by="PSW")
    with pytest.raises(DomainError, match="exempted"):
        rota.allocation_for_audit(mine.auditor, mine.id)


def test_the_rota_answers_whether_an_audit_may_start_from_an_allocation(app, db) -> None:  # type: ignore[no-untyped-def]
    mine = allocation(case_ref="CR5006")
    answers = signals.audit_from_allocation.send(mine.auditor, allocation_id=mine.id)
    assert [answer for _receiver, answer in answers] == [rota.start_prefill(mine.auditor, mine.id)]
    with pytest.raises(Forbidden):
        signals.audit_from_allocation.send(factories.user(Role.AUDITOR), allocation_id=mine.id)


def test_due_soon_takes_five_days_ahead_and_overdue_not_completed(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    today = date(2024, 4, 10)
    overdue = allocation(auditor=auditor, due_on=date(2024, 4, 9))
    in_five = allocation(auditor=auditor, due_on=date(2024, 4, 15))
    allocation(auditor=auditor, due_on=date(2024, 4, 16))  # six days: not yet
    exempted = allocation(auditor=auditor, due_on=date(2024, 4, 11))
    rota.exempt(None, exempted, reason="Leave", approved_by="PSW")
    assert rota.due_soon(today, 5, auditor=auditor) == [overdue, in_five]
    assert in_five.due_within(5, today)
    assert not overdue.due_within(5, today)
    assert overdue.overdue(today)
    assert not in_five.overdue(today)
    assert AllocationStatus(exempted.status) is AllocationStatus.EXEMPTED
