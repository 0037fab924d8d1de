"""The evidence explorer's page and download through the test client: who may see it, the
counts beside the filters, links to audits, the access log and the export's record."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories.evidence import evidenced

PERIOD = {"from": "2024-02", "to": "2024-04"}
APRIL = date(2024, 4, 15)


def html(response: Any) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def evidence(db: Any) -> dict[str, Any]:
    """Locality: two audits (one father entry, one formula-like text); front door: one."""
    ours = evidenced(
        {"assessment": ("Met the father at home", "", "Child safer")},
        submitted_on=APRIL,
        case_ref="CR700001",
        reference="QA-EV-1",
    )
    risky = evidenced(
        {"permanence": ('=HYPERLINK("http://x")', "", "")},
        submitted_on=date(2024, 3, 5),
        case_ref="CR700002",
        reference="QA-EV-2",
    )
    theirs = evidenced(
        {"assessment": ("Front door father work", "", "")},
        area_key="front_door",
        submitted_on=APRIL,
        case_ref="CR700003",
        reference="QA-EV-3",
    )
    db.session.commit()
    return {"ours": ours, "risky": risky, "theirs": theirs}


def get(client: FlaskClient, path: str = "/reports/evidence", **args: str) -> Any:
    return client.get(path, query_string={**PERIOD, **args})


@pytest.mark.parametrize("roles", [(Role.VIEWER,), (Role.AUDITOR,), (Role.ADMIN,)])
def test_viewers_auditors_and_admins_are_refused(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any], roles: tuple[Role, ...]
) -> None:
    login_as(*roles, area_key="locality")
    for path in (
        "/reports/evidence",
        "/reports/evidence/download.xlsx",
        "/reports/evidence/download.csv",
    ):
        response = get(client, path)
        assert response.status_code == 403, path
        assert "father" not in html(response)


def test_the_qa_lead_sees_every_entry_linked_to_its_audit(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any]
) -> None:
    login_as(Role.QA_LEAD)
    response = get(client)
    page = html(response)
    assert response.status_code == 200
    assert "Met the father at home" in page
    assert "Front door father work" in page
    assert f'href="/audits/{evidence["ours"].id}">QA-EV-1</a>' in page
    assert "CR700001" not in page  # the audit reference, never the case reference
    assert "3 in February to April 2024" in page  # the report's audits completed
    assert "4 entries from 3 audits" in page


def test_counts_stand_beside_the_options(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any]
) -> None:
    """Entries: locality 3 (assessment WW and impact, permanence WW), front door 1; with the
    search 'father': locality 1, front door 1, kind working well 2."""
    login_as(Role.QA_LEAD)
    page = html(get(client))
    assert ">Locality (3)</option>" in page or "Locality (3)" in page
    assert "(1)</option>" in page
    searched = html(get(client, q="father"))
    assert "Met the father at home" in searched
    assert "Child safer" not in searched
    assert "Working well (2)" in searched
    assert "2 entries from 2 audits" in searched


def test_a_service_manager_sees_their_own_area_only(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any]
) -> None:
    login_as(Role.SERVICE_MANAGER, area_key="locality")
    page = html(get(client, service_area="front_door"))
    assert "Met the father at home" in page
    assert "Front door father work" not in page
    assert "QA-EV-3" not in page


@pytest.mark.parametrize(
    "words", ['"father', "father*", "NEAR(father", "(((", "😀", "x" * 5000, "AND OR NOT"]
)
def test_query_syntax_never_fails_the_page(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any], words: str
) -> None:
    login_as(Role.QA_LEAD)
    response = get(client, q=words)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "There is a problem" in html(response)


def test_a_wrong_filter_is_shown_on_the_form(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any]
) -> None:
    login_as(Role.QA_LEAD)
    for args, message in (
        ({"grade": "brilliant"}, "Select a grade from the list"),
        ({"to": "2024-13"}, "The end month must be a real month"),
        ({"q": "***"}, "Enter words to search for"),
        ({"theme": "99999999999"}, "Select a learning theme from the list"),
    ):
        response = get(client, **args)
        assert response.status_code == 400, args
        assert message in html(response), args


def test_every_view_is_access_logged_with_the_case_references_shown(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any]
) -> None:
    lead = login_as(Role.QA_LEAD)
    assert get(client, q="father").status_code == 200
    _db.session.expire_all()
    row = _db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.user_id == lead.id, AccessLogEntry.entity_type == "evidence"
        )
    ).one()
    assert row.action == "listed"
    assert row.detail is not None
    assert sorted(row.detail["case_refs"]) == ["CR700001", "CR700003"]
    assert row.detail["filters"]["q"] == "father"


def test_a_viewers_refusal_is_access_logged(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any]
) -> None:
    viewer = login_as(Role.VIEWER)
    assert get(client).status_code == 403
    _db.session.expire_all()
    row = _db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.user_id == viewer.id)
    ).one()
    assert (row.entity_type, row.action) == ("evidence", "refused")


def test_the_export_is_a_workbook_safe_from_formulas_and_is_recorded(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any]
) -> None:
    lead = login_as(Role.QA_LEAD)
    response = get(client, "/reports/evidence/download.xlsx", service_area="locality")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="evidence-2024-02-to-2024-04'
    )
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == (
        "Practice principle",
        "Kind of entry",
        "Evidence",
        "Final grade of the principle",
    )
    evidence_texts = sorted(r[2] for r in rows[1:])
    assert evidence_texts == ['\'=HYPERLINK("http://x")', "Child safer", "Met the father at home"]
    assert {r[6] for r in rows[1:]} == {"April 2024", "March 2024"}
    assert "Front door father work" not in evidence_texts

    _db.session.expire_all()
    logged = _db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.user_id == lead.id, AccessLogEntry.action == "exported"
        )
    ).one()
    assert logged.entity_type == "evidence"
    assert logged.detail is not None
    assert logged.detail["rows"] == 3
    assert logged.detail["filters"]["service_area"] == "locality"
    change = _db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "evidence.exported")
    ).one()
    assert change.actor_id == lead.id


def test_the_report_links_to_the_explorer_except_for_viewers(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any], app: Any
) -> None:
    login_as(Role.QA_LEAD)
    page = html(client.get("/reports", query_string={**PERIOD, "service_area": "locality"}))
    assert 'href="/reports/evidence?from=2024-02&amp;to=2024-04&amp;service_area=locality"' in page
    client.post("/sign-out")
    for _ in range(3):  # five audits or more: a viewer sees the principles' figures
        evidenced({}, submitted_on=APRIL)
    viewer = factories.user(Role.VIEWER)
    _db.session.commit()
    client.post("/sign-in", data={"email": viewer.email, "password": factories.PASSWORD})
    response = client.get("/reports", query_string=PERIOD)
    assert response.status_code == 200
    assert "Practice principles" in html(response)
    assert "/reports/evidence" not in html(response)


def test_the_csv_export_is_safe_from_formulas_and_recorded(
    login_as: Any, client: FlaskClient, evidence: dict[str, Any]
) -> None:
    lead = login_as(Role.QA_LEAD)
    response = get(client, "/reports/evidence/download.csv", q="hyperlink")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Practice principle,Kind of entry,Evidence,")
    assert '"\'=HYPERLINK(""http://x"")"' in text
    assert len(text.splitlines()) == 2
    _db.session.expire_all()
    logged = _db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.user_id == lead.id, AccessLogEntry.action == "exported"
        )
    ).one()
    assert logged.detail == {"format": "csv", "rows": 1, "filters": logged.detail["filters"]}
    assert logged.detail["filters"]["search"] == "hyperlink"
    assert get(client, "/reports/evidence/download.docx").status_code == 404
