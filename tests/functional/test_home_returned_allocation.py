"""An audit started from a rota allocation and returned to its auditor: the home page offers
to continue that audit, and starting the allocation again opens it rather than making a
second audit (issue 16, defect 2)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db as _db
from qa_audit.core.months import first_day
from qa_audit.rota.models import Allocation
from tests import factories
from tests.factories.rota import allocation

TODAY = local_today()
MONTH = TODAY.strftime("%Y-%m")


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def returned_from_allocation(me: User) -> tuple[Allocation, Audit]:
    """An allocation whose audit was submitted and then returned (the allocation allotted
    again, as the rota's receiver of audit_returned leaves it)."""
    mine = allocation(
        auditor=me, month=MONTH, case_ref="CR8181", due_on=first_day(MONTH) + timedelta(days=27)
    )
    returned = factories.audit(auditor=me, case_ref="CR8181", status="returned")
    returned.allocation_id = mine.id
    returned.returned_reason = "Say more about the child's plan"
    _db.session.commit()
    return mine, returned


def audits_of(mine: Allocation) -> int:
    return (
        _db.session.scalar(select(func.count(Audit.id)).where(Audit.allocation_id == mine.id)) or 0
    )


def test_the_home_page_continues_a_returned_audit_of_an_allocation(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    _mine, returned = returned_from_allocation(me)
    page = text_of(client.get("/"))
    allotted = page[page.index("Your rota allocations") : page.index("Rota reminders")]
    assert "Start audit" not in allotted
    assert f"Continue audit {returned.reference}" in allotted
    assert f'href="/audits/{returned.id}/edit"' in allotted


def test_starting_an_allocation_with_an_audit_opens_that_audit(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    mine, returned = returned_from_allocation(me)

    shown = client.get(f"/audits/new?allocation_id={mine.id}")
    assert shown.status_code == 302
    assert shown.headers["Location"] == f"/audits/{returned.id}/edit"

    posted = client.post(
        "/audits/new",
        data={
            "allocation_id": str(mine.id),
            "case_ref": "CR8181",
            "service_area_id": str(mine.service_area_id),
            "team_id": str(mine.service_area.teams[0].id),
            "audit_type": "deep_dive",
            "audit_date": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
        },
    )
    assert posted.status_code == 302
    assert posted.headers["Location"] == f"/audits/{returned.id}/edit"
    assert audits_of(mine) == 1
