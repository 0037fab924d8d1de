"""The rota's allotment: in bulk (round robin over the areas, topping up) and one named case
at a time, with every refusal."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.errors import DomainError
from qa_audit.rota import services as rota
from tests import factories
from tests.factories.rota import allocation

APRIL = "2024-04"


def areas(*keys: str):  # type: ignore[no-untyped-def]
    return [factories.service_area(k) for k in keys]


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
