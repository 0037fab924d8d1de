"""Open safeguarding concerns on the home page triage (issue 16): the count, the few most
urgent with one link each, and "View all" to a page of every concern (resolved ones too, with
their outcome and how long they were open), filtered by status, service area and age, paged,
and seen only by those who respond to concerns."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import insert, select, update

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.audits.models import Audit, SafeguardingConcern
from qa_audit.audits.safeguarding import services as safeguarding
from qa_audit.audits.safeguarding.concern_list import PER_PAGE
from qa_audit.auth.roles import Role
from qa_audit.core.clock import utcnow
from qa_audit.core.extensions import db as _db
from qa_audit.core.home import HOME_LIMIT
from tests import factories
from tests.factories.organisation import service_area


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def references(page: str) -> list[str]:
    return re.findall(r"</span>(QA-SGL-\d+)</a>", page)


def raised(count: int, area_key: str = "locality", start: int = 0) -> list[SafeguardingConcern]:
    """``count`` open concerns, each on its own audit, raised a minute apart (the first the
    oldest): one through the service, the rest copies of its rows (the factories take a
    second or so an audit)."""
    auditor = factories.user(Role.AUDITOR)
    first = factories.audit(
        auditor=auditor,
        reference=f"QA-SGL-{start:03d}",
        case_ref=f"CR8{start:05d}",
        area_key=area_key,
    )
    concern = safeguarding.raise_concern(auditor, first, "A worry about the child's home")
    _db.session.flush()
    audits, concerns = Audit.__table__, SafeguardingConcern.__table__
    audit_row = dict(
        _db.session.execute(select(audits).where(audits.c.id == first.id)).mappings().one()
    )
    concern_row = dict(
        _db.session.execute(select(concerns).where(concerns.c.id == concern.id)).mappings().one()
    )
    del audit_row["id"], concern_row["id"]
    now = utcnow()
    _db.session.execute(
        update(concerns)
        .where(concerns.c.id == concern.id)
        .values(raised_at=now - timedelta(minutes=count))
    )
    for n in range(1, count):
        number = start + n
        audit_id = _db.session.execute(
            insert(audits).values(
                {**audit_row, "reference": f"QA-SGL-{number:03d}", "case_ref": f"CR8{number:05d}"}
            )
        ).inserted_primary_key[0]
        _db.session.execute(
            insert(concerns).values(
                {
                    **concern_row,
                    "audit_id": audit_id,
                    "raised_at": now - timedelta(minutes=count - n),
                }
            )
        )
    _db.session.commit()
    return list(
        _db.session.scalars(
            select(SafeguardingConcern)
            .join(Audit)
            .where(Audit.reference.like("QA-SGL-%"))
            .order_by(SafeguardingConcern.raised_at)
        )
    )


def test_forty_open_concerns_give_the_qa_lead_a_few_and_a_view_all(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    raised(40)
    page = text_of(client.get("/"))
    section = page[page.index("Open safeguarding concerns (40)") :]
    section = section[: section.index("</section>")]
    # The oldest few, each with one link (no second "Respond to the concern" list).
    assert references(section) == [f"QA-SGL-{n:03d}" for n in range(HOME_LIMIT)]
    assert section.count("Respond to the concern") == HOME_LIMIT
    assert 'href="/safeguarding-concerns">View all open safeguarding concerns (40)</a>' in section


def test_the_concerns_page_pages_through_every_open_concern(client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    raised(40)
    first = text_of(client.get("/safeguarding-concerns"))
    assert f"Open (not resolved): 1 to {PER_PAGE} of 40" in first
    assert 'href="/safeguarding-concerns?page=2"' in first
    second = text_of(client.get("/safeguarding-concerns?page=2"))
    assert f"Open (not resolved): {PER_PAGE + 1} to 40 of 40" in second
    shown = references(first) + references(second)
    assert shown == [f"QA-SGL-{n:03d}" for n in range(40)]


def test_the_not_acknowledged_come_first_and_filters_narrow(client, login_as) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.QA_LEAD)
    concerns = raised(8)
    concerns += raised(4, area_key="front_door", start=100)
    for concern in concerns[:3]:  # the three oldest are being acted on
        safeguarding.acknowledge_concern(lead, concern)
    safeguarding.resolve_concern(lead, concerns[0], "strategy_discussion", "Strategy meeting")
    _db.session.commit()

    listed = references(text_of(client.get("/safeguarding-concerns")))
    # Not yet acknowledged first (oldest first), then the acknowledged; not the resolved.
    assert listed[-2:] == ["QA-SGL-001", "QA-SGL-002"]
    assert "QA-SGL-000" not in listed
    assert len(listed) == 11

    acknowledged = text_of(client.get("/safeguarding-concerns?state=acknowledged"))
    assert references(acknowledged) == ["QA-SGL-001", "QA-SGL-002"]
    resolved = text_of(client.get("/safeguarding-concerns?state=resolved"))
    assert references(resolved) == ["QA-SGL-000"]
    assert "Strategy discussion held" in resolved
    assert "Resolved within a working day" in resolved

    front_door = service_area("front_door").id
    in_area = references(
        text_of(client.get(f"/safeguarding-concerns?service_area_id={front_door}"))
    )
    assert in_area == [f"QA-SGL-{n}" for n in range(100, 104)]

    # Age: two concerns raised long ago.
    old = [c.id for c in concerns[5:7]]
    _db.session.execute(
        update(SafeguardingConcern)
        .where(SafeguardingConcern.id.in_(old))
        .values(raised_at=utcnow() - timedelta(days=60))
    )
    _db.session.commit()
    older = text_of(client.get("/safeguarding-concerns?age=older"))
    assert references(older) == ["QA-SGL-005", "QA-SGL-006"]
    recent = references(text_of(client.get("/safeguarding-concerns?age=day")))
    assert "QA-SGL-005" not in recent
    assert len(recent) == 9
    assert references(text_of(client.get("/safeguarding-concerns?age=week"))) == []

    everything = text_of(client.get("/safeguarding-concerns?state=any"))
    assert "Any status: 1 to 12 of 12" in everything
    assert references(everything)[-1] == "QA-SGL-000"  # the resolved after the open


def test_a_service_manager_sees_their_own_areas_concerns_alone(client, login_as) -> None:  # type: ignore[no-untyped-def]
    raised(7)
    raised(2, area_key="front_door", start=100)
    login_as(Role.SERVICE_MANAGER, area_key="locality")
    page = text_of(client.get("/"))
    assert "Open safeguarding concerns (7)" in page
    assert "View all open safeguarding concerns (7)" in page
    front_door = service_area("front_door").id
    listed = text_of(client.get(f"/safeguarding-concerns?service_area_id={front_door}"))
    assert references(listed) == [f"QA-SGL-{n:03d}" for n in range(7)]
    assert 'name="service_area_id"' not in listed  # no area to choose
    rows = list(
        _db.session.scalars(
            select(AccessLogEntry).where(AccessLogEntry.entity_type == "safeguarding_concern")
        )
    )
    assert rows
    assert rows[-1].action == "listed"
    assert rows[-1].detail["rows"] == 7


def test_others_may_not_see_the_concerns_page(client, login_as) -> None:  # type: ignore[no-untyped-def]
    raised(1)
    for role in (Role.AUDITOR, Role.MODERATOR, Role.VIEWER, Role.ADMIN):
        login_as(role)
        assert client.get("/safeguarding-concerns").status_code == 403
