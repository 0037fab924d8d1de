"""Closing-the-loop prompts as the QA lead's work (issue 16, defect 9): the home page shows
the few waiting longest, each to schedule or dismiss, and a "View all" link to a paged,
filtered list; scheduling allots the case on the rota; dismissing needs a reason, is in the
change log, and moves the prompt under the "Dismissed" filter."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import insert, select

from qa_audit.actions.models import Action
from qa_audit.audits.models import Audit
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db as _db
from qa_audit.core.home import HOME_LIMIT
from qa_audit.core.months import first_day
from qa_audit.rota.closing_the_loop import PER_PAGE
from qa_audit.rota.models import Allocation
from tests import factories
from tests.factories.actions import action as make_action

TODAY = local_today()
MONTH = TODAY.strftime("%Y-%m")


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def prompts(count: int) -> list[int]:
    """``count`` submitted audits, each with its one action done: copies of one made by the
    factories, written in two statements (the factories take a second or so an audit)."""
    first = factories.audit(reference="QA-LOOP-0000", case_ref="CR700000")
    done = make_action(owner=first.auditor, audit_id=first.id, done=True)
    audit_table, action_table = Audit.__table__, Action.__table__
    audit_row = dict(
        _db.session.execute(select(audit_table).where(audit_table.c.id == first.id))
        .mappings()
        .one()
    )
    action_row = dict(
        _db.session.execute(select(action_table).where(action_table.c.id == done.id))
        .mappings()
        .one()
    )
    del audit_row["id"], action_row["id"]
    copies = [
        {**audit_row, "reference": f"QA-LOOP-{n:04d}", "case_ref": f"CR7{n:05d}"}
        for n in range(1, count)
    ]
    if copies:
        _db.session.execute(insert(audit_table), copies)
    ids = [
        first.id,
        *_db.session.scalars(
            select(audit_table.c.id).where(
                audit_table.c.reference.like("QA-LOOP-%"), audit_table.c.id != first.id
            )
        ),
    ]
    if ids[1:]:
        _db.session.execute(
            insert(action_table), [{**action_row, "audit_id": audit_id} for audit_id in ids[1:]]
        )
    _db.session.commit()
    return ids


def test_the_qa_leads_home_shows_a_few_prompts_and_the_list_pages_them(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    ids = prompts(600)

    home = text_of(client.get("/"))
    section = home[home.index("Closing-the-loop audits to schedule") :]
    assert "Closing-the-loop audits to schedule (600)" in home
    # A handful, each a link to its audit and to scheduling or dismissing it: not 600.
    assert len(re.findall(r'href="/closing-the-loop/\d+/schedule"', home)) == HOME_LIMIT
    assert len(re.findall(r'href="/closing-the-loop/\d+/dismiss"', home)) == HOME_LIMIT
    assert home.count("QA-LOOP-") <= 3 * HOME_LIMIT
    assert f'href="/audits/{ids[0]}"' in section
    assert 'href="/closing-the-loop">View all closing-the-loop audits to schedule (600)</a>' in home

    first = text_of(client.get("/closing-the-loop"))
    assert len(re.findall(r'href="/closing-the-loop/\d+/schedule"', first)) == PER_PAGE
    assert f"1 to {PER_PAGE} of 600" in first
    assert 'href="/closing-the-loop?page=2"' in first
    last = text_of(client.get("/closing-the-loop?page=24"))
    assert "576 to 600 of 600" in last
    assert len(re.findall(r'href="/closing-the-loop/\d+/schedule"', last)) == 600 - 23 * PER_PAGE


def test_dismissing_a_prompt_needs_a_reason_and_moves_it_to_dismissed(client, login_as) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.QA_LEAD)
    audit_id, other_id = prompts(2)

    refused = client.post(f"/closing-the-loop/{audit_id}/dismiss", data={"reason": "  "})
    assert refused.status_code == 400
    assert "Enter why no closing-the-loop audit is needed" in text_of(refused)

    done = client.post(
        f"/closing-the-loop/{audit_id}/dismiss", data={"reason": "The case has closed"}
    )
    assert done.status_code == 302
    to_schedule = text_of(client.get("/closing-the-loop"))
    assert f"/closing-the-loop/{audit_id}/schedule" not in to_schedule
    assert f"/closing-the-loop/{other_id}/schedule" in to_schedule
    assert f"/closing-the-loop/{audit_id}/" not in text_of(client.get("/"))
    dismissed = text_of(client.get("/closing-the-loop?state=dismissed"))
    assert "QA-LOOP-0000" in dismissed
    assert "The case has closed" in dismissed
    entry = _db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "closing_the_loop.dismissed")
    ).one()
    assert entry.actor_id == lead.id
    assert entry.after is not None
    assert entry.after["reason"] == "The case has closed"
    # Dismissed once: dismissing or scheduling it again is refused.
    again = client.get(f"/closing-the-loop/{audit_id}/schedule")
    assert again.status_code == 302


def test_scheduling_a_prompt_allots_the_case_on_the_rota(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    (audit_id,) = prompts(1)
    auditor = factories.user(Role.AUDITOR, area_key="fgc")
    _db.session.commit()
    due = first_day(MONTH) + timedelta(days=27)

    page = client.get(f"/closing-the-loop/{audit_id}/schedule")
    assert page.status_code == 200
    assert "CR700000" in text_of(page)
    response = client.post(
        f"/closing-the-loop/{audit_id}/schedule",
        data={
            "auditor_id": str(auditor.id),
            "month": MONTH,
            "due_on": [str(due.day), str(due.month), str(due.year)],
        },
    )
    assert response.status_code == 302, text_of(response)[:2000]
    allocation = _db.session.scalars(
        select(Allocation).where(Allocation.case_ref == "CR700000")
    ).one()
    assert allocation.auditor_id == auditor.id
    assert allocation.month == MONTH
    audit = _db.session.get(Audit, audit_id)
    assert allocation.service_area_id == audit.service_area_id
    assert f"/closing-the-loop/{audit_id}/schedule" not in text_of(client.get("/closing-the-loop"))
    scheduled = text_of(client.get("/closing-the-loop?state=scheduled"))
    assert (
        f'href="/rota/allocations/{allocation.id}"' in scheduled or f"/{allocation.id}" in scheduled
    )
    assert _db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "closing_the_loop.scheduled")
    ).one()


def test_only_the_qa_lead_opens_the_closing_the_loop_pages(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.MODERATOR, Role.SERVICE_MANAGER)
    assert client.get("/closing-the-loop").status_code == 403
