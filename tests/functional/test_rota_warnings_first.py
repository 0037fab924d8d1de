"""The independence warnings before anything is saved, on every path that allots or moves
one audit (issue 16, "a safer rota": an auditor's own team, and own service area, warned
before allotting). Finding: allotting one audit, reassigning and scheduling a closing-the-loop
audit saved first and showed the warnings afterwards; only bulk allotment's preview warned
before. Now each shows a warning page first; going ahead saves, and the change log keeps that
the warnings were read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db as _db
from qa_audit.core.months import first_day
from qa_audit.rota import services as rota
from qa_audit.rota.models import Allocation
from tests import factories
from tests.factories.rota import allocation
from tests.functional.rota_pages import (
    date_parts,
    hidden_fields,
    log_of,
    loop_to_close,
    text,
    warning_texts,
)

MONTH = local_today().strftime("%Y-%m")
DUE = first_day(MONTH) + timedelta(days=20)


def allocations() -> int:
    return int(_db.session.scalar(select(func.count(Allocation.id))) or 0)


def go_ahead(client, url: str, warning_page) -> object:  # type: ignore[no-untyped-def]
    return client.post(url, data={**hidden_fields(warning_page), "confirm": "yes"})


def test_allotting_one_shows_the_warnings_before_saving(client, login_as) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.QA_LEAD)
    ada = factories.user(Role.AUDITOR, name="Ada Ash", area_key="locality")
    _db.session.commit()
    url = f"/rota/allot?month={MONTH}"
    data = {
        "month": MONTH,
        "auditor_id": str(ada.id),
        "service_area_id": str(ada.service_area_id),
        "team_id": str(ada.team_id),
        "case_ref": "CR6001",
        "due_on": date_parts(DUE),
    }
    before = allocations()

    warned = client.post(url, data=data)

    assert warned.status_code == 200
    assert allocations() == before
    page = text(warned)
    assert "Check the warnings before allotting" in page
    assert "Ada Ash would be allotted an audit of case CR6001" in page
    assert "Nothing has been saved yet" in page
    (warning,) = warning_texts(warned)
    assert "Ada Ash would audit case CR6001 from their own team" in warning
    assert "Allot anyway" in page
    # The warnings name the case (and any recent audit of it): the page is access-logged.
    _db.session.expire_all()
    logged = _db.session.scalars(
        select(AccessLogEntry).order_by(AccessLogEntry.id.desc()).limit(1)
    ).one()
    assert (logged.user_id, logged.entity_type) == (lead.id, "allocation")
    assert logged.detail is not None
    assert logged.detail["case_refs"] == ["CR6001"]

    done = go_ahead(client, url, warned)
    assert done.status_code == 302
    assert allocations() == before + 1
    made = _db.session.scalars(select(Allocation).where(Allocation.case_ref == "CR6001")).one()
    assert made.auditor_id == ada.id
    (read,) = log_of(made.id, rota.WARNINGS_READ)
    assert read.actor_id == lead.id
    assert read.after is not None
    assert "from their own team" in read.after["warnings"]
    history = text(client.get(f"/rota/allocations/{made.id}"))
    assert "Went ahead after reading the warnings" in history


def test_change_on_the_warning_page_shows_the_choices_as_entered(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    ada = factories.user(Role.AUDITOR, name="Ada Ash", area_key="locality")
    _db.session.commit()
    url = f"/rota/allot?month={MONTH}"
    warned = client.post(
        url,
        data={
            "month": MONTH,
            "auditor_id": str(ada.id),
            "service_area_id": str(ada.service_area_id),
            "team_id": str(ada.team_id),
            "case_ref": "CR6002",
            "due_on": date_parts(DUE),
        },
    )
    form = client.post(url, data={**hidden_fields(warned), "change": "yes"})
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert "Allot one audit" in html
    assert 'value="CR6002"' in html
    assert "There is a problem" not in html
    assert allocations() == 0


def test_no_case_named_in_the_auditors_own_area_is_warned_as_in_bulk(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    ada = factories.user(Role.AUDITOR, name="Ada Ash", area_key="locality")
    _db.session.commit()
    warned = client.post(
        f"/rota/allot?month={MONTH}",
        data={
            "month": MONTH,
            "auditor_id": str(ada.id),
            "service_area_id": str(ada.service_area_id),
            "due_on": date_parts(DUE),
        },
    )
    assert warned.status_code == 200
    assert warning_texts(warned) == [
        f"Ada Ash works in {ada.service_area.name} and would be given audits there: they must "
        f"not choose a case from their own team ({ada.team.name})."
    ]
    assert allocations() == 0


def test_warnings_that_changed_since_the_page_are_shown_again(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    ada = factories.user(Role.AUDITOR, name="Ada Ash", area_key="locality")
    _db.session.commit()
    url = f"/rota/allot?month={MONTH}"
    warned = client.post(
        url,
        data={
            "month": MONTH,
            "auditor_id": str(ada.id),
            "service_area_id": str(ada.service_area_id),
            "team_id": str(ada.team_id),
            "case_ref": "CR6003",
            "due_on": date_parts(DUE),
        },
    )
    # Meanwhile the case's audit is submitted: a warning the QA lead has not read.
    factories.audit(case_ref="CR6003", submitted_on=local_today() - timedelta(days=3))
    _db.session.commit()

    again = go_ahead(client, url, warned)
    assert again.status_code == 200
    assert len(warning_texts(again)) == 2
    assert allocations() == 0
    assert go_ahead(client, url, again).status_code == 302
    assert allocations() == 1


def test_reassigning_shows_the_warnings_before_saving(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    ada = factories.user(Role.AUDITOR, name="Ada Ash", area_key="locality")
    ben = factories.user(Role.AUDITOR, name="Ben Birch", area_key="fostering")
    mine = allocation(
        auditor=ben, month=MONTH, due_on=DUE, case_ref="CR6004", team=ada.team, area_key="locality"
    )
    _db.session.commit()
    url = f"/rota/allocations/{mine.id}/reassign"
    data = {"reassign-auditor_id": str(ada.id), "reassign-version": str(mine.version)}

    warned = client.post(url, data=data)

    assert warned.status_code == 200
    page = text(warned)
    assert "Check the warnings before reassigning" in page
    assert "The audit allotted to Ben Birch would be reassigned to Ada Ash" in page
    (warning,) = warning_texts(warned)
    assert "Ada Ash would audit case CR6004 from their own team" in warning
    _db.session.refresh(mine)
    assert mine.auditor_id == ben.id
    assert log_of(mine.id, "allocation.reassigned") == []

    done = go_ahead(client, url, warned)
    assert done.status_code == 302
    _db.session.refresh(mine)
    assert mine.auditor_id == ada.id
    assert len(log_of(mine.id, "allocation.reassigned")) == 1
    (read,) = log_of(mine.id, rota.WARNINGS_READ)
    assert read.after is not None
    assert "Ada Ash would audit case CR6004" in read.after["warnings"]


def test_reassigning_with_no_warning_saves_at_once(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    ben = factories.user(Role.AUDITOR, name="Ben Birch", area_key="fostering")
    cat = factories.user(Role.AUDITOR, name="Cat Cole", area_key="fgc")
    mine = allocation(auditor=ben, month=MONTH, due_on=DUE, case_ref="CR6005")
    _db.session.commit()
    done = client.post(
        f"/rota/allocations/{mine.id}/reassign",
        data={"reassign-auditor_id": str(cat.id), "reassign-version": str(mine.version)},
    )
    assert done.status_code == 302
    _db.session.refresh(mine)
    assert mine.auditor_id == cat.id
    assert log_of(mine.id, rota.WARNINGS_READ) == []


def test_scheduling_a_closing_the_loop_audit_shows_the_warnings_before_saving(
    client, login_as
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    audit = loop_to_close("CR800010")
    # The audit's case is of Locality's first team: Ada's own.
    ada = factories.user(Role.AUDITOR, name="Ada Ash", area_key="locality")
    _db.session.commit()
    url = f"/closing-the-loop/{audit.id}/schedule"
    before = allocations()

    warned = client.post(
        url, data={"auditor_id": str(ada.id), "month": MONTH, "due_on": date_parts(DUE)}
    )

    assert warned.status_code == 200
    assert allocations() == before
    page = text(warned)
    assert "Check the warnings before scheduling" in page
    assert "Schedule anyway" in page
    assert any(
        "Ada Ash would audit case CR800010 from their own team" in w for w in warning_texts(warned)
    )

    done = go_ahead(client, url, warned)
    assert done.status_code == 302
    assert allocations() == before + 1
    made = _db.session.scalars(select(Allocation).where(Allocation.case_ref == "CR800010")).one()
    assert made.auditor_id == ada.id
    assert len(log_of(made.id, rota.WARNINGS_READ)) == 1
    assert f"/closing-the-loop/{audit.id}/schedule" not in text(client.get("/closing-the-loop"))
