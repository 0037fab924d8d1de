"""The audit form's autosave through the test client: JSON answers, a stale version, a
submitted audit, bad formats, signed out, and a draft surviving a session timeout."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from qa_audit.audits import services
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from tests import factories
from tests.factories.audits import draft_data
from tests.functional.audit_form_pages import form_data, fresh, submit_audit, text_of


def test_autosave_saves_and_answers_json(client: FlaskClient, audit: Audit) -> None:
    data = form_data(audit, grade=None)
    data["child_centred_practice-impact"] = "Autosaved words"
    opened_on = audit.version
    response = client.post(
        f"/audits/{audit.id}/autosave", data=data, headers={"X-Requested-With": "XMLHttpRequest"}
    )
    assert response.status_code == 200
    reply = response.get_json()
    saved = fresh(audit)
    assert reply["version"] == saved.version == opened_on + 1
    assert reply["changed"] is True
    assert re.fullmatch(r"\d\d:\d\d", reply["saved_at_text"])
    assert reply["saved_at"].startswith(local_today().isoformat())
    assert saved.grade_for("child_centred_practice").impact == "Autosaved words"
    # the same again changes nothing and keeps the version
    data["version"] = str(reply["version"])
    again = client.post(f"/audits/{audit.id}/autosave", data=data).get_json()
    assert again["version"] == reply["version"]
    assert again["changed"] is False


def test_autosave_refuses_a_stale_version_with_409(client: FlaskClient, audit: Audit) -> None:
    data = form_data(audit)
    services.save_draft(audit.auditor, audit, audit.version, draft_data(audit, grade="outstanding"))
    db.session.commit()
    response = client.post(f"/audits/{audit.id}/autosave", data=data)
    assert response.status_code == 409
    reply = response.get_json()
    assert reply["error"] == "stale"
    assert "Reload the page" in reply["message"]
    assert fresh(audit).grade_for("assessment").grade == "outstanding"


def test_autosave_of_a_submitted_audit_is_refused(client: FlaskClient, audit: Audit) -> None:
    assert submit_audit(client, audit, form_data(audit)).status_code == 302
    response = client.post(
        f"/audits/{audit.id}/autosave", data=form_data(fresh(audit), grade="inadequate")
    )
    assert response.status_code == 409
    assert response.get_json()["error"] == "locked"
    assert fresh(audit).grade_for("assessment").grade == "good"


def test_autosave_names_bad_formats_and_saves_the_rest(client: FlaskClient, audit: Audit) -> None:
    data = form_data(audit)
    data["overall_rationale"] = "x" * (services.TEXT_MAX + 1)
    response = client.post(f"/audits/{audit.id}/autosave", data=data)
    assert response.status_code == 200
    assert response.get_json()["errors"] == {
        "overall_rationale": "Rationale for the overall grade must be 10,000 characters or fewer"
    }
    assert fresh(audit).overall_rationale == ""
    assert fresh(audit).overall_grade == "good"
    data["version"] = "not a number"
    response = client.post(f"/audits/{audit.id}/autosave", data=data)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid"


def test_autosave_when_signed_out_redirects_to_sign_in(client: FlaskClient, audit: Audit) -> None:
    client.post("/sign-out")
    response = client.post(f"/audits/{audit.id}/autosave", data=form_data(audit))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert fresh(audit).grade_for("assessment").grade is None


def test_an_autosaved_draft_survives_a_session_timeout(
    client: FlaskClient, audit: Audit, auditor: User
) -> None:
    data = form_data(audit, grade=None)
    data["assessment-impact"] = "Typed just before lunch"
    assert client.post(f"/audits/{audit.id}/autosave", data=data).status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] = int(session["last_seen"]) - 3 * 3600  # idle for three hours
    response = client.get(f"/audits/{audit.id}/edit")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    signed_out = text_of(client.get(response.headers["Location"]))
    assert "Anything you saved is kept" in signed_out
    client.post("/sign-in", data={"email": auditor.email, "password": factories.PASSWORD})
    page = text_of(client.get(f"/audits/{audit.id}/sections/assessment"))
    assert "Typed just before lunch</textarea>" in page
