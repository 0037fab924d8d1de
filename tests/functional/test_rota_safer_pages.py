"""The safer rota through the test client: the bulk allotment's preview before anything is
allotted, allotting from it, topping up rather than doubling, the own-service-area warning,
a due date past the month's window, undoing a whole allotment, and the team list narrowed to
the service area chosen (without JavaScript)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

from sqlalchemy import func, select

from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db as _db
from qa_audit.core.months import add_months, first_day
from qa_audit.rota.models import Allocation
from tests import factories

MONTH = add_months(local_today().strftime("%Y-%m"), 1)


def date_parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def allotted() -> int:
    return int(
        _db.session.scalar(select(func.count(Allocation.id)).where(Allocation.month == MONTH)) or 0
    )


def choices(**change: object) -> dict[str, object]:
    data: dict[str, object] = {
        "month": MONTH,
        "roles": ["auditor"],
        "service_area_ids": [str(factories.service_area("locality").id)],
        "per_auditor": "2",
        "due_on": date_parts(first_day(MONTH) + timedelta(days=20)),
    }
    data.update(change)
    return data


def preview_fields(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The hidden fields the preview page carries back."""
    return re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.get_data(as_text=True)
    )


def confirm(client, preview) -> object:  # type: ignore[no-untyped-def]
    data: dict[str, list[str]] = {}
    for name, value in preview_fields(preview):
        data.setdefault(name, []).append(unescape(value))
    data["confirm"] = ["yes"]
    return client.post(f"/rota/allot-bulk?month={MONTH}", data=data)


