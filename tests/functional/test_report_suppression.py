"""Small-cell suppression: a viewer (or a viewer's API token) who narrows a report to a few
audits reads none of their grades; the QA lead still does."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from qa_audit.api import tokens as api
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from tests import factories

ONE_AUDIT = {"from": "2024-04", "to": "2024-04", "service_area": "fostering"}
RULE = "Figures resting on fewer than 5 audits are not shown."


@pytest.fixture
def one_audit(db):  # type: ignore[no-untyped-def]
    """Fostering has one audit in April 2024, graded Inadequate; locality has three."""
    auditor = factories.user(Role.AUDITOR)
    factories.audit(
        auditor=auditor, overall="inadequate", area_key="fostering", submitted_on=date(2024, 4, 11)
    )
    for day in (10, 12, 14):
        factories.audit(auditor=auditor, overall="good", submitted_on=date(2024, 4, day))
    db.session.commit()


def report_json(client, **args):  # type: ignore[no-untyped-def]
    response = client.get("/reports/download.json", query_string={**ONE_AUDIT, **args})
    assert response.status_code == 200
    return json.loads(response.data)


def test_a_viewer_narrowing_to_one_audit_reads_no_grade(client, login_as, one_audit) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.VIEWER)
    response = client.get("/reports", query_string=ONE_AUDIT)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert RULE in html
    assert "Inadequate" not in html.split('id="direction-of-travel"')[0]
    assert "1 of 1" not in html
    report = report_json(client)
    assert report["suppressed"]["rule"] == RULE
    assert report["overall"]["final"]["inadequate"] is None
    assert report["overall"]["final_percent"]["inadequate"] is None
    assert all(d["counts"]["inadequate"] is None for d in report["domains"].values())
    april = report["months"][-1]
    assert april["month"] == "2024-04"
    assert april["final"]["inadequate"] is None
    assert april["suppressed"] is True
    # Every key is kept: the same shape as the QA lead's report.
    assert set(report["overall"]["final"]) == {
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
    }


def test_the_qa_lead_still_reads_the_grades(client, login_as, one_audit) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    report = report_json(client)
    assert "suppressed" not in report
    assert report["overall"]["final"]["inadequate"] == 1
    assert report["months"][-1]["final"]["inadequate"] == 1
    assert "1 of 1" in client.get("/reports", query_string=ONE_AUDIT).get_data(as_text=True)


def test_a_viewers_api_token_is_suppressed_too(client, one_audit) -> None:  # type: ignore[no-untyped-def]
    _, secret = api.issue_token(factories.user(Role.VIEWER), "Power BI")
    db.session.commit()
    response = client.get(
        "/api/v1/reports/period",
        headers={"Authorization": f"Bearer {secret}"},
        query_string=ONE_AUDIT,
    )
    assert response.status_code == 200
    report = response.get_json()
    assert report["suppressed"]["period"] is True
    assert report["overall"]["final"]["inadequate"] is None
    assert report["months"][-1]["final"]["inadequate"] is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "docx", "json"])
@pytest.mark.parametrize("args", [ONE_AUDIT, {"from": "2024-04", "to": "2024-04"}])
def test_each_export_renders_a_suppressed_report(
    client, app, monkeypatch, login_as, one_audit, fmt, args
) -> None:  # type: ignore[no-untyped-def]
    # Threshold 4: the whole council's April (4 audits) is shown, fostering's (1) is not.
    monkeypatch.setitem(app.config, "REPORT_SUPPRESS_BELOW", 4)
    login_as(Role.VIEWER)
    response = client.get(f"/reports/download.{fmt}", query_string=args)
    assert response.status_code == 200
    if fmt == "csv":
        text = response.data.decode("utf-8-sig")
        assert ("Figures resting on fewer than 4" in text) == (args is ONE_AUDIT)
    if fmt == "docx":
        from docx import Document

        text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
        assert ("Figures resting on fewer than 4" in text) == (args is ONE_AUDIT)


def test_months_with_too_few_audits_are_suppressed_within_a_larger_period(
    client, app, monkeypatch, login_as, one_audit
) -> None:  # type: ignore[no-untyped-def]
    factories.audit(overall="good", submitted_on=date(2024, 3, 5))
    db.session.commit()
    monkeypatch.setitem(app.config, "REPORT_SUPPRESS_BELOW", 3)
    login_as(Role.VIEWER)
    report = report_json(client, **{"from": "2024-03", "to": "2024-04", "service_area": ""})
    assert report["suppressed"]["period"] is False
    assert report["overall"]["final"]["good"] == 4
    months = {m["month"]: m for m in report["months"]}
    assert months["2024-03"]["final"]["good"] is None
    assert months["2024-04"]["final"]["good"] == 3
    html = client.get("/reports", query_string={"from": "2024-03", "to": "2024-04"}).get_data(
        as_text=True
    )
    assert "not shown: fewer than 3 audits" in html
    for chart in ("overall-trend", "domains-trend"):
        assert client.get(f"/reports/charts/{chart}.svg", query_string=ONE_AUDIT).status_code == 200
