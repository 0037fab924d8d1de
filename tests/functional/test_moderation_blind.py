"""Blind moderation and the quality of audits through the test client: the sampling rules'
blind choice, the blind step showing no grade of the auditor's, the decision page, the audit's
page and the API refused to the blind moderator until the blind grades are saved, then both
grades shown, the quality ratings read by the auditor, and the QA lead's summary."""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient

from qa_audit.api import tokens
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.moderation import sampling
from tests import factories
from tests.factories import moderation as mf

KEYS = [
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
]
REASON = "Outstanding: draw 0.100 < rate 0.50, selected, due 13 May 2024 (20 working days)"


def text(response) -> str:  # type: ignore[no-untyped-def]
    page = response.get_data(as_text=True)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def sign_in(client: FlaskClient, user) -> None:  # type: ignore[no-untyped-def]
    client.post("/sign-out", data={})
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def blind_world():  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR, name="Ada Auditor")
    audit = factories.audit(auditor=auditor, overall="outstanding")
    moderation = mf.selected(audit)
    moderation.blind = True
    moderation.selection_reason = REASON
    moderator = mf.moderator(name="Mo Moderator")
    db.session.commit()
    return audit, moderation, moderator


def blind_form(version: int, overall: str = "good") -> dict[str, str]:
    data = {"version": str(version), "overall_grade": overall, "overall_rationale": "Mine"}
    data.update({f"d_{key}_grade": "good" for key in KEYS})
    return data


