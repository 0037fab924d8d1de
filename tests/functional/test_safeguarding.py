"""Safeguarding concerns and practitioner comments through the pages: who may see, raise,
respond and comment; validation; the service manager's home page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_audit.audits.models import PractitionerComment, SafeguardingConcern
from qa_audit.auth.roles import Role
from tests import factories


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def concerns_of(db, audit):  # type: ignore[no-untyped-def]
    return list(
        db.session.scalars(
            select(SafeguardingConcern).where(SafeguardingConcern.audit_id == audit.id)
        )
    )


# --- who may see the pages ----------------------------------------------------------------


@pytest.mark.parametrize("page", ["safeguarding", "comments"])
@pytest.mark.parametrize(
    ("roles", "area", "expected"),
    [
        # 404, as for an audit that does not exist, to those who may not see it
        ((Role.AUDITOR,), None, 404),  # another auditor
        ((Role.VIEWER,), None, 404),
        ((Role.ADMIN,), None, 404),
        ((Role.SERVICE_MANAGER,), "front_door", 404),  # another area's manager
        ((Role.SERVICE_MANAGER,), "locality", 200),
        ((Role.MODERATOR,), None, 200),
        ((Role.QA_LEAD,), None, 200),
    ],
)
def test_page_access(login_as, client, db, page, roles, area, expected) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit(case_ref="CR777001")
    login_as(*roles, area_key=area)
    response = client.get(f"/audits/{audit.id}/{page}")
    assert response.status_code == expected
    assert ("CR777001" in html(response)) is (expected == 200)


def test_missing_audit_is_404(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    assert client.get("/audits/999999/safeguarding").status_code == 404
    assert client.post("/safeguarding-concerns/999999/response").status_code == 404


# --- raising and responding ---------------------------------------------------------------


def test_auditor_raises_a_concern_on_their_submitted_audit(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    audit = factories.audit(auditor=me)
    db.session.commit()
    page = html(client.get(f"/audits/{audit.id}/safeguarding"))
    assert "Raise a safeguarding concern" in page
    assert 'id="concern-description"' in page

    response = client.post(f"/audits/{audit.id}/safeguarding", data={"concern-description": " "})
    assert response.status_code == 400
    assert "govuk-error-summary" in html(response)
    assert 'href="#concern-description"' in html(response)
    assert concerns_of(db, audit) == []

    response = client.post(
        f"/audits/{audit.id}/safeguarding",
        data={"concern-description": "Bruising seen on the home visit was not followed up"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/audits/{audit.id}#safeguarding")
    (concern,) = concerns_of(db, audit)
    assert concern.raised_by_id == me.id
    assert not concern.resolved

    page = html(client.get(f"/audits/{audit.id}/safeguarding"))
    assert "Bruising seen on the home visit" in page
    assert "govuk-tag--red" in page
    assert "Not acknowledged" in page
    assert "Raised today" in page
    # The auditor cannot act on their own concern.
    assert "Acknowledge the concern" not in page
    for step in ("acknowledgement", "notes", "response"):
        response = client.post(f"/safeguarding-concerns/{concern.id}/{step}", data={})
        assert response.status_code == 403


def test_another_auditor_cannot_raise_on_someone_elses_audit(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit()
    login_as(Role.AUDITOR)
    response = client.post(f"/audits/{audit.id}/safeguarding", data={"concern-description": "X"})
    assert response.status_code == 404
    assert concerns_of(db, audit) == []


def test_service_manager_sees_no_raise_form_and_cannot_raise(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit()
    login_as(Role.SERVICE_MANAGER, area_key="locality")
    assert "Raise a safeguarding concern" not in html(
        client.get(f"/audits/{audit.id}/safeguarding")
    )
    response = client.post(f"/audits/{audit.id}/safeguarding", data={"concern-description": "X"})
    assert response.status_code == 403


def test_service_manager_of_the_area_acknowledges_notes_and_resolves_it(
    login_as, client, db
) -> None:  # type: ignore[no-untyped-def]
    from qa_audit.audits.safeguarding.services import raise_concern

    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor, reference="QA-SG-9")
    concern = raise_concern(auditor, audit, "Concern about the home conditions")
    manager = login_as(Role.SERVICE_MANAGER, area_key="locality")

    home = html(client.get("/"))
    assert "Open safeguarding concerns (1)" in home
    assert "QA-SG-9" in home
    assert "Not acknowledged" in home
    assert f'href="/audits/{audit.id}/safeguarding"' in home

    page = html(client.get(f"/audits/{audit.id}/safeguarding"))
    assert "Acknowledge the concern" in page
    assert "Resolve the concern" not in page  # acknowledged first
    acknowledged = client.post(f"/safeguarding-concerns/{concern.id}/acknowledgement", data={})
    assert acknowledged.status_code == 302
    assert acknowledged.headers["Location"].endswith(f"#concern-{concern.id}")
    page = html(client.get(f"/audits/{audit.id}/safeguarding"))
    assert "govuk-tag--yellow" in page
    assert "Acknowledged" in page
    assert "Open safeguarding concerns (1)" in html(client.get("/"))

    note = f"note-{concern.id}-text"
    assert (
        client.post(f"/safeguarding-concerns/{concern.id}/notes", data={note: ""}).status_code
        == 400
    )
    for text in ("Home visit booked for Thursday", "Visit done; school spoken to"):
        response = client.post(f"/safeguarding-concerns/{concern.id}/notes", data={note: text})
        assert response.status_code == 302
    page = html(client.get(f"/audits/{audit.id}/safeguarding"))
    assert "Home visit booked for Thursday" in page
    assert "Visit done; school spoken to" in page
    assert not db.session.get(SafeguardingConcern, concern.id).resolved

    prefix = f"response-{concern.id}"
    response = client.post(f"/safeguarding-concerns/{concern.id}/response", data={})
    assert response.status_code == 400
    assert f'href="#{prefix}-outcome"' in html(response)
    assert "Select the outcome" in html(response)
    assert "Enter what was done" in html(response)
    response = client.post(
        f"/safeguarding-concerns/{concern.id}/response",
        data={f"{prefix}-outcome": "other", f"{prefix}-response": "Discussed"},
    )
    assert response.status_code == 400
    assert "Say what the outcome was" in html(response)

    response = client.post(
        f"/safeguarding-concerns/{concern.id}/response",
        data={
            f"{prefix}-outcome": "strategy_discussion",
            f"{prefix}-response": "Visited the same day; strategy discussion held",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(SafeguardingConcern, concern.id)
    assert stored.resolved
    assert stored.outcome == "strategy_discussion"
    assert stored.responded_by_id == manager.id
    page = html(client.get(f"/audits/{audit.id}/safeguarding"))
    assert "Resolved" in page
    assert "Strategy discussion held" in page
    assert "govuk-tag--red" not in page
    assert "Visited the same day; strategy discussion held" in page
    assert "Open safeguarding concerns (0)" in html(client.get("/"))


def test_another_areas_service_manager_cannot_respond(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    from qa_audit.audits.safeguarding.services import raise_concern

    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor)
    concern = raise_concern(auditor, audit, "Concern")
    login_as(Role.SERVICE_MANAGER, area_key="front_door")
    response = client.post(
        f"/safeguarding-concerns/{concern.id}/response",
        data={f"response-{concern.id}-response": "Not mine to answer"},
    )
    assert response.status_code == 404
    assert "Open safeguarding concerns (0)" in html(client.get("/"))


# --- practitioner comments ----------------------------------------------------------------


def test_auditor_records_a_practitioners_comment(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    me = login_as(Role.AUDITOR)
    audit = factories.audit(auditor=me)
    db.session.commit()
    page = html(client.get(f"/audits/{audit.id}/comments"))
    assert "No comments from the practitioner" in page
    assert 'name="comment-author_role"' in page

    response = client.post(f"/audits/{audit.id}/comments", data={"comment-comment": "Fair"})
    assert response.status_code == 400
    assert 'href="#comment-author_role"' in html(response)

    response = client.post(
        f"/audits/{audit.id}/comments",
        data={
            "comment-author_role": "manager",
            "comment-comment": "The plan was reviewed after the audit",
        },
    )
    assert response.status_code == 302
    (stored,) = db.session.scalars(
        select(PractitionerComment).where(PractitionerComment.audit_id == audit.id)
    )
    assert stored.author_role == "manager"
    assert stored.recorded_by_id == me.id
    page = html(client.get(f"/audits/{audit.id}/comments"))
    assert "Practitioner&#39;s manager" in page
    assert "The plan was reviewed after the audit" in page


@pytest.mark.parametrize(
    ("roles", "area", "expected"),
    [
        ((Role.SERVICE_MANAGER,), "locality", 302),
        ((Role.QA_LEAD,), None, 302),
        ((Role.MODERATOR,), None, 403),
        ((Role.AUDITOR,), None, 404),
        ((Role.SERVICE_MANAGER,), "front_door", 404),
        ((Role.VIEWER,), None, 404),
    ],
)
def test_who_may_record_a_comment(login_as, client, db, roles, area, expected) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit()
    login_as(*roles, area_key=area)
    response = client.post(
        f"/audits/{audit.id}/comments",
        data={"comment-author_role": "practitioner", "comment-comment": "I agree"},
    )
    assert response.status_code == expected
    count = len(
        list(
            db.session.scalars(
                select(PractitionerComment).where(PractitionerComment.audit_id == audit.id)
            )
        )
    )
    assert count == (1 if expected == 302 else 0)


def test_the_audit_page_shows_concerns_and_comments(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    from qa_audit.audits.safeguarding.services import raise_concern

    me = login_as(Role.AUDITOR)
    audit = factories.audit(auditor=me)
    raise_concern(me, audit, "Concern raised from the audit page")
    db.session.commit()
    page = html(client.get(f"/audits/{audit.id}"))
    assert 'id="safeguarding"' in page
    assert "Concern raised from the audit page" in page
    assert 'id="practitioner-comments"' in page
