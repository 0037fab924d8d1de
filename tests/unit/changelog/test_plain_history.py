"""Change history in plain English (issue 16, defect 11): field labels instead of column
names, people's and places' names instead of ids, values as words, council time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask, render_template_string

from qa_audit.actions import services as actions
from qa_audit.auth.roles import Role
from qa_audit.changelog.presentation import local_time_text
from qa_audit.changelog.services import history, record_change
from qa_audit.core.extensions import db as database
from tests import factories
from tests.factories.rota import allocation

HISTORY = '{% include "_macros/history.html" %}'


def _page(app: Flask, entries: list, show_record: bool = False) -> str:  # type: ignore[type-arg]
    with app.test_request_context():
        return render_template_string(HISTORY, history=entries, show_record=show_record)


def test_a_reassignment_reads_as_people_and_labels(app: Flask, db: object) -> None:
    sam = factories.user(Role.AUDITOR, name="Sam Smith")
    alex = factories.user(Role.AUDITOR, name="Alex Jones")
    lead = factories.user(Role.QA_LEAD, name="Quinn Lead")
    allotted = allocation(auditor=sam)
    entry = record_change(
        lead,
        "allocation.reassigned",
        allotted,
        {"auditor_id": sam.id, "case_ref": None, "status": "allotted", "due_on": "2026-12-31"},
        {
            "auditor_id": alex.id,
            "case_ref": "CR123",
            "status": "in_progress",
            "due_on": "2027-01-15",
        },
    )
    assert entry is not None
    entry.at = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
    page = _page(app, history(allotted))
    assert "Auditor" in page
    assert "Sam Smith" in page
    assert "Alex Jones" in page
    assert "(blank)" in page
    assert "Allotted" in page
    assert "In progress" in page
    assert "31 December 2026" in page
    assert "Reassigned" in page
    assert "3 December 2026 at 2:05pm" in page
    assert "Quinn Lead" in page
    for raw in ("auditor_id", "None", "allocation.reassigned", "in_progress", "2026-12-03 14:05"):
        assert raw not in page, raw


def test_the_change_log_page_names_the_record(app: Flask, db: object) -> None:
    sam = factories.user(Role.AUDITOR, name="Sam Smith")
    allotted = allocation(auditor=sam)
    record_change(
        None, "allocation.exempted", allotted, {"status": "allotted"}, {"status": "exempt"}
    )
    page = _page(app, history(allotted), show_record=True)
    assert f"Rota allocation {allotted.id}" in page
    assert "System" in page
    db_session = db  # the fixture's session: nothing is committed
    del db_session


def test_council_time_in_summer_and_winter() -> None:
    assert local_time_text(datetime(2026, 7, 1, 11, 0, tzinfo=UTC)) == "1 July 2026 at 12pm"
    assert local_time_text(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == "2 July 2026 at 12:30am"
    assert local_time_text(datetime(2026, 1, 9, 9, 7, tzinfo=UTC)) == "9 January 2026 at 9:07am"


def test_unknown_fields_and_values_still_read_as_words(app: Flask, db: object) -> None:
    user = factories.user(Role.VIEWER, name="Val Viewer")
    entry = record_change(
        None,
        "user.updated",
        user,
        {"active": True, "name": "Val"},
        {"active": False, "name": "Val Viewer"},
    )
    assert entry is not None
    database.session.flush()
    page = _page(app, [entry])
    assert "Can sign in" in page
    assert "Yes" in page
    assert "No" in page
    assert "Updated" in page
    del db


def test_an_audits_draft_reads_with_its_domains_and_grades(app: Flask, db: object) -> None:
    audit = factories.audit(overall="good")
    entry = record_change(
        None,
        "audit.draft_saved",
        audit,
        {"assessment.grade": "good", "assessment.working_well": "", "overall_grade": None},
        {
            "assessment.grade": "requires_improvement",
            "assessment.working_well": "Clear plan",
            "overall_grade": "inadequate",
        },
    )
    assert entry is not None
    database.session.flush()
    page = _page(app, [entry], show_record=True)
    assert "Assessment: grade" in page
    assert "Assessment: what is working well" in page
    assert "Requires improvement to be good" in page
    assert "Overall grade" in page
    assert "Draft saved" in page
    assert f"Audit {audit.id}" in page
    assert "requires_improvement" not in page


def test_an_actions_practitioner_reads_as_their_part_in_the_case(app: Flask, db: object) -> None:
    """The role was shown as its stored code's words ("Social worker") under the column name."""
    owner = factories.user(Role.AUDITOR, name="Rita Responsible")
    action = actions.add_action(
        None,
        source="audit",
        description="Update the child's plan",
        owner_id=owner.id,
        due_on=date(2024, 7, 1),
        audit_id=factories.audit(auditor=owner).id,
        practitioner_role="social_worker",
        practitioner_name="Sam Lee",
        today=date(2024, 6, 10),
    )
    page = _page(app, history(action))
    assert "Done by" in page
    assert "The child&#39;s social worker" in page
    assert "Practitioner&#39;s name" in page
    for raw in ("practitioner_role", "Practitioner role", "social_worker"):
        assert raw not in page, raw
