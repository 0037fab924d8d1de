"""The moderation form through the test client: the auditor's judgement beside agree or
regrade, a regrade completing with its outcome, and the form's refusals."""

from __future__ import annotations

import pytest

from qa_audit.auth.roles import Role
from qa_audit.moderation.models import Moderation
from tests import factories
from tests.factories import moderation as mf
from tests.functional.moderation_pages import agree_form, html, text


def test_the_form_shows_the_auditors_judgement_beside_agree_or_regrade(
    login_as, client, db
) -> None:
    login_as(Role.MODERATOR)
    audit = factories.audit(reference="Q-FORM")
    audit.grades[0].working_well = "Thorough chronology"
    moderation = mf.selected(audit)
    db.session.commit()
    response = client.get(f"/moderation/{moderation.id}")
    page = html(response)
    assert response.status_code == 200
    assert "Thorough chronology" in page
    assert "The auditor's judgement" in text(response)
    assert 'name="d_assessment_decision"' in page
    assert 'value="regrade"' in page
    assert 'name="d_assessment_grade"' in page
    assert 'name="d_assessment_rationale"' in page
    assert 'name="version" value="1"' in page
    assert "Complete moderation" in page
    assert "Save and come back later" in page


def test_a_regrade_completes_with_the_outcome_and_the_auditors_grades_stay(
    login_as, client, db
) -> None:
    login_as(Role.MODERATOR, name="Mo Moderator")
    audit = factories.audit(reference="Q-DOWN", overall="good")
    moderation = mf.selected(audit)
    db.session.commit()
    data = agree_form(
        1,
        d_assessment_decision="regrade",
        d_assessment_grade="requires_improvement",
        d_assessment_rationale="No analysis of the father's role",
        overall_decision="regrade",
        overall_grade="requires_improvement",
    )
    response = client.post(f"/moderation/{moderation.id}", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/moderation/")
    db.session.expire_all()
    stored = db.session.get(Moderation, moderation.id)
    assert (stored.status, stored.outcome, stored.overall_grade) == (
        "completed",
        "downgraded",
        "requires_improvement",
    )
    assert stored.grade_for("assessment").rationale == "No analysis of the father's role"
    assert stored.audit.overall_grade == "good"
    assert {g.grade for g in stored.audit.grades} == {"good"}
    page = text(client.get(f"/moderation/{moderation.id}"))
    assert "Moderation outcome" in page
    assert "Downgraded" in page
    assert "No analysis of the father's role" in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"d_assessment_decision": "regrade", "d_assessment_grade": "outstanding"},
            "Give your rationale for regrading Assessment",
        ),
        ({"overall_rationale": ""}, "Give your rationale for the overall grade"),
        ({"d_permanence_decision": ""}, "Choose Agree or Regrade for Creating Stability"),
        (
            {"d_assessment_decision": "regrade", "d_assessment_rationale": "Why"},
            "Choose the new grade for Assessment",
        ),
    ],
)
def test_bad_forms_are_refused_with_clear_messages(login_as, client, db, extra, message) -> None:
    login_as(Role.MODERATOR)
    moderation = mf.selected(factories.audit())
    db.session.commit()
    response = client.post(f"/moderation/{moderation.id}", data=agree_form(1, **extra))
    assert response.status_code == 400
    page = html(response)
    assert "There is a problem" in page
    assert message in page
    db.session.expire_all()
    stored = db.session.get(Moderation, moderation.id)
    assert stored.status == "selected"
    assert stored.version == 1
    assert stored.grades == []


def test_own_audit_is_refused_with_a_clear_message(login_as, client, db) -> None:
    me = login_as(Role.MODERATOR, Role.AUDITOR)
    moderation = mf.selected(factories.audit(auditor=me, reference="Q-OWN"))
    db.session.commit()
    page = html(client.get(f"/moderation/{moderation.id}"))
    assert "You cannot moderate audit Q-OWN: you are its auditor" in page
    assert 'name="d_assessment_decision"' not in page
    response = client.post(f"/moderation/{moderation.id}", data=agree_form(1))
    assert response.status_code == 400
    assert "you are its auditor" in html(response)
    db.session.expire_all()
    assert db.session.get(Moderation, moderation.id).status == "selected"


def test_an_audit_not_selected_is_refused(login_as, client, db) -> None:
    login_as(Role.MODERATOR)
    audit = factories.audit(reference="Q-NONE")
    db.session.commit()
    response = client.get(f"/moderation/audit/{audit.id}")
    assert response.status_code == 404
    assert "Audit Q-NONE has not been selected for moderation" in html(response)
    moderation = mf.selected(factories.audit())
    db.session.commit()
    response = client.get(f"/moderation/audit/{moderation.audit_id}")
    assert response.headers["Location"].endswith(f"/moderation/{moderation.id}")
    assert client.get("/moderation/999999").status_code == 404


def test_a_completed_or_withdrawn_moderation_is_refused(login_as, client, db) -> None:
    login_as(Role.MODERATOR)
    done_audit = factories.audit()
    done = mf.completed(done_audit, moderator_user=mf.moderator(name="First Mod"), overall="good")
    withdrawn = mf.selected(factories.audit())
    withdrawn.status = "withdrawn"
    withdrawn.withdrawn_reason = "Duplicate"
    db.session.commit()
    response = client.post(f"/moderation/{done.id}", data=agree_form(1))
    assert response.status_code == 400
    assert "already been moderated by First Mod" in html(response)
    assert "What has been saved" in html(response)
    response = client.post(f"/moderation/{withdrawn.id}", data=agree_form(1))
    assert response.status_code == 400
    assert "withdrawn from moderation: Duplicate" in html(response)
