"""A safer bulk allotment: topping up rather than doubling, the independence rule, due dates
within the month's window unless a reason is given, and undoing a whole allotment while none
of it has started."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.errors import DomainError
from qa_audit.rota import services as rota
from qa_audit.rota.models import Allocation
from tests import factories
from tests.factories.rota import allocation

APRIL = "2024-04"


def bulk(**change):  # type: ignore[no-untyped-def]
    kwargs = dict(
        month=APRIL,
        roles=[Role.AUDITOR],
        service_areas=[factories.service_area("fgc")],
        per_auditor=2,
        due_on=date(2024, 4, 30),
    )
    kwargs.update(change)
    return kwargs


def held(db, auditor) -> int:  # type: ignore[no-untyped-def]
    return len(
        db.session.scalars(
            select(Allocation).where(Allocation.month == APRIL, Allocation.auditor_id == auditor.id)
        ).all()
    )


def test_running_the_same_allotment_twice_tops_up_and_never_doubles(db) -> None:  # type: ignore[no-untyped-def]
    ria = factories.user(Role.AUDITOR, name="Ria Repeat", area_key="locality")
    sam = factories.user(Role.AUDITOR, name="Sam Second", area_key="locality")
    allocation(auditor=sam, month=APRIL)  # one already, allotted by hand

    first = rota.allot_bulk(None, **bulk())
    assert (held(db, ria), held(db, sam)) == (2, 2)
    assert len(first.allocations) == 3
    assert first.warnings == [
        "Already allotted audits for April 2024, so given only enough to make 2 each: "
        "Sam Second (1)."
    ]

    with pytest.raises(DomainError) as caught:
        rota.allot_bulk(None, **bulk())
    assert (caught.value.field, caught.value.message) == (
        "per_auditor",
        "Every auditor already has 2 audits for April 2024: there is nothing more to allot",
    )
    # Asking for more tops up to the new number.
    rota.allot_bulk(None, **bulk(per_auditor=3))
    assert (held(db, ria), held(db, sam)) == (3, 3)


def test_the_preview_plans_exactly_what_allotting_makes_and_writes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.AUDITOR, name="Ada Ash", area_key="locality")
    factories.user(Role.AUDITOR, name="Ben Birch", area_key="fostering")
    areas = [factories.service_area("locality"), factories.service_area("fostering")]

    plan = rota.plan_bulk(**bulk(service_areas=areas))
    assert db.session.scalars(select(Allocation)).all() == []
    planned = [(p.auditor.name, [a.key for a in p.areas]) for p in plan.auditors]
    assert planned == [
        ("Ada Ash", ["locality", "fostering"]),
        ("Ben Birch", ["locality", "fostering"]),
    ]

    made = rota.allot_bulk(None, **bulk(service_areas=areas))
    assert [(a.auditor.name, a.service_area.key) for a in made.allocations] == [
        (name, key) for name, keys in planned for key in keys
    ]


def test_own_service_area_is_always_warned_and_can_be_excluded(db) -> None:  # type: ignore[no-untyped-def]
    ada = factories.user(Role.AUDITOR, name="Ada Ash", area_key="locality")
    factories.user(Role.AUDITOR, name="Ben Birch", area_key="fostering")
    areas = [factories.service_area("locality"), factories.service_area("fostering")]

    plan = rota.plan_bulk(**bulk(service_areas=areas, per_auditor=1))
    # Ada is given Locality (her own), Ben Fostering (his own): both warned, naming the team.
    assert plan.independence_warnings == [
        f"Ada Ash works in {areas[0].name} and would be given audits there: they must not "
        f"choose a case from their own team ({ada.team.name}).",
        f"Ben Birch works in {areas[1].name} and would be given audits there: they must not "
        f"choose a case from their own team ({plan.auditors[1].auditor.team.name}).",
    ]

    kept_out = rota.allot_bulk(
        None, **bulk(service_areas=areas, per_auditor=1, exclude_own_area=True)
    )
    assert [(a.auditor.name, a.service_area.key) for a in kept_out.allocations] == [
        ("Ada Ash", "fostering"),
        ("Ben Birch", "locality"),
    ]
    assert kept_out.independence == []


def test_an_auditor_whose_own_area_is_the_only_one_is_left_out_when_excluded(db) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.AUDITOR, name="Ola Own", area_key="fgc")
    factories.user(Role.AUDITOR, name="Pat Other", area_key="locality")
    plan = rota.plan_bulk(**bulk(exclude_own_area=True))
    assert [(p.auditor.name, len(p.areas)) for p in plan.auditors] == [
        ("Ola Own", 0),
        ("Pat Other", 2),
    ]
    assert plan.warnings == [
        "Not allotted, because every service area you selected is their own: Ola Own."
    ]


def test_a_due_date_past_the_months_window_needs_a_reason_which_is_kept(db) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.AUDITOR)
    assert rota.due_window(APRIL) == (date(2024, 4, 1), date(2024, 5, 31))
    for late in (date(2099, 4, 30), date(2024, 6, 1)):
        with pytest.raises(DomainError) as caught:
            rota.allot_bulk(None, **bulk(due_on=late))
        assert (caught.value.field, caught.value.message) == (
            "due_on",
            "The due date must be between 1 April 2024 and 31 May 2024, or give the reason "
            "for a later one",
        )
    # The last day of the window needs no reason (and a reason given is not kept).
    edge = rota.allot_bulk(None, **bulk(due_on=date(2024, 5, 31), due_on_reason="not needed"))
    assert {a.due_on_reason for a in edge.allocations} == {None}

    made = rota.allot_bulk(
        None,
        **bulk(per_auditor=3, due_on=date(2024, 6, 14), due_on_reason=" Summer  leave "),
    )
    assert {a.due_on_reason for a in made.allocations} == {"Summer leave"}
    entry = db.session.scalars(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "allocation",
            ChangeLogEntry.entity_id == str(made.allocations[0].id),
        )
    ).one()
    assert entry.after["due_on_reason"] == "Summer leave"


def test_allotting_one_audit_keeps_to_the_window_too(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="between 1 April 2024 and 31 May 2024"):
        allocation(month=APRIL, due_on=date(2099, 12, 31))


def test_undoing_a_whole_allotment_that_has_not_started(db) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD, name="Quinn Lead")
    factories.user(Role.AUDITOR, name="Ada Ash")
    kept = allocation(month="2024-05")
    made = rota.allot_bulk(lead, **bulk())
    assert made.batch_id
    assert {a.batch_id for a in made.allocations} == {made.batch_id}
    ids = [a.id for a in made.allocations]
    [batch] = rota.month_batches(APRIL)
    assert (batch.batch_id, batch.count, batch.made_by) == (made.batch_id, 4, "Quinn Lead")

    # Ada and the May allocation's auditor, 2 each.
    assert rota.undo_batch(lead, made.batch_id) == 4

    assert db.session.scalars(select(Allocation.id)).all() == [kept.id]
    undone = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "allocation.undone")
    ).all()
    assert sorted(int(e.entity_id) for e in undone) == ids
    assert {e.actor_id for e in undone} == {lead.id}
    assert all(e.after is None and e.before["month"] == APRIL for e in undone)
    assert rota.month_batches(APRIL) == []


@pytest.mark.parametrize("how", ["audit started", "exempted"])
def test_an_allotment_with_any_part_started_cannot_be_undone(db, how) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.AUDITOR, name="Ada Ash")
    made = rota.allot_bulk(None, **bulk())
    first = made.allocations[0]
    if how == "exempted":
        rota.exempt(None, first, reason="Long-term sick", approved_by="Jo Smith, Head of Service")
    else:
        audit = factories.audit(auditor=first.auditor, status="draft", overall=None)
        audit.allocation_id = first.id
        db.session.flush()

    with pytest.raises(DomainError) as caught:
        rota.undo_batch(None, made.batch_id)
    assert caught.value.message == (
        "This allotment cannot be undone: 1 of its 2 audits has started, been completed or "
        "been exempted. Change those allocations one by one instead"
    )
    assert len(db.session.scalars(select(Allocation)).all()) == 2
