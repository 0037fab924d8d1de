"""Lists of many audits keep a blind audit's grades from its blind moderator until they have
graded it blind: the All audits page (shown as hidden, not as ungraded; its grade filter
neither finds nor leaves out the audit by its grade) and the API's list of audits (null grades
and a flag). Everyone else, and the moderator once graded, sees the grades as before."""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient

from qa_audit.api import tokens
from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.moderation import blind
from qa_audit.moderation.models import ModerationStatus
from tests import factories
from tests.factories import moderation as mf

HIDDEN = "Hidden until you have graded it"


def text(response) -> str:  # type: ignore[no-untyped-def]
    page = response.get_data(as_text=True)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def sign_in(client: FlaskClient, user) -> None:  # type: ignore[no-untyped-def]
    client.post("/sign-out", data={})
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def blind_world():  # type: ignore[no-untyped-def]
    """One audit waiting for blind grades (Outstanding) and one open audit (Requires
    improvement), with the moderator who is kept blind."""
    auditor = factories.user(Role.AUDITOR, name="Ada Auditor")
    hidden = factories.audit(auditor=auditor, overall="outstanding")
    moderation = mf.selected(hidden)
    moderation.blind = True
    shown = factories.audit(auditor=auditor, overall="requires_improvement")
    moderator = mf.moderator(name="Mo Moderator")
    db.session.commit()
    return hidden, shown, moderation, moderator


def grade_blind(moderation, moderator) -> None:  # type: ignore[no-untyped-def]
    grades = {row.domain_key: Grade.GOOD for row in moderation.audit.grades}
    blind.save_blind_grades(moderator, moderation, moderation.version, grades, Grade.GOOD, "Mine")
    db.session.commit()


def row_of(page: str, reference: str) -> str:
    """The text of the table row naming ``reference``."""
    for row in re.findall(r"<tr class=\"govuk-table__row\">.*?</tr>", page, flags=re.S):
        if reference in row:
            return " ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split())
    raise AssertionError(f"{reference} is not listed")


def test_the_all_audits_list_hides_the_grade_from_the_blind_moderator(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    hidden, shown, moderation, moderator = blind_world()
    sign_in(client, moderator)
    page = client.get("/audit-list").get_data(as_text=True)
    assert HIDDEN in row_of(page, hidden.reference)
    assert "Outstanding" not in row_of(page, hidden.reference)
    assert "Requires improvement" in row_of(page, shown.reference)
    # Once graded blind, the grade is shown.
    grade_blind(moderation, moderator)
    page = client.get("/audit-list").get_data(as_text=True)
    assert "Outstanding" in row_of(page, hidden.reference)
    assert HIDDEN not in page


def test_the_qa_lead_sees_the_grade_of_a_blind_audit(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    hidden, _, _, _ = blind_world()
    sign_in(client, factories.user(Role.QA_LEAD))
    page = client.get("/audit-list").get_data(as_text=True)
    assert "Outstanding" in row_of(page, hidden.reference)
    assert HIDDEN not in page


def test_the_grade_filter_does_not_reveal_a_hidden_grade(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    hidden, shown, _, moderator = blind_world()
    sign_in(client, moderator)
    # Listed by its real grade it would tell the grade; left out of every grade's list it
    # tells nothing (the unfiltered list still has it, as hidden).
    assert hidden.reference not in text(client.get("/audit-list?grade=outstanding"))
    assert hidden.reference not in text(client.get("/audit-list?grade=good"))
    assert shown.reference in text(client.get("/audit-list?grade=requires_improvement"))
    assert hidden.reference in text(client.get("/audit-list"))


def test_the_api_list_gives_null_grades_and_a_flag_to_the_blind_moderator(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    hidden, shown, moderation, moderator = blind_world()
    _, secret = tokens.issue_token(moderator, "Reports")
    db.session.commit()

    def items() -> dict[str, dict]:  # type: ignore[type-arg]
        response = client.get("/api/v1/audits", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 200
        assert "outstanding" not in response.get_data(as_text=True) or not hidden_now
        return {item["reference"]: item for item in response.get_json()["items"]}

    hidden_now = True
    listed = items()
    assert listed[hidden.reference]["overall_grade"] is None
    assert listed[hidden.reference]["final_overall_grade"] is None
    assert listed[hidden.reference]["grades_hidden"] is True
    assert listed[shown.reference]["overall_grade"] == "requires_improvement"
    assert listed[shown.reference]["grades_hidden"] is False
    grade_blind(moderation, moderator)
    hidden_now = False
    listed = items()
    assert listed[hidden.reference]["overall_grade"] == "outstanding"
    assert listed[hidden.reference]["grades_hidden"] is False


def test_the_api_refuses_one_blind_audit_and_serves_it_once_graded(client: FlaskClient, db) -> None:  # type: ignore[no-untyped-def]
    hidden, _, moderation, moderator = blind_world()
    _, secret = tokens.issue_token(moderator, "Reports")
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    refused = client.get(f"/api/v1/audits/{hidden.reference}", headers=headers)
    assert refused.status_code == 403
    assert refused.get_json()["message"] == blind.HIDDEN_MESSAGE
    assert "outstanding" not in refused.get_data(as_text=True)
    # Unknown references are still 404 (the refusal tells nothing about other audits).
    assert client.get("/api/v1/audits/T-NONE", headers=headers).status_code == 404
    grade_blind(moderation, moderator)
    served = client.get(f"/api/v1/audits/{hidden.reference}", headers=headers)
    assert served.status_code == 200
    assert served.get_json()["overall_grade"] == "outstanding"
    assert db.session.get(type(moderation), moderation.id).status == (
        ModerationStatus.SELECTED.value
    )


def test_the_evidence_explorer_leaves_out_a_blind_audit_for_its_blind_moderator(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    """Each entry shows its principle's final grade, so the blind moderator's explorer (and its
    download) leaves the audit out until they have graded it; the QA lead's does not."""
    hidden, shown, moderation, moderator = blind_world()
    for audit in (hidden, shown):
        for grade in audit.grades:
            grade.working_well = f"Working well in {audit.reference}"
    db.session.commit()
    sign_in(client, moderator)
    query = "from=2024-04&to=2024-04"
    page = text(client.get(f"/reports/evidence?{query}"))
    assert f"Working well in {shown.reference}" in page
    assert hidden.reference not in page
    download = client.get(f"/reports/evidence/download.csv?{query}").get_data(as_text=True)
    assert shown.reference in download
    assert hidden.reference not in download
    grade_blind(moderation, moderator)
    assert hidden.reference in text(client.get(f"/reports/evidence?{query}"))
    sign_in(client, factories.user(Role.QA_LEAD))
    assert hidden.reference in text(client.get(f"/reports/evidence?{query}"))
