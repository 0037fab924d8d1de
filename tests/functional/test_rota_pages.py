"""The rota pages through the test client: who may open them, allotting in bulk and one by
one, the warnings, reassigning, extending, exempting, and the auditor's home page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db as _db
from qa_audit.core.months import add_months, first_day, long_date, month_label
from qa_audit.rota import services as rota
from qa_audit.rota.home import start_audit_url
from qa_audit.rota.models import Allocation
from tests import factories
from tests.factories.rota import allocation

TODAY = local_today()
MONTH = TODAY.strftime("%Y-%m")
NEXT_MONTH = add_months(MONTH, 1)


def date_parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.QA_LEAD, 200),
        (Role.AUDITOR, 403),
        (Role.MODERATOR, 403),
        (Role.SERVICE_MANAGER, 403),
        (Role.VIEWER, 403),
        (Role.ADMIN, 403),
    ],
)
def test_only_the_qa_lead_opens_the_rota(client, login_as, role, status) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    assert client.get("/rota").status_code == status
    assert client.get("/rota/allot-bulk").status_code == status
    page = text_of(client.get("/"))
    assert ('href="/rota"' in page) is (role == Role.QA_LEAD)


def test_signed_out_goes_to_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/rota")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_bulk_allotment_through_the_page(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    factories.user(Role.AUDITOR, name="Aaron Able")
    factories.user(Role.AUDITOR, name="Beth Bold")
    _db.session.commit()
    locality, fostering = factories.service_area("locality"), factories.service_area("fostering")

    choices = {
        "month": NEXT_MONTH,
        "roles": ["auditor"],
        "service_area_ids": [str(locality.id), str(fostering.id)],
        "per_auditor": "3",
        "due_on": date_parts(first_day(NEXT_MONTH) + timedelta(days=20)),
    }
    # First the preview (nothing allotted), then "Allot" on it.
    preview = client.post("/rota/allot-bulk", data=choices)
    assert preview.status_code == 200
    assert "6 audits would be allotted to 2 auditors" in text_of(preview)
    assert _db.session.scalars(select(Allocation).where(Allocation.month == NEXT_MONTH)).all() == []
    response = client.post(
        f"/rota/allot-bulk?month={NEXT_MONTH}", data={**choices, "confirm": "yes"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rota?month={NEXT_MONTH}"
    page = text_of(client.get(response.headers["Location"]))
    assert "6 audits allotted to 2 auditors" in page
    # 2 auditors x 3 audits over 2 areas in turn: 3 in each area.
    by_area = re.search(r'id="by-service-area".*?</table>', page).group(0)  # type: ignore[union-attr]
    assert re.search(r"Fostering</th>\s*<td[^>]*>3</td>", by_area)
    assert re.search(
        r"Locality \(Children in Need / Child Protection\)</th>\s*<td[^>]*>3</td>", by_area
    )
    by_auditor = re.search(r'id="by-auditor".*?</table>', page).group(0)  # type: ignore[union-attr]
    assert re.search(r"Aaron Able</th>\s*<td[^>]*>3</td>\s*<td[^>]*>0</td>", by_auditor)
    made = _db.session.scalars(select(Allocation).where(Allocation.month == NEXT_MONTH)).all()
    assert len(made) == 6


def test_bulk_refuses_a_due_date_before_the_month_starts(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    factories.user(Role.AUDITOR)
    _db.session.commit()
    start = first_day(NEXT_MONTH)
    response = client.post(
        "/rota/allot-bulk",
        data={
            "month": NEXT_MONTH,
            "roles": ["auditor"],
            "service_area_ids": [str(factories.service_area("fgc").id)],
            "per_auditor": "1",
            "due_on": date_parts(start - timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "govuk-error-summary" in page
    assert (
        f"The due date must be on or after the start of the month: {long_date(start)} or later"
    ) in page
    assert _db.session.scalars(select(Allocation).where(Allocation.month == NEXT_MONTH)).all() == []


def test_bulk_form_checks(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.post(
        "/rota/allot-bulk",
        data={"month": MONTH, "per_auditor": "two", "due_on": ["", "", ""]},
    )
    assert response.status_code == 400
    page = text_of(response)
    for message in (
        "Select at least one role",
        "Select at least one service area",
        "Audits per auditor must be a whole number, like 2",
        "Enter the date the audits are due",
    ):
        assert message in page


def test_allot_one_to_a_deactivated_user_is_refused(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    gone = factories.user(Role.AUDITOR, name="Gwen Gone", active=False)
    _db.session.commit()
    response = client.post(
        "/rota/allot",
        data={
            "month": MONTH,
            "auditor_id": str(gone.id),
            "service_area_id": str(factories.service_area("locality").id),
            "team_id": "",
            "case_ref": "CR123",
            "due_on": date_parts(first_day(MONTH) + timedelta(days=25)),
        },
    )
    assert response.status_code == 400
    assert "Gwen Gone&#39;s account is deactivated: allot the audit to an active auditor" in (
        text_of(response)
    )


def test_allot_one_shows_both_warnings_before_allotting(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    auditor = factories.user(Role.AUDITOR, name="Wes Warned", area_key="locality")
    factories.audit(case_ref="CR7777", reference="A-PAST", submitted_on=TODAY - timedelta(days=40))
    _db.session.commit()
    response = client.post(
        "/rota/allot",
        data={
            "month": MONTH,
            "auditor_id": str(auditor.id),
            "service_area_id": str(factories.service_area("locality").id),
            "team_id": str(auditor.team_id),
            "case_ref": "CR7777",
            "due_on": date_parts(TODAY + timedelta(days=10)),
        },
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Check the warnings before allotting" in page
    warnings = re.findall(r'<strong class="govuk-warning-text__text">(.*?)</strong>', page)
    assert len(warnings) == 2
    assert "Wes Warned would audit case CR7777 from their own team" in warnings[0]
    assert (
        "Case CR7777 was audited in the last 12 months (audit A-PAST, submitted "
        f"{long_date(TODAY - timedelta(days=40))})."
    ) in warnings[1]
    assert (
        _db.session.scalars(select(Allocation).where(Allocation.case_ref == "CR7777")).all() == []
    )


def test_reassign_extend_and_exempt_on_the_allocation_page(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    first = factories.user(Role.AUDITOR, name="Fay First")
    second = factories.user(Role.AUDITOR, name="Sol Second")
    mine = allocation(auditor=first, month=MONTH, due_on=first_day(MONTH) + timedelta(days=9))
    _db.session.commit()
    url = f"/rota/allocations/{mine.id}"
    assert "Allocation to Fay First" in text_of(client.get(url))

    response = client.post(
        f"{url}/reassign",
        data={"reassign-auditor_id": str(second.id), "reassign-version": str(mine.version)},
    )
    assert response.status_code == 302
    page = text_of(client.get(url))
    assert "The audit has been reassigned to Sol Second" in page
    assert "Reassigned" in page  # the history, in plain English

    new_due = first_day(MONTH) + timedelta(days=40)
    _db.session.refresh(mine)
    response = client.post(
        f"{url}/extend",
        data={"extend-due_on": date_parts(new_due), "extend-version": str(mine.version)},
    )
    assert response.status_code == 302
    assert f"The due date is now {long_date(new_due)}" in text_of(client.get(url))

    _db.session.refresh(mine)
    response = client.post(
        f"{url}/exempt",
        data={
            "exempt-reason": "",
            "exempt-approved_by": "Jo Smith, Head of Service",
            "exempt-version": str(mine.version),
        },
    )
    assert response.status_code == 400
    assert "Enter the reason for the exemption" in text_of(response)

    response = client.post(
        f"{url}/exempt",
        data={
            "exempt-reason": "Auditor on long-term leave",
            "exempt-approved_by": "Jo Smith, Head of Service",
            "exempt-version": str(mine.version),
        },
    )
    assert response.status_code == 302
    page = text_of(client.get(url))
    assert "The exemption has been recorded" in page
    assert "Auditor on long-term leave" in page
    assert "Jo Smith, Head of Service" in page
    assert "Reassign to another auditor" not in page  # nothing more to change
    _db.session.refresh(mine)
    assert (mine.status, mine.auditor_id, mine.due_on) == ("exempted", second.id, new_due)


def test_a_stale_form_is_refused_not_overwritten(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    mine = allocation(month=MONTH, due_on=first_day(MONTH) + timedelta(days=9))
    _db.session.commit()
    stale = mine.version
    rota.extend(None, mine, mine.due_on + timedelta(days=1))
    _db.session.commit()
    response = client.post(
        f"/rota/allocations/{mine.id}/extend",
        data={
            "extend-due_on": date_parts(mine.due_on + timedelta(days=30)),
            "extend-version": str(stale),
        },
    )
    assert response.status_code == 400
    assert "Someone else changed this allocation since you opened it" in text_of(response)


def test_overdue_allocations_are_tagged_red(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    late = allocation(month=MONTH, due_on=first_day(MONTH), case_ref="CR4040")
    late.due_on = TODAY - timedelta(days=1)
    _db.session.commit()
    page = text_of(client.get(f"/rota?month={late.month}"))
    overdue = page[page.index('id="overdue"') :]
    assert "CR4040" in overdue
    assert re.search(r'<strong class="govuk-tag govuk-tag--red">\s*Overdue\s*</strong>', overdue)


def test_auditor_home_page_lists_allocations_with_start_links_and_reminders(  # type: ignore[no-untyped-def]
    app, client, login_as
) -> None:
    me = login_as(Role.AUDITOR)
    soon = allocation(
        auditor=me,
        month=MONTH,
        case_ref="CR6001",
        due_on=max(TODAY, first_day(MONTH)) + timedelta(days=2),
    )
    later = allocation(
        auditor=me,
        month=NEXT_MONTH,
        area_key="fgc",
        due_on=first_day(NEXT_MONTH) + timedelta(days=27),
    )
    allocation(month=MONTH, case_ref="CR6999")  # someone else's
    _db.session.commit()

    page = text_of(client.get("/"))

    allotted = page[page.index("Your rota allocations") : page.index("Rota reminders")]
    assert "CR6001" in allotted
    assert "Your choice of case" in allotted
    assert "CR6999" not in page
    with app.test_request_context():
        links = [start_audit_url(item) for item in (soon, later)]
    assert re.search(rf"allocation(_id)?={soon.id}(&|$)", links[0])
    for link in links:
        assert f'href="{link.replace("&", "&amp;")}"' in allotted
    reminders = page[page.index("Rota reminders") :]
    assert "CR6001" in reminders
    assert "Family Group Conferencing" not in reminders
    assert "Due in 2 days" in reminders


def test_qa_lead_home_shows_this_months_rota(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    allocation(month=MONTH, due_on=first_day(MONTH) + timedelta(days=27))
    _db.session.commit()
    page = text_of(client.get("/"))
    assert f"Rota for {month_label(MONTH)}" in page
    assert f'href="/rota?month={MONTH}"' in page


def test_a_started_audit_is_continued_not_started_again(client, login_as) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    mine = allocation(
        auditor=me, month=MONTH, case_ref="CR8080", due_on=first_day(MONTH) + timedelta(days=27)
    )
    draft = factories.audit(auditor=me, case_ref="CR8080", status="draft", overall=None)
    draft.allocation_id = mine.id
    _db.session.commit()
    page = text_of(client.get("/"))
    allotted = page[page.index("Your rota allocations") : page.index("Rota reminders")]
    assert "Continue audit" in allotted
    assert "Start audit" not in allotted
    assert f"/audits/{draft.id}" in allotted
