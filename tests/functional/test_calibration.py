"""Calibration pages through the test client: creating a round, grading alone (nobody sees
another's grades or the reference before the results), the audit's grades never shown, the
deadline, closing early, results, references, notes, and who sees what."""

from __future__ import annotations

import re
from datetime import timedelta

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.auth.roles import Role
from qa_audit.calibration.models import CalibrationInvitation, CalibrationRound
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db as _db
from tests import factories, smtp_inbox
from tests.factories import calibration as cf
from tests.factories import moderation as mf

inbox = smtp_inbox.inbox


def _sign_in(client, person) -> None:  # type: ignore[no-untyped-def]
    client.post("/sign-out")
    response = client.post("/sign-in", data={"email": person.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def _form(round_: CalibrationRound, version: int, grade: str, button: str = "submit") -> dict:
    data = {"version": str(version), button: "y"}
    for key in round_.keys:
        data[f"d_{key}_grade"] = grade
        data[f"d_{key}_rationale"] = f"Because {grade}"
    return data


def test_the_qa_lead_creates_a_round_on_a_submitted_audit(client, login_as, db, inbox) -> None:  # type: ignore[no-untyped-def]
    people = [factories.user(Role.AUDITOR, name=f"Grader {n}") for n in range(3)]
    audit = factories.audit(overall="good")
    db.session.commit()
    login_as(Role.QA_LEAD)
    page = client.get("/calibration/new")
    assert page.status_code == 200
    assert "Grader 1" in page.get_data(as_text=True)
    deadline = local_today() + timedelta(days=5)
    response = client.post(
        "/calibration/new",
        data={
            "title": "Spring round",
            "source": "audit",
            "audit_reference": audit.reference,
            "domain_keys": ["assessment", "permanence"],
            "deadline": [str(deadline.day), str(deadline.month), str(deadline.year)],
            "invitee_ids": [str(p.id) for p in people],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    made = db.session.query(CalibrationRound).one()
    assert made.domain_keys == ["assessment", "permanence"]
    assert {i.person_id for i in made.invitations} == {p.id for p in people}
    # Each person invited is e-mailed, after the commit, with the link and without the case.
    assert sorted(m["To"] for m in inbox.messages) == sorted(p.email for p in people)
    body = inbox.messages[0].get_content()
    assert f"/calibration/{made.id}/grade" in body
    assert audit.case_ref not in body


def test_a_deadline_in_the_past_is_refused_with_a_govuk_error(client, login_as, db) -> None:  # type: ignore[no-untyped-def]
    people = [factories.user(Role.AUDITOR) for _ in range(2)]
    audit = factories.audit()
    db.session.commit()
    login_as(Role.QA_LEAD)
    past = local_today() - timedelta(days=1)
    response = client.post(
        "/calibration/new",
        data={
            "title": "Late",
            "source": "audit",
            "audit_reference": audit.reference,
            "domain_keys": ["assessment"],
            "deadline": [str(past.day), str(past.month), str(past.year)],
            "invitee_ids": [str(p.id) for p in people],
        },
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "There is a problem" in text
    assert "The deadline must be today or in the future" in text
    assert db.session.query(CalibrationRound).count() == 0


def test_the_grading_page_never_shows_the_auditors_grades(client, db) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit(
        overall="outstanding", grades={"assessment": "inadequate", "plans_and_planning": "good"}
    )
    audit.overall_rationale = "SECRET OVERALL JUDGEMENT"
    mf.completed_moderation(audit, "requires_improvement")
    made = cf.calibration_round(audit=audit)
    person = made.invitations[0].person
    db.session.commit()
    _sign_in(client, person)
    page = client.get(f"/calibration/{made.id}/grade")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Working well" in text  # the evidence is there
    assert "SECRET OVERALL JUDGEMENT" not in text
    assert audit.auditor.name not in text
    assert f"/audits/{audit.id}" not in text
    assert "checked" not in text  # no grade chosen for them
    # Each grade's words appear only as the choices of the three questions.
    assert len(re.findall(r">\s*Outstanding\s*<", text)) == 3
    assert len(re.findall(r">\s*Inadequate\s*<", text)) == 3


def test_nobody_sees_another_persons_grades_before_the_results(client, db) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit(overall="good")
    mf.completed_moderation(audit, "requires_improvement")
    made = cf.calibration_round(audit=audit)
    first, second = made.invitations[0].person, made.invitations[1].person
    first.name = "First Grader"
    cf.graded(made, first, "outstanding")
    db.session.commit()
    _sign_in(client, second)
    for url in (f"/calibration/{made.id}", f"/calibration/{made.id}/grade", "/calibration/mine"):
        text = client.get(url).get_data(as_text=True)
        assert "Because outstanding" not in text, url
        assert "First Grader on" not in text, url  # first's rationale
        assert "Results" not in text, url
    show = client.get(f"/calibration/{made.id}").get_data(as_text=True)
    assert "Requires improvement to be good" not in show  # the reference
    assert "spread" not in show.lower()


def test_an_invitee_saves_submits_and_then_cannot_change(client, db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round()
    person = made.invitations[0].person
    invitation_id = made.invitations[0].id
    db.session.commit()
    _sign_in(client, person)
    saved = client.post(f"/calibration/{made.id}/grade", data=_form(made, 1, "good", "save"))
    assert saved.status_code == 302
    submitted = client.post(f"/calibration/{made.id}/grade", data=_form(made, 2, "good"))
    assert submitted.status_code == 302
    again = client.post(f"/calibration/{made.id}/grade", data=_form(made, 3, "inadequate"))
    assert again.status_code == 400
    assert "They can no longer be changed" in again.get_data(as_text=True)
    _db.session.expire_all()
    invitation = _db.session.get(CalibrationInvitation, invitation_id)
    assert invitation.submitted
    assert {g.grade for g in invitation.grades} == {"good"}


def test_saving_after_the_deadline_is_refused_and_the_entries_are_shown_again(client, db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round()
    made.deadline = local_today() - timedelta(days=1)
    person = made.invitations[0].person
    db.session.commit()
    _sign_in(client, person)
    response = client.post(f"/calibration/{made.id}/grade", data=_form(made, 1, "good", "save"))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "There is a problem" in text
    assert "The deadline for this round was" in text
    assert "Because good" in text  # nothing typed is lost from the page
    _db.session.expire_all()
    assert _db.session.get(CalibrationInvitation, made.invitations[0].id).grades == []


def test_closing_early_opens_the_results_and_stops_grading(client, db) -> None:  # type: ignore[no-untyped-def]
    audit = factories.audit(overall="good")
    mf.completed_moderation(audit, "good", grades={"assessment": "requires_improvement"})
    lead = factories.user(Role.QA_LEAD)
    made = cf.calibration_round(audit=audit, qa_lead=lead)
    graders = [i.person for i in made.invitations]
    cf.graded(made, graders[0], "good")
    cf.graded(made, graders[1], "requires_improvement")
    db.session.commit()
    _sign_in(client, lead)
    closed = client.post(f"/calibration/{made.id}/close", data={"version": str(made.version)})
    assert closed.status_code == 302
    page = client.get(f"/calibration/{made.id}").get_data(as_text=True)
    assert "The spread of grades and the reference" in page
    assert "Each person against the reference" in page
    assert graders[0].name in page
    assert graders[1].name in page
    notes = client.post(
        f"/calibration/{made.id}/discussion",
        data={"version": str(made.version + 1), "notes": "We agreed planning was drifting."},
    )
    assert notes.status_code == 302

    _sign_in(client, graders[2])  # did not submit before the close
    refused = client.post(f"/calibration/{made.id}/grade", data=_form(made, 1, "good"))
    assert refused.status_code == 400
    assert "The QA lead has closed this round" in refused.get_data(as_text=True)

    _sign_in(client, graders[0])
    theirs = client.get(f"/calibration/{made.id}").get_data(as_text=True)
    assert "We agreed planning was drifting." in theirs
    assert "Your grades against the reference" in theirs
    assert graders[1].name not in theirs  # another person's row is the QA lead's to see
    mine = client.get("/calibration/mine").get_data(as_text=True)
    assert "Spring calibration" in mine
    assert "2 (66.7%)" in mine  # Good, Good, Good against RI, Good, Good


def test_the_qa_lead_sets_a_reference_with_a_reason(client, db) -> None:  # type: ignore[no-untyped-def]
    lead = factories.user(Role.QA_LEAD)
    made = cf.calibration_round(case_ref="CR-88001", qa_lead=lead)
    db.session.commit()
    _sign_in(client, lead)
    blank = client.post(f"/calibration/{made.id}/reference", data={"domain_key": "assessment"})
    assert blank.status_code == 400
    response = client.post(
        f"/calibration/{made.id}/reference",
        data={"domain_key": "assessment", "grade": "good", "note": "Agreed at the meeting"},
    )
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(CalibrationRound, made.id).reference_for("assessment").grade == "good"


def test_round_pages_are_access_logged(client, db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round(case_ref="CR-99001")
    person = made.invitations[0].person
    outsider = factories.user(Role.AUDITOR)
    db.session.commit()
    _sign_in(client, person)
    assert client.get(f"/calibration/{made.id}/grade").status_code == 200
    _sign_in(client, outsider)
    assert client.get(f"/calibration/{made.id}/grade").status_code == 404
    rows = _db.session.query(AccessLogEntry).filter_by(entity_type="calibration_round").all()
    assert [(r.user_id, r.action, r.case_ref) for r in rows] == [
        (person.id, "viewed", "CR-99001"),
        (outsider.id, "refused", "CR-99001"),
    ]


def test_the_home_page_shows_rounds_to_grade(client, db) -> None:  # type: ignore[no-untyped-def]
    made = cf.calibration_round(title="Autumn round")
    person = made.invitations[0].person
    db.session.commit()
    _sign_in(client, person)
    home = client.get("/").get_data(as_text=True)
    assert "Calibration rounds to grade" in home
    assert f"/calibration/{made.id}/grade" in home
