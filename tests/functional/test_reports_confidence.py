"""The report's "confidence in grades" is the same on the page, in the API and in the command's
JSON for the same period and filters."""

from __future__ import annotations

import json
from datetime import date
from html import unescape

import pytest

from qa_audit.api.openapi import document
from qa_audit.auth.roles import Role
from qa_audit.reports.exports import confidence_words
from tests import factories
from tests.factories import reports as make
from tests.functional.test_api import get, token_for

PERIOD = {"from": "2024-02", "to": "2024-04"}


@pytest.fixture
def moderated(db):  # type: ignore[no-untyped-def]
    """Twelve moderated audits in two service areas, a few regraded."""
    for i in range(12):
        area = "locality" if i % 3 else "fostering"
        grade = ("good", "requires_improvement", "inadequate", "good")[i % 4]
        audit = factories.audit(
            overall=grade, area_key=area, submitted_on=date(2024, 2 + i % 3, 2 + i)
        )
        if i % 5 == 0:
            make.moderation(audit, "requires_improvement", grades={"assessment": "inadequate"})
        else:
            make.moderation(audit, grade)
    db.session.commit()


def _page(client, **args: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/reports", query_string={**PERIOD, **args})
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def _cli(app, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = app.test_cli_runner().invoke(
        args=["report", "--from", PERIOD["from"], "--to", PERIOD["to"], *args]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["confidence"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("area", [None, "fostering"])
def test_page_api_and_json_show_the_same_confidence(app, client, login_as, moderated, area) -> None:  # type: ignore[no-untyped-def]
    narrowed = {"service_area": area} if area else {}
    token = token_for(Role.QA_LEAD)
    api = get(client, "/api/v1/reports/period", token, **PERIOD, **narrowed)
    assert api.status_code == 200
    from_api = api.get_json()["confidence"]
    from_cli = _cli(app, *(["--service-area", area] if area else []))
    assert from_api == from_cli
    agreement = from_api["agreement"]
    assert agreement["pairs"] >= 10
    assert agreement["ac2"]["value"] is not None

    login_as(Role.QA_LEAD)
    html = _page(client, **narrowed)
    assert f"{confidence_words.headline(from_api)}." in html
    assert confidence_words.coefficient(agreement["ac2"]) in html
    assert confidence_words.coefficient(agreement["kappa"]) in html
    assert f"{agreement['pairs']} from {agreement['audits']} moderated audits" in html
    for grade in from_api["by_grade"].values():
        if grade["moderated"]:
            assert f"{grade['upheld']} of {grade['moderated']} (" in html


def test_narrowing_the_report_narrows_the_agreement(app, moderated) -> None:  # type: ignore[no-untyped-def]
    everywhere, fostering = _cli(app), _cli(app, "--service-area", "fostering")
    assert everywhere["agreement"]["audits"] == 12
    assert fostering["agreement"]["audits"] == 4
    assert fostering["agreement"]["pairs"] < everywhere["agreement"]["pairs"]


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.VIEWER])
def test_the_api_answer_matches_its_openapi_schema(client, moderated, role) -> None:  # type: ignore[no-untyped-def]
    from jsonschema import Draft202012Validator

    schema = document()["components"]["schemas"]["PeriodReport"]["properties"]["confidence"]
    # A viewer's single month of four audits: the agreement withheld, its figures null.
    query = PERIOD if role is Role.QA_LEAD else {"from": "2024-02", "to": "2024-02"}
    answer = get(client, "/api/v1/reports/period", token_for(role), **query).get_json()
    Draft202012Validator(schema).validate(answer["confidence"])
    assert answer["confidence"]["agreement"].get("suppressed", False) is (role is Role.VIEWER)
