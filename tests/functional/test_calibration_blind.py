"""A calibration round on a submitted audit keeps each person invited from that audit's grades
until they have submitted their own, everywhere blind moderation does: the audit's pages, its
moderation and its outcome (403, access-logged), the All audits list ("Hidden until you have
graded it", and its grade filter leaves the audit out), the API's record (403) and list
(grades_hidden), and the evidence explorer (left out). The QA lead, the audit's own auditor
and anyone not invited are never kept blind; nor is an invitee once the results are open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.access_log.models import AccessAction, AccessLogEntry
from qa_audit.api import tokens
from qa_audit.auth.roles import Role
from qa_audit.calibration import blindness
from qa_audit.calibration.rounds import close_round
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.moderation import blind_rules
from tests import factories
from tests.factories import calibration as cf
from tests.factories import moderation as mf
from tests.functional.test_blind_lists import row_of, sign_in, text

HIDDEN = "Hidden until you have graded it"
REFUSED = "This audit is being graded in a calibration round"


def round_world():  # type: ignore[no-untyped-def]
    """A moderated Outstanding audit (moderated Good: the round's default reference) read in
    an open round by a moderator and the area's service manager, and an audit not in a round."""
    auditor = factories.user(Role.AUDITOR, name="Ada Auditor")
    audit = factories.audit(auditor=auditor, overall="outstanding")
    for grade in audit.grades:
        grade.working_well = f"Working well in {audit.reference}"
    moderation = mf.completed_moderation(audit, "good")
    other = factories.audit(auditor=auditor, overall="requires_improvement")
    for grade in other.grades:
        grade.working_well = f"Working well in {other.reference}"
    moderator = mf.moderator(name="Mo Moderator")
    manager = factories.user(Role.SERVICE_MANAGER, name="Sam Manager", area_key="locality")
    calibration_round = cf.calibration_round(audit=audit, invitees=[moderator, manager])
    db.session.commit()
    return audit, other, moderation, calibration_round, moderator, manager


def submit(calibration_round, person) -> None:  # type: ignore[no-untyped-def]
    cf.graded(calibration_round, person, "good")
    db.session.commit()


def refusals(person, audit) -> int:  # type: ignore[no-untyped-def]
    rows = db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.user_id == person.id,
            AccessLogEntry.action == AccessAction.REFUSED.value,
        )
    )
    # A page names the audit; the API's refusal, like any, keeps the path asked for.
    return len(
        [
            row
            for row in rows
            if row.reference == audit.reference
            or audit.reference in (row.detail or {}).get("path", "")
        ]
    )


@pytest.mark.parametrize("who", ["moderator", "manager"])
def test_an_invitee_cannot_open_the_audits_pages_until_they_have_submitted(
    client: FlaskClient, db, who: str
) -> None:  # type: ignore[no-untyped-def]
    audit, other, moderation, calibration_round, moderator, manager = round_world()
    person = moderator if who == "moderator" else manager
    sign_in(client, person)
    pages = [f"/audits/{audit.id}", f"/moderation/outcome/{audit.id}"]
    if who == "moderator":
        pages.append(f"/moderation/{moderation.id}")
    for page in pages:
        refused = client.get(page)
        assert refused.status_code == 403, page
        body = text(refused)
        assert REFUSED in body
        assert "Outstanding" not in body
        assert f"/calibration/{calibration_round.id}/grade" in refused.get_data(as_text=True)
    assert refusals(person, audit) == len(pages)
    # Another audit's pages are as they were.
    assert client.get(f"/audits/{other.id}").status_code == 200
    # Once submitted, the audit's pages are shown (the round's own page still hides others').
    submit(calibration_round, person)
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert "Outstanding" in text(client.get(f"/audits/{audit.id}"))


@pytest.mark.parametrize("who", ["moderator", "manager"])
def test_the_all_audits_list_hides_the_grade_until_the_invitee_has_submitted(
    client: FlaskClient, db, who: str
) -> None:  # type: ignore[no-untyped-def]
    audit, other, _, calibration_round, moderator, manager = round_world()
    person = moderator if who == "moderator" else manager
    sign_in(client, person)
    page = client.get("/audit-list").get_data(as_text=True)
    assert HIDDEN in row_of(page, audit.reference)
    assert "In a calibration round" in row_of(page, audit.reference)
    assert "Outstanding" not in row_of(page, audit.reference)
    assert "Requires improvement" in row_of(page, other.reference)
    # Filtering by grade neither finds the audit under its grade nor tells it by leaving out.
    assert audit.reference not in text(client.get("/audit-list?grade=good"))
    assert audit.reference not in text(client.get("/audit-list?grade=outstanding"))
    submit(calibration_round, person)
    page = client.get("/audit-list").get_data(as_text=True)
    assert HIDDEN not in page
    assert "Good" in row_of(page, audit.reference)  # the final (moderated) grade


