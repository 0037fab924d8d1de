"""The month's due-date window on every path of the rota (issue 16, "a safer rota"): a due
date past the window needs a reason, whether allotting one audit, extending a due date or
scheduling a closing-the-loop audit, as in bulk allotment. Findings: extending took any later
date (1 1 2099 was stored with no reason) and had no reason field; the closing-the-loop
scheduling form could not take a reason at all."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db as _db
from qa_audit.core.months import first_day
from qa_audit.rota.models import Allocation
from tests import factories
from tests.factories.rota import allocation
from tests.functional.rota_pages import date_parts, error_links, log_of, loop_to_close, text

MONTH = local_today().strftime("%Y-%m")
LATE = date(2099, 1, 1)
REFUSED = "or give the reason for a later one"
REASON = "Agreed with the head of service: the auditor is on leave"


def test_extending_to_2099_needs_a_reason_kept_and_change_logged(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    mine = allocation(month=MONTH, due_on=first_day(MONTH) + timedelta(days=9))
    _db.session.commit()
    url = f"/rota/allocations/{mine.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="extend-due_on_reason"' in page

    refused = client.post(
        f"{url}/extend",
        data={"extend-due_on": date_parts(LATE), "extend-version": str(mine.version)},
    )
    assert refused.status_code == 400
    assert "There is a problem" in text(refused)
    links = error_links(refused)
    assert [m for h, m in links.items() if h == "#extend-due_on-day" and REFUSED in m]
    assert 'id="extend-due_on-day"' in refused.get_data(as_text=True)
    _db.session.refresh(mine)
    assert mine.due_on == first_day(MONTH) + timedelta(days=9)

    done = client.post(
        f"{url}/extend",
        data={
            "extend-due_on": date_parts(LATE),
            "extend-due_on_reason": REASON,
            "extend-version": str(mine.version),
        },
    )
    assert done.status_code == 302
    _db.session.refresh(mine)
    assert (mine.due_on, mine.due_on_reason) == (LATE, REASON)
    (entry,) = log_of(mine.id, "allocation.extended")
    assert entry.after == {"due_on": LATE.isoformat(), "due_on_reason": REASON}
    assert f"Later than the month's window because: {REASON}" in text(client.get(url))


def test_extending_within_the_window_needs_no_reason(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    mine = allocation(month=MONTH, due_on=first_day(MONTH) + timedelta(days=9))
    _db.session.commit()
    within = first_day(MONTH) + timedelta(days=40)
    done = client.post(
        f"/rota/allocations/{mine.id}/extend",
        data={
            "extend-due_on": date_parts(within),
            "extend-due_on_reason": "Not needed",
            "extend-version": str(mine.version),
        },
    )
    assert done.status_code == 302
    _db.session.refresh(mine)
    # A reason is kept only for a date past the window.
    assert (mine.due_on, mine.due_on_reason) == (within, None)


def test_allotting_one_to_2099_needs_a_reason(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    auditor = factories.user(Role.AUDITOR, area_key="fostering")
    _db.session.commit()
    data = {
        "month": MONTH,
        "auditor_id": str(auditor.id),
        "service_area_id": str(factories.service_area("locality").id),
        "case_ref": "CR5551",
        "due_on": date_parts(LATE),
    }
    refused = client.post("/rota/allot", data=data)
    assert refused.status_code == 400
    assert [m for h, m in error_links(refused).items() if h == "#due_on-day" and REFUSED in m]

    done = client.post("/rota/allot", data={**data, "due_on_reason": REASON})
    assert done.status_code == 302
    made = _db.session.scalars(select(Allocation).where(Allocation.case_ref == "CR5551")).one()
    assert (made.due_on, made.due_on_reason) == (LATE, REASON)
    (entry,) = log_of(made.id, "allocation.allotted")
    assert entry.after is not None
    assert entry.after["due_on_reason"] == REASON


def test_scheduling_a_closing_the_loop_audit_in_2099_needs_a_reason(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    audit = loop_to_close("CR800002")
    auditor = factories.user(Role.AUDITOR, area_key="fgc")
    _db.session.commit()
    url = f"/closing-the-loop/{audit.id}/schedule"
    assert 'name="due_on_reason"' in client.get(url).get_data(as_text=True)
    data = {"auditor_id": str(auditor.id), "month": MONTH, "due_on": date_parts(LATE)}

    refused = client.post(url, data=data)
    assert refused.status_code == 400
    assert [m for h, m in error_links(refused).items() if h == "#due_on-day" and REFUSED in m]
    assert (
        _db.session.scalars(select(Allocation).where(Allocation.case_ref == "CR800002")).all() == []
    )

    done = client.post(url, data={**data, "due_on_reason": REASON})
    assert done.status_code == 302, text(done)[:1500]
    made = _db.session.scalars(select(Allocation).where(Allocation.case_ref == "CR800002")).one()
    assert (made.due_on, made.due_on_reason) == (LATE, REASON)
    (entry,) = log_of(made.id, "allocation.allotted")
    assert entry.after is not None
    assert entry.after["due_on_reason"] == REASON
