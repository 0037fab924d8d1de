"""An auditor's rota allocations and reminders on the home page triage (issue 16): the count,
the first few soonest due, and "View all" to a page of every allocation, filtered by status and
month, paged."""

from __future__ import annotations

import re
from datetime import timedelta

from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.extensions import db as _db
from qa_audit.core.home import HOME_LIMIT
from qa_audit.core.months import add_months, first_day, month_label
from qa_audit.rota.allocation_list import PER_PAGE
from qa_audit.rota.models import Allocation, AllocationStatus
from tests import factories
from tests.factories.rota import allocation

TODAY = local_today()
MONTH = TODAY.strftime("%Y-%m")
NEXT_MONTH = add_months(MONTH, 1)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def cases(page: str) -> list[str]:
    """The case references of the rows, in order (a row names its case twice: in its column
    and in its link's hidden text)."""
    return list(dict.fromkeys(re.findall(r"CR5\d{4}", page)))


def section(page: str, title: str) -> str:
    found = page[page.index(title) :]
    return found[: found.index("</section>")]


def allotted(auditor, count: int, month: str, start: int = 0) -> list[Allocation]:  # type: ignore[no-untyped-def]
    """``count`` allocations of ``month``, due a day apart from its 28th back (the last made
    due soonest)."""
    due = first_day(month) + timedelta(days=27)
    return [
        allocation(
            auditor=auditor,
            month=month,
            case_ref=f"CR5{start + n:04d}",
            due_on=due - timedelta(days=count - n),
        )
        for n in range(count)
    ]


def test_thirty_allocations_give_the_auditor_a_few_and_a_view_all(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    allotted(me, 15, MONTH)
    allotted(me, 15, NEXT_MONTH, start=15)
    _db.session.commit()
    page = text_of(client.get("/"))
    mine = section(page, "Your rota allocations (30)")
    assert cases(mine) == [f"CR5{n:04d}" for n in range(HOME_LIMIT)]
    assert mine.count("Start audit") == HOME_LIMIT
    assert 'href="/rota/yours">View all your rota allocations (30)</a>' in mine


def test_the_allocations_page_pages_through_all_of_them(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    allotted(me, 15, MONTH)
    allotted(me, 15, NEXT_MONTH, start=15)
    allocation(month=MONTH, case_ref="CR59999")  # someone else's
    _db.session.commit()
    first = text_of(client.get("/rota/yours"))
    assert f"Open: 1 to {PER_PAGE} of 30" in first
    assert 'href="/rota/yours?page=2"' in first
    second = text_of(client.get("/rota/yours?page=2"))
    assert f"Open: {PER_PAGE + 1} to 30 of 30" in second
    assert cases(first) + cases(second) == [f"CR5{n:04d}" for n in range(30)]

    next_month = text_of(client.get(f"/rota/yours?month={NEXT_MONTH}"))
    assert cases(next_month) == [f"CR5{n:04d}" for n in range(15, 30)]
    assert f">{month_label(NEXT_MONTH)}</option>" in next_month


def test_the_status_filter_shows_the_closed_ones_with_their_audit(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    made = allotted(me, 6, NEXT_MONTH)
    done, exempted = made[0], made[1]
    audit = factories.audit(auditor=me, case_ref="CR50000", reference="QA-ROTA-DONE")
    audit.allocation_id = done.id
    done.status, done.completed_at = AllocationStatus.COMPLETED.value, utcnow()
    lead = factories.user(Role.QA_LEAD)
    exempted.status = AllocationStatus.EXEMPTED.value
    exempted.exemption_reason = "Long-term sick leave"
    exempted.exemption_approved_by, exempted.exemption_approved_by_id = lead.name, lead.id
    _db.session.commit()

    assert cases(text_of(client.get("/rota/yours"))) == [f"CR5{n:04d}" for n in range(2, 6)]
    completed = text_of(client.get("/rota/yours?state=completed"))
    assert cases(completed) == ["CR50000"]
    assert f'<a class="govuk-link" href="/audits/{audit.id}">QA-ROTA-DONE</a>' in completed
    assert cases(text_of(client.get("/rota/yours?state=exempted"))) == ["CR50001"]
    everything = text_of(client.get("/rota/yours?state=any"))
    assert "Any status: 1 to 6 of 6" in everything
    # The open ones first, soonest due first; then the closed, latest due first.
    assert cases(everything) == ["CR50002", "CR50003", "CR50004", "CR50005", "CR50001", "CR50000"]


def test_reminders_show_a_few_and_a_view_all_of_those_due_soon(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    soon = max(TODAY, first_day(MONTH)) + timedelta(days=1)
    for n in range(HOME_LIMIT + 3):
        allocation(auditor=me, month=MONTH, case_ref=f"CR5{n:04d}", due_on=soon)
    allotted(me, 4, add_months(MONTH, 2), start=100)  # not due soon
    _db.session.commit()
    page = text_of(client.get("/"))
    reminders = section(page, f"Rota reminders: due within 5 days ({HOME_LIMIT + 3})")
    assert len(cases(reminders)) == HOME_LIMIT
    assert (
        'href="/rota/yours?state=due_soon">View all your allocations due within 5 days or '
        f"overdue ({HOME_LIMIT + 3})</a>"
    ) in reminders
    due = text_of(client.get("/rota/yours?state=due_soon"))
    assert cases(due) == [f"CR5{n:04d}" for n in range(HOME_LIMIT + 3)]


def test_only_auditors_have_an_allocations_page(client, login_as) -> None:  # type: ignore[no-untyped-def]
    for role in (Role.QA_LEAD, Role.MODERATOR, Role.SERVICE_MANAGER, Role.VIEWER, Role.ADMIN):
        login_as(role)
        assert client.get("/rota/yours").status_code == 403
