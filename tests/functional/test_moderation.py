"""Moderation pages through the test client: who may see them, the queue, taking and
assigning."""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.auth.roles import Role
from qa_audit.moderation.models import Moderation
from tests import factories
from tests.factories import moderation as mf
from tests.functional.moderation_pages import html


@pytest.mark.parametrize(
    ("role", "queue", "agreement", "settings"),
    [
        (Role.MODERATOR, 200, 200, 403),
        (Role.QA_LEAD, 200, 200, 200),
        (Role.AUDITOR, 403, 403, 403),
        (Role.SERVICE_MANAGER, 403, 403, 403),
        (Role.VIEWER, 403, 403, 403),
        (Role.ADMIN, 403, 403, 403),
    ],
)
def test_who_may_see_the_moderation_pages(
    login_as, client, role, queue, agreement, settings
) -> None:
    login_as(role)
    assert client.get("/moderation/").status_code == queue
    # The agreement page moved to /agreement; the old address sends those who may see it there.
    assert client.get("/agreement").status_code == agreement
    old_address = client.get("/moderation/agreement")
    assert old_address.status_code == (302 if agreement == 200 else agreement)
    assert client.get("/moderation/decisions").status_code == queue
    assert client.get("/moderation/settings").status_code == settings
    assert client.get("/moderation/add").status_code == settings
    nav = html(client.get("/"))
    assert ('href="/moderation/"' in nav) is (queue == 200)
    assert ('href="/agreement"' in nav) is (agreement == 200)


def test_signed_out_is_sent_to_sign_in(client, db) -> None:
    response = client.get("/moderation/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_the_queue_shows_priority_deadline_overdue_and_moderator(login_as, client, db) -> None:
    login_as(Role.MODERATOR)
    auditor = factories.user(Role.AUDITOR, name="Ada Auditor")
    late = mf.selected(
        factories.audit(auditor=auditor, overall="inadequate", reference="Q-LATE"),
        priority="high",
        due_on=date(2020, 1, 6),
    )
    assigned = mf.selected(
        factories.audit(reference="Q-LATER"),
        due_on=date(2099, 3, 2),
        moderator_user=mf.moderator(name="Mo Moderator"),
    )
    db.session.commit()
    page = html(client.get("/moderation/"))
    late_row = page.split(f'id="moderation-{late.id}"')[1].split("</tr>")[0]
    assert "Q-LATE" in late_row
    assert "High" in late_row
    assert "6 January 2020" in late_row
    assert "Overdue" in late_row
    assert "Unassigned" in late_row
    assert "Ada Auditor" in late_row
    assert 'aria-label="Take audit Q-LATE"' in late_row
    later_row = page.split(f'id="moderation-{assigned.id}"')[1].split("</tr>")[0]
    assert "2 March 2099" in later_row
    assert "Mo Moderator" in later_row
    assert "Overdue" not in later_row
    assert "Take audit" not in later_row
    assert page.index("Q-LATE") < page.index("Q-LATER")


def test_a_moderator_takes_one_but_not_their_own(login_as, client, db) -> None:
    me = login_as(Role.MODERATOR, Role.AUDITOR, name="Sam Both")
    other = mf.selected(factories.audit(reference="Q-OTHER"))
    mine = mf.selected(factories.audit(auditor=me, reference="Q-MINE"))
    db.session.commit()
    page = html(client.get("/moderation/"))
    assert "Your own audit" in page.split(f'id="moderation-{mine.id}"')[1].split("</tr>")[0]
    response = client.post(f"/moderation/{other.id}/take", follow_redirects=True)
    assert "You have taken audit Q-OTHER" in html(response)
    response = client.post(f"/moderation/{mine.id}/take", follow_redirects=True)
    assert "you are its auditor. No one moderates their own audit" in html(response)
    db.session.expire_all()
    assert db.session.get(Moderation, other.id).moderator_id == me.id
    assert db.session.get(Moderation, mine.id).moderator_id is None


def test_the_qa_lead_assigns_to_a_moderator(login_as, client, db) -> None:
    login_as(Role.QA_LEAD)
    auditor_moderator = factories.user(Role.AUDITOR, Role.MODERATOR, name="Ann Both")
    moderator = mf.moderator(name="Mo Moderator")
    moderation = mf.selected(factories.audit(auditor=auditor_moderator))
    db.session.commit()
    page = html(client.get("/moderation/"))
    assert f'name="m{moderation.id}-moderator_id"' in page
    response = client.post(
        f"/moderation/{moderation.id}/assign",
        data={f"m{moderation.id}-moderator_id": str(auditor_moderator.id)},
        follow_redirects=True,
    )
    assert "Ann Both is the auditor of audit" in html(response)
    response = client.post(
        f"/moderation/{moderation.id}/assign",
        data={f"m{moderation.id}-moderator_id": str(moderator.id)},
        follow_redirects=True,
    )
    assert "is assigned to Mo Moderator" in html(response)
    db.session.expire_all()
    assert db.session.get(Moderation, moderation.id).moderator_id == moderator.id
