"""An allocation completed through the submitted hook (and reopened when its audit is
returned), and the completion counts by auditor and service area."""

from __future__ import annotations

from datetime import date

from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core import signals
from qa_audit.rota import services as rota
from tests import factories
from tests.factories.rota import allocation

APRIL = "2024-04"


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