def test_the_bulk_allotment_is_previewed_per_auditor_before_anything_is_allotted(
    client, login_as
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    ada = factories.user(Role.AUDITOR, name="Ada Ash", area_key="locality")
    factories.user(Role.AUDITOR, name="Ben Birch", area_key="fostering")
    _db.session.commit()

    preview = client.post("/rota/allot-bulk", data=choices())

    assert preview.status_code == 200
    page = text(preview)
    assert "Check the allotment before allotting" in page
    assert "4 audits would be allotted to 2 auditors" in page
    assert re.search(
        r"Ada Ash 0 2 Locality \(Children in Need / Child Protection\), Locality", page
    )
    assert "Ben Birch 0 2" in page
    # Ada works in Locality: warned before allotting that she must not choose her own team's case.
    assert (
        "Ada Ash works in Locality (Children in Need / Child Protection) and would be given "
        f"audits there: they must not choose a case from their own team ({ada.team.name})."
    ) in page
    assert "1 auditor would be given audits in their own service area" in page
    assert allotted() == 0

    done = confirm(client, preview)
    assert done.status_code == 302
    assert allotted() == 4
    rota_page = text(client.get(done.headers["Location"]))
    assert "4 audits allotted to 2 auditors" in rota_page
    assert "Ada Ash works in Locality" in rota_page

    # Pressed again (or the same allotment run again): nothing doubles.
    again = confirm(client, preview)
    assert again.status_code == 400
    assert "there is nothing more to allot" in text(again)
    assert allotted() == 4


def test_change_on_the_preview_goes_back_to_the_choices_as_entered(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    factories.user(Role.AUDITOR)
    _db.session.commit()
    preview = client.post("/rota/allot-bulk", data=choices(per_auditor="3"))
    data: dict[str, list[str]] = {}
    for name, value in preview_fields(preview):
        data.setdefault(name, []).append(value)
    data["change"] = ["yes"]
    form = client.post("/rota/allot-bulk", data=data)
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert "Allot audits in bulk" in html
    assert re.search(r'name="per_auditor"[^>]*value="3"', html)
    assert allotted() == 0


def test_keeping_auditors_out_of_their_own_area_from_the_form(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    factories.user(Role.AUDITOR, name="Ada Ash", area_key="locality")
    _db.session.commit()
    areas = [str(factories.service_area(k).id) for k in ("locality", "fostering")]
    preview = client.post(
        "/rota/allot-bulk",
        data=choices(service_area_ids=areas, exclude_own_area=["yes"]),
    )
    page = text(preview)
    assert "Ada Ash 0 2 Fostering, Fostering" in page
    assert "would be given audits in their own service area" not in page
    confirm(client, preview)
    keys = _db.session.scalars(
        select(Allocation.service_area_id).where(Allocation.month == MONTH)
    ).all()
    assert keys == [factories.service_area("fostering").id] * 2


def test_a_due_date_in_2099_is_refused_unless_a_reason_is_given(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    factories.user(Role.AUDITOR)
    _db.session.commit()
    late = date(2099, 4, 30)
    refused = client.post("/rota/allot-bulk", data=choices(due_on=date_parts(late)))
    assert refused.status_code == 400
    page = text(refused)
    assert "There is a problem" in page
    assert "or give the reason for a later one" in page

    preview = client.post(
        "/rota/allot-bulk",
        data=choices(due_on=date_parts(late), due_on_reason="Agreed with the head of service"),
    )
    assert preview.status_code == 200
    assert "Reason kept with each allocation: Agreed with the head of service" in text(preview)
    confirm(client, preview)
    reasons = _db.session.scalars(
        select(Allocation.due_on_reason).where(Allocation.month == MONTH)
    ).all()
    assert reasons == ["Agreed with the head of service"] * 2


def test_undoing_a_bulk_allotment_from_its_page(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    factories.user(Role.AUDITOR, name="Ada Ash")
    _db.session.commit()
    confirm(client, client.post("/rota/allot-bulk", data=choices()))
    batch_id = _db.session.scalar(select(Allocation.batch_id).where(Allocation.month == MONTH))
    rota_page = client.get(f"/rota?month={MONTH}").get_data(as_text=True)
    assert f'href="/rota/allotments/{batch_id}"' in rota_page

    page = text(client.get(f"/rota/allotments/{batch_id}"))
    assert "Bulk allotment of 2 audits" in page
    assert "Undo this allotment" in page

    # The page's count must come back: a stale page is refused, nothing undone.
    stale = client.post(f"/rota/allotments/{batch_id}/undo", data={"count": "3"})
    assert stale.status_code == 400
    assert "This allotment changed since you opened the page" in text(stale)
    assert allotted() == 2

    undone = client.post(f"/rota/allotments/{batch_id}/undo", data={"count": "2"})
    assert undone.status_code == 302
    assert allotted() == 0
    assert "The allotment has been undone: 2 audits taken off the rota" in text(
        client.get(undone.headers["Location"])
    )
    assert (
        _db.session.scalar(
            select(func.count(ChangeLogEntry.id)).where(
                ChangeLogEntry.action == "allocation.undone"
            )
        )
        == 2
    )
    assert client.get(f"/rota/allotments/{batch_id}").status_code == 404


def test_an_allotment_with_an_audit_started_offers_no_undo(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    factories.user(Role.AUDITOR, name="Ada Ash")
    _db.session.commit()
    confirm(client, client.post("/rota/allot-bulk", data=choices()))
    first = _db.session.scalars(select(Allocation).where(Allocation.month == MONTH)).first()
    assert first is not None
    audit = factories.audit(auditor=first.auditor, status="draft", overall=None)
    audit.allocation_id = first.id
    _db.session.commit()

    page = text(client.get(f"/rota/allotments/{first.batch_id}"))
    assert "1 of these audits has started" in page
    assert "Undo this allotment" not in page
    refused = client.post(f"/rota/allotments/{first.batch_id}/undo", data={"count": "2"})
    assert refused.status_code == 302
    assert "This allotment cannot be undone" in text(client.get(refused.headers["Location"]))
    assert allotted() == 2


def _team_options(html: str) -> list[str]:
    select_html = re.search(r'<select[^>]*name="team_id".*?</select>', html, re.S)
    assert select_html is not None
    return re.findall(r"<option[^>]*>([^<]+)</option>", select_html.group(0))


def test_the_team_list_is_narrowed_to_the_chosen_service_area_without_javascript(
    client, login_as
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    auditor = factories.user(Role.AUDITOR)
    fostering, locality = factories.service_area("fostering"), factories.service_area("locality")
    _db.session.commit()

    everything = _team_options(client.get("/rota/allot").get_data(as_text=True))
    assert any(o.startswith("Fostering: ") for o in everything)
    assert any(o.startswith("Locality") for o in everything)

    narrowed = client.get(f"/rota/allot?service_area={fostering.id}").get_data(as_text=True)
    options = _team_options(narrowed)
    assert options[0] == "Not known"
    assert options[1:] == [f"Fostering: {t.name}" for t in fostering.teams]
    assert re.search(rf'<option value="{fostering.id}" selected', narrowed)

    # A team of another area posted: refused, and the list comes back narrowed.
    refused = client.post(
        "/rota/allot",
        data={
            "month": MONTH,
            "auditor_id": str(auditor.id),
            "service_area_id": str(fostering.id),
            "team_id": str(locality.teams[0].id),
            "due_on": date_parts(first_day(MONTH) + timedelta(days=10)),
        },
    )
    assert refused.status_code == 400
    assert f"{locality.teams[0].name} is not a team of Fostering" in text(refused)
    assert _team_options(refused.get_data(as_text=True))[1:] == [
        f"Fostering: {t.name}" for t in fostering.teams
    ]