def test_the_qa_lead_sets_blind_per_grade(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    rules = sampling.get_settings()
    data = {
        "version": str(rules.version),
        "rate_outstanding": "50",
        "rate_good": "50",
        "rate_requires_improvement": "20",
        "inadequate_deadline_days": "5",
        "normal_deadline_days": "20",
        "reflective_deadline_days": "10",
        "blind_grades": ["good", "inadequate"],
    }
    assert client.post("/moderation/settings", data=data).status_code == 302
    db.session.expire_all()
    rules = sampling.get_settings()
    assert (rules.blind_good, rules.blind_inadequate) == (True, True)
    assert (rules.blind_outstanding, rules.blind_requires_improvement) == (False, False)
    assert 'value="good" checked' in client.get("/moderation/settings").get_data(as_text=True)


def test_the_blind_moderator_sees_no_grade_until_the_blind_grades_are_saved(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    audit, moderation, moderator = blind_world()
    sign_in(client, moderator)
    # The decision page waits; its queue row hides the grade, priority and reason.
    response = client.get(f"/moderation/{moderation.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/moderation/{moderation.id}/blind")
    queue = text(client.get("/moderation/"))
    assert "Hidden: moderated blind" in queue
    assert "Outstanding" not in queue
    assert "Outstanding" not in text(client.get("/moderation/decisions"))
    page = text(client.get(f"/moderation/{moderation.id}/blind"))
    assert f"Grade audit {audit.reference} blind" in page
    assert "The auditor's judgement" not in page
    assert "draw 0.100" not in page
    assert "Selected at random" not in page
    assert "Why selected" not in page
    # The audit's own page and the API's record of it are refused.
    refused = client.get(f"/audits/{audit.id}")
    assert refused.status_code == 403
    assert "This audit is being moderated blind" in text(refused)
    assert client.get(f"/moderation/outcome/{audit.id}").status_code == 403
    _, secret = tokens.issue_token(moderator, "Reports")
    db.session.commit()
    api = client.get(
        f"/api/v1/audits/{audit.reference}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert api.status_code == 403
    assert api.get_json()["error"] == "forbidden"
    assert "outstanding" not in api.get_data(as_text=True)
    # A decision posted straight away is refused and nothing is saved.
    posted = client.post(
        f"/moderation/{moderation.id}",
        data={"version": str(moderation.version), "overall_decision": "agree", "complete": "y"},
    )
    assert posted.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(moderation), moderation.id).status == "selected"
    # Then the blind grades: the grades are shown beside them.
    saved = client.post(f"/moderation/{moderation.id}/blind", data=blind_form(moderation.version))
    assert saved.status_code == 302
    assert client.get(f"/audits/{audit.id}").status_code == 200
    decision = text(client.get(f"/moderation/{moderation.id}"))
    assert "Your blind grade: Good" in decision
    assert "The auditor's judgement Outstanding" in decision
    api = client.get(
        f"/api/v1/audits/{audit.reference}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert api.status_code == 200
    # Saved once: the blind step now leads to the decision.
    again = client.post(f"/moderation/{moderation.id}/blind", data=blind_form(2, "inadequate"))
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(moderation), moderation.id).blind_overall_grade == "good"


def test_the_qa_lead_is_not_blinded(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    audit, moderation, _ = blind_world()
    sign_in(client, factories.user(Role.QA_LEAD))
    assert client.get(f"/audits/{audit.id}").status_code == 200
    page = text(client.get(f"/moderation/{moderation.id}"))
    assert "Blind Yes, not yet graded blind" in page
    assert "The auditor's judgement" not in page  # no decision form before the blind grades


def test_a_change_from_the_blind_grade_needs_a_rationale_then_the_auditor_reads_the_feedback(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    audit, moderation, moderator = blind_world()
    sign_in(client, moderator)
    client.post(f"/moderation/{moderation.id}/blind", data=blind_form(moderation.version))
    db.session.expire_all()
    version = db.session.get(type(moderation), moderation.id).version
    data = {
        "version": str(version),
        "overall_decision": "regrade",
        "overall_grade": "good",
        "overall_rationale": "Good, not Outstanding",
        "complete": "y",
        "q_evidence_specific_rating": "yes",
        "q_analysis_rating": "partly",
        "q_analysis_comment": "Say what the evidence means for the child",
    }
    for key in KEYS:
        data[f"d_{key}_decision"] = "regrade"
        data[f"d_{key}_grade"] = "good"
        data[f"d_{key}_rationale"] = "The evidence shows Good"
    # Assessment: agree with the auditor's Outstanding, away from the blind Good, no reason.
    data["d_assessment_decision"] = "agree"
    data["d_assessment_rationale"] = ""
    refused = client.post(f"/moderation/{moderation.id}", data=data)
    assert refused.status_code == 400, text(refused)[:3000]
    assert "Give your rationale for changing Assessment from your blind grade" in text(refused)
    data["d_assessment_rationale"] = "The auditor's evidence on assessment is outstanding"
    response = client.post(f"/moderation/{moderation.id}", data=data)
    assert response.status_code == 302, text(response)[:3000]
    db.session.expire_all()
    done = db.session.get(type(moderation), moderation.id)
    assert (done.status, done.outcome, done.blind_overall_grade) == (
        "completed",
        "downgraded",
        "good",
    )
    assert done.grade_for("assessment").grade == "outstanding"
    assert done.grade_for("assessment").blind_grade == "good"
    sign_in(client, audit.auditor)
    page = text(client.get(f"/audits/{audit.id}"))
    assert "Feedback on this audit" in page
    assert "Analysis, not description Partly Say what the evidence means for the child" in page
    # The per-auditor summary: the QA lead's alone.
    sign_in(client, factories.user(Role.QA_LEAD))
    summary = text(client.get("/moderation/audit-quality"))
    assert "Ada Auditor 1" in summary
    assert "Yes 0, Partly 1, No 0" in summary
    sign_in(client, factories.user(Role.VIEWER))
    assert client.get("/moderation/audit-quality").status_code == 403


def test_adding_by_hand_offers_blind(client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    audit = factories.audit(overall="good")
    db.session.commit()
    response = client.post(
        "/moderation/add", data={"reference": audit.reference, "reason": "Check", "blind": "yes"}
    )
    assert response.status_code == 302
    assert sampling.moderation_of(audit).blind is True


def test_the_home_page_hides_a_blind_moderations_priority(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    moderator = mf.moderator(name="Mo Moderator")
    audit = factories.audit(overall="inadequate")
    moderation = mf.selected(audit, priority="high", moderator_user=moderator)
    moderation.blind = True
    db.session.commit()
    sign_in(client, moderator)
    home = text(client.get("/"))
    assert audit.reference in home
    assert "Hidden (blind)" in home
    assert "High" not in home