@pytest.mark.parametrize("who", ["moderator", "manager"])
def test_the_api_refuses_the_audit_and_flags_it_in_the_list_until_submitted(
    client: FlaskClient, db, who: str
) -> None:  # type: ignore[no-untyped-def]
    audit, other, _, calibration_round, moderator, manager = round_world()
    person = moderator if who == "moderator" else manager
    _, secret = tokens.issue_token(person, "Reports")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    refused = client.get(f"/api/v1/audits/{audit.reference}", headers=headers)
    assert refused.status_code == 403
    assert refused.get_json()["message"] == blindness.HIDDEN_MESSAGE
    assert "outstanding" not in refused.get_data(as_text=True)
    assert refusals(person, audit) == 1
    listed = client.get("/api/v1/audits", headers=headers).get_json()["items"]
    item = next(i for i in listed if i["reference"] == audit.reference)
    assert (item["overall_grade"], item["final_overall_grade"]) == (None, None)
    assert item["grades_hidden"] is True
    assert next(i for i in listed if i["reference"] == other.reference)["grades_hidden"] is False
    submit(calibration_round, person)
    served = client.get(f"/api/v1/audits/{audit.reference}", headers=headers)
    assert served.status_code == 200
    assert served.get_json()["overall_grade"] == "outstanding"
    listed = client.get("/api/v1/audits", headers=headers).get_json()["items"]
    assert next(i for i in listed if i["reference"] == audit.reference)["grades_hidden"] is False


@pytest.mark.parametrize("who", ["moderator", "manager"])
def test_the_evidence_explorer_leaves_the_audit_out_until_submitted(
    client: FlaskClient, db, who: str
) -> None:  # type: ignore[no-untyped-def]
    audit, other, _, calibration_round, moderator, manager = round_world()
    person = moderator if who == "moderator" else manager
    sign_in(client, person)
    query = "from=2024-04&to=2024-04"
    page = text(client.get(f"/reports/evidence?{query}"))
    assert f"Working well in {other.reference}" in page
    assert audit.reference not in page
    download = client.get(f"/reports/evidence/download.csv?{query}").get_data(as_text=True)
    assert other.reference in download
    assert audit.reference not in download
    submit(calibration_round, person)
    assert audit.reference in text(client.get(f"/reports/evidence?{query}"))


def test_the_qa_lead_the_auditor_and_others_are_not_kept_blind(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    audit, _, _, calibration_round, _, _ = round_world()
    for person in (
        calibration_round.created_by,
        audit.auditor,
        mf.moderator(name="Not invited"),
    ):
        db.session.commit()
        sign_in(client, person)
        assert client.get(f"/audits/{audit.id}").status_code == 200, person.name
        assert HIDDEN not in client.get("/audit-list").get_data(as_text=True)


def test_the_audits_own_auditor_invited_is_not_kept_from_their_audit(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR)
    audit = factories.audit(auditor=auditor, overall="good")
    cf.calibration_round(audit=audit, invitees=[auditor, factories.user(Role.AUDITOR)])
    db.session.commit()
    sign_in(client, auditor)
    assert client.get(f"/audits/{audit.id}").status_code == 200
    assert blind_rules.hidden_audit_ids(auditor) == set()


def test_the_results_opening_ends_the_blindness(db) -> None:  # type: ignore[no-untyped-def]
    """Closed early by the QA lead, or past its deadline: everyone may see the reference."""
    audit, _, _, calibration_round, moderator, manager = round_world()
    assert blind_rules.hidden_audit_ids(moderator) == {audit.id}
    close_round(calibration_round.created_by, calibration_round, calibration_round.version)
    db.session.commit()
    assert blind_rules.hidden_audit_ids(moderator) == set()
    later = cf.calibration_round(audit=audit, invitees=[moderator, manager])
    db.session.commit()
    assert blind_rules.hidden_audit_ids(manager) == {audit.id}
    later.deadline = local_today() - timedelta(days=1)
    db.session.commit()
    assert blind_rules.hidden_audit_ids(manager) == set()
    assert blind_rules.why_hidden(manager, audit.id) is None


def test_a_round_on_a_case_to_be_read_hides_no_audit(db) -> None:  # type: ignore[no-untyped-def]
    moderator = mf.moderator()
    cf.calibration_round(case_ref="CR999001", invitees=[moderator, factories.user(Role.AUDITOR)])
    db.session.commit()
    assert blind_rules.hidden_audit_ids(moderator) == set()
