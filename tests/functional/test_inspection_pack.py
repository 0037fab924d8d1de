"""The inspection evidence pack: the workbook's sheets and rows, the summary document, the
ZIP of both, who may have it, and the record each download leaves."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db as _db
from qa_audit.dip_samples.models import DipSample
from qa_audit.learning_themes.models import LearningTheme
from tests import factories
from tests.factories import actions
from tests.factories import reports as make

PERIOD = {"from": "2024-02", "to": "2024-04"}
SHEETS = ["About this pack", "Audits", "Moderation", "Actions", "Learning themes", "Dip samples"]
IN_PACK = ["CR900001", "CR900002", "CR900003", "CR900004"]


@pytest.fixture
def period(db):  # type: ignore[no-untyped-def]
    """Four audits in February-April 2024 (one downgraded by moderation, one waiting for a
    moderator), one in May and a draft (neither in the pack); two actions of the audits,
    three theme tags, and a dip sample completed in March with an action of its own."""
    lead = factories.user(Role.QA_LEAD)
    first = factories.audit(overall="good", submitted_on=date(2024, 2, 10), case_ref=IN_PACK[0])
    second = factories.audit(overall="good", submitted_on=date(2024, 3, 10), case_ref=IN_PACK[1])
    third = factories.audit(
        overall="outstanding", submitted_on=date(2024, 4, 10), case_ref=IN_PACK[2]
    )
    factories.audit(
        overall="inadequate",
        submitted_on=date(2024, 4, 20),
        area_key="fostering",
        case_ref=IN_PACK[3],
    )
    factories.audit(overall="good", submitted_on=date(2024, 5, 2), case_ref="CR900099")
    factories.audit(overall=None, status="draft", case_ref="CR900098")
    make.moderation(second, "requires_improvement", grades={"assessment": "requires_improvement"})
    make.moderation(third, "outstanding", status="selected")
    actions.action(owner=first.auditor, audit_id=first.id, due_on=date(2024, 3, 1))
    # Text a spreadsheet would run as a formula.
    actions.action(owner=second.auditor, audit_id=second.id, description="=HYPERLINK(1)", done=True)
    make.theme(first, "Drift and delay")
    make.theme(second, "Drift and delay")
    make.theme(second, "Plans not SMART")
    sample = DipSample(
        title="Repeat child protection plans",
        period_from="2024-01",
        period_to="2024-02",
        sample_unit="families",
        sample_size=6,
        status="completed",
        completed_on=date(2024, 3, 20),
        created_by_id=lead.id,
    )
    sample.service_areas.append(factories.service_area("locality"))
    sample.learning_themes.append(
        _db.session.scalars(select(LearningTheme).filter_by(name="Drift and delay")).one()
    )
    _db.session.add(sample)
    _db.session.flush()
    follow_up = actions.action(owner=lead, source="dip_sample", description="Sample follow-up")
    follow_up.dip_sample_id = sample.id
    _db.session.commit()


def _rows(workbook, name):  # type: ignore[no-untyped-def]
    header, *body = workbook[name].iter_rows(values_only=True)
    return list(header), body


def test_the_workbook_has_every_sheet_and_the_periods_records(client, login_as, period) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.get("/inspection-pack/pack.xlsx", query_string=PERIOD)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert (
        'filename="inspection-pack-2024-02-to-2024-04.xlsx"'
        in response.headers["Content-Disposition"]
    )
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == SHEETS

    header, audits = _rows(workbook, "Audits")
    assert sorted(r[header.index("Case reference")] for r in audits) == IN_PACK
    by_case = {r[header.index("Case reference")]: r for r in audits}
    moderated = by_case["CR900002"]
    assert moderated[header.index("Overall grade as audited")] == "Good"
    assert moderated[header.index("Final overall grade")] == "Requires improvement to be good"
    assert moderated[header.index("Assessment (final)")] == "Requires improvement to be good"
    # A moderation not yet completed changes no grade.
    assert by_case["CR900003"][header.index("Final overall grade")] == "Outstanding"
    assert moderated[header.index("Learning themes")] == "Plans not SMART; Drift and delay"
    assert by_case["CR900001"][header.index("Submitted on")].date() == date(2024, 2, 10)

    header, moderations = _rows(workbook, "Moderation")
    assert sorted((r[1], r[2], r[8]) for r in moderations) == [
        ("CR900002", "Completed", "Downgraded"),
        ("CR900003", "Selected", None),
    ]

    header, action_rows = _rows(workbook, "Actions")
    assert len(action_rows) == 3
    descriptions = {r[header.index("Action")] for r in action_rows}
    # Formula-injection guard: the text is kept, never run.
    assert "'=HYPERLINK(1)" in descriptions
    assert "Sample follow-up" in descriptions
    overdue = {r[header.index("Action")]: r[header.index("Overdue")] for r in action_rows}
    assert overdue["Update the child's plan"] == "Yes"
    sample_row = next(r for r in action_rows if r[header.index("Action")] == "Sample follow-up")
    assert sample_row[header.index("Dip sample")] == "Repeat child protection plans"

    _, themes = _rows(workbook, "Learning themes")
    assert [(r[0], r[1]) for r in themes] == [("Drift and delay", 2), ("Plans not SMART", 1)]
    _, samples = _rows(workbook, "Dip samples")
    assert [(r[0], r[2]) for r in samples] == [("Repeat child protection plans", "6 families")]
    about = dict(workbook["About this pack"].iter_rows(values_only=True))
    assert about["Audits"] == 4
    assert about["Period"] == "February to April 2024"


def test_the_summary_document_holds_the_periods_figures(client, app, login_as, period) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    response = client.get("/inspection-pack/pack.docx", query_string=PERIOD)
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Inspection evidence pack: February to April 2024" in text
    # Final overall grades: 1 Good, 1 Outstanding, 1 RI, 1 Inadequate.
    assert "Final overall grade Good: 1 of 4 (25.0%); Good or better: 2 of 4 (50.0%)." in text
    assert "1 of 4 (25.0%) of the period's audits were moderated" in text
    assert "2 actions were set by these audits" in text
    assert "Repeat child protection plans" in cells
    assert "20 March 2024" in cells
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert app.config["PROTECTIVE_MARKING"] in section.header.paragraphs[0].text
    assert document.core_properties.author == app.config["COUNCIL_NAME"]


def test_one_click_gives_the_workbook_and_the_summary(client, login_as, period) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    page = client.get("/inspection-pack", query_string=PERIOD)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "/inspection-pack/pack.zip?from=2024-02&amp;to=2024-04" in html
    # The page says how many audits; it lists no case reference.
    assert not any(ref in html for ref in IN_PACK)
    response = client.get("/inspection-pack/pack.zip", query_string=PERIOD)
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert sorted(names) == [
        "inspection-pack-2024-02-to-2024-04-summary.docx",
        "inspection-pack-2024-02-to-2024-04.xlsx",
    ]


@pytest.mark.parametrize(
    "role", [Role.VIEWER, Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER, Role.ADMIN]
)
def test_only_the_qa_lead_has_the_pack(client, login_as, period, role) -> None:  # type: ignore[no-untyped-def]
    login_as(role)
    assert client.get("/inspection-pack", query_string=PERIOD).status_code == 403
    for fmt in ("zip", "xlsx", "docx"):
        response = client.get(f"/inspection-pack/pack.{fmt}", query_string=PERIOD)
        assert response.status_code == 403
        assert not any(ref.encode() in response.data for ref in IN_PACK)


def test_each_download_is_access_logged_and_recorded_as_an_export(client, login_as, period) -> None:  # type: ignore[no-untyped-def]
    lead = login_as(Role.QA_LEAD)
    assert client.get("/inspection-pack/pack.xlsx", query_string=PERIOD).status_code == 200
    rows = _db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.entity_type == "inspection_pack")
    ).all()
    assert {r.action for r in rows} >= {"exported"}
    assert all(r.user_id == lead.id for r in rows)
    listed = [r for r in rows if (r.detail or {}).get("case_refs")]
    assert listed
    assert sorted(listed[0].detail["case_refs"]) == IN_PACK
    exported = _db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "inspection_pack.exported")
    ).one()
    assert exported.actor_id == lead.id
    assert exported.after["rows"] == 4
    assert exported.after["filters"]["from"] == "2024-02"


def test_a_wrong_period_is_refused_with_the_reason(client, login_as, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    page = client.get("/inspection-pack", query_string={"from": "2024-04", "to": "2024-02"})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "There is a problem" in html
    assert "The end month must be the same as or after the start month" in html
    download = client.get("/inspection-pack/pack.xlsx", query_string={"from": "2024-13"})
    assert download.status_code == 400
