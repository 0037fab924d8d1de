"""The CSV import of historical audits from valid files: audits, grades and moderation
outcomes, one change-log entry, any encoding quirk a spreadsheet leaves, optional moderation
columns, and closing the loop linked to the earlier audit."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bench.csv_sample import sample_header
from qa_audit.audit_import.services import import_audits
from qa_audit.audits.models import Audit
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.moderation.models import Moderation
from tests import factories
from tests.factories.audit_import import (
    AUDITOR,
    MODERATOR,
    OTHER_AUDITOR,
    count,
    csv_bytes,
    people,
    row,
)
from tests.unit.audits.importing import TODAY, by_reference, grades_of, run


def test_valid_file_imports_audits_grades_and_moderation_outcomes(db: object) -> None:
    users = people()
    before = count(Audit)
    rows = [
        # line 2: not moderated; permanence blank = N/A
        row(audit_ref="H-1", grade__permanence="", overall_grade="good"),
        # line 3: RI upheld; the moderator regrades one domain and agrees with the rest
        row(
            audit_ref="H-2",
            overall_grade="Requires Improvement to be Good",
            grade__assessment="RI",
            moderator_email=MODERATOR,
            moderated_on="2024-05-20",
            moderated_overall_grade="ri",
            moderated_grade__assessment="Inadequate",
        ),
        # line 4: Good downgraded to Inadequate
        row(
            audit_ref="H-3",
            auditor_email=OTHER_AUDITOR.upper(),
            moderator_email=MODERATOR,
            moderated_on="2024-05-10",
            moderated_overall_grade="Inadequate",
        ),
        # line 5: the earlier tool, RI upgraded to Good; area by name in another case, no team
        row(
            audit_ref="H-4",
            service_area="CHILDREN WITH COMPLEX NEEDS",
            team="",
            audit_type="",
            tool="qaif-2022",
            submitted_on="2023-11-30",
            overall_grade="RI",
            grade__recording_quality="Inadequate",
            grade__compliance_with_standards="N/A",
            grade__voice_of_the_child="Outstanding",
            moderator_email=MODERATOR,
            moderated_on="2023-12-04",
            moderated_overall_grade="Good",
        ),
    ]
    result = run(csv_bytes(rows))

    assert (result.rows, result.audits, result.moderations) == (4, 4, 3)
    assert result.outcomes == {"upheld": 1, "downgraded": 1, "upgraded": 1}
    assert result.users_created == []
    assert count(Audit) == before + 4

    first = by_reference("H-1")
    assert first.status == "submitted"
    assert first.source == "import"
    assert first.auditor_id == users[AUDITOR].id
    assert first.service_area.key == "locality"
    assert first.team is not None
    assert first.team.name == "North Locality"
    assert first.tool.key == "practice-principles-2024"
    assert first.audit_type == "deep_dive"
    assert first.overall_grade == "good"
    assert first.overall_rationale == "Imported from audits.csv"
    assert first.audit_date == first.submitted_on == date(2024, 5, 10)
    assert first.submitted_month == "2024-05"
    assert first.submitted_at == datetime(2024, 5, 10, 12, tzinfo=UTC)
    assert first.version == 1
    assert grades_of(first) == {
        "assessment": "good",
        "plans_and_planning": "good",
        "child_centred_practice": "good",
        "management_oversight": "good",
        "permanence": "not_applicable",
    }
    assert next(g.domain_key for g in first.grades) == "assessment"
    assert db.session.scalar(select(Moderation).where(Moderation.audit_id == first.id)) is None

    second = by_reference("H-2")
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == second.id))
    assert moderation is not None
    assert (moderation.status, moderation.source, moderation.priority) == (
        "completed",
        "import",
        "normal",
    )
    assert moderation.selection_reason == "Imported with the audit"
    assert moderation.moderator_id == users[MODERATOR].id
    assert moderation.moderated_on == date(2024, 5, 20)
    assert moderation.completed_at == datetime(2024, 5, 20, 12, tzinfo=UTC)
    assert moderation.overall_grade == "requires_improvement"
    assert moderation.outcome == "upheld"
    assert {g.domain_key: g.grade for g in moderation.grades} == {
        "assessment": "inadequate",  # regraded
        "plans_and_planning": "good",  # blank: agreed with the auditor
        "child_centred_practice": "good",
        "management_oversight": "good",
        "permanence": "good",
    }
    # The auditor's own grades are untouched.
    assert grades_of(second)["assessment"] == "requires_improvement"

    third = by_reference("H-3")
    assert third.auditor_id == users[OTHER_AUDITOR].id
    downgraded = db.session.scalar(select(Moderation).where(Moderation.audit_id == third.id))
    assert downgraded is not None
    assert downgraded.outcome == "downgraded"

    fourth = by_reference("H-4")
    assert fourth.service_area.key == "cwcn"
    assert fourth.team_id is None
    assert fourth.tool.key == "qaif-2022"
    assert fourth.submitted_month == "2023-11"
    assert grades_of(fourth) == {
        "assessment": "good",
        "plans_and_planning": "good",
        "child_centred_practice": "good",
        "management_oversight": "good",
        "permanence": "good",
        "recording_quality": "inadequate",
        "compliance_with_standards": "not_applicable",
        "voice_of_the_child": "outstanding",
    }
    upgraded = db.session.scalar(select(Moderation).where(Moderation.audit_id == fourth.id))
    assert upgraded is not None
    assert upgraded.outcome == "upgraded"
    assert len(upgraded.grades) == 8


def test_one_change_log_entry_for_the_whole_import(db: object) -> None:
    people()
    qa_lead = factories.user(Role.QA_LEAD, password=None)
    rows = [
        row(),
        row(moderator_email=MODERATOR, moderated_on="2024-05-11", moderated_overall_grade="Good"),
        row(),
    ]
    before = count(ChangeLogEntry)
    import_audits(qa_lead, csv_bytes(rows), "/tmp/history 2023.csv", today=TODAY)
    # The newest entry: rows come back in no set order without ORDER BY (PostgreSQL).
    entries = list(db.session.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.id)))
    assert count(ChangeLogEntry) == before + 1
    entry = entries[-1]
    assert entry.action == "audits.imported"
    assert entry.actor_id == qa_lead.id
    assert entry.after == {
        "file": "history 2023.csv",
        "rows": 3,
        "audits": 3,
        "moderations": 1,
        "users_created": 0,
    }


def test_utf8_with_bom_windows_line_ends_and_any_case(db: object) -> None:
    people()
    rows = [
        row(
            audit_ref="BOM-1",
            service_area="Fostering",
            team="kinship  ASSESSMENTS",
            tool="Practice-Principles-2024",
            audit_type="Closing the loop",
        )
    ]
    data = csv_bytes(rows, bom=True).replace(b"\n", b"\r\n")
    result = run(data)
    assert result.audits == 1
    audit = by_reference("BOM-1")
    assert audit.team is not None
    assert audit.team.name == "Kinship Assessments"
    assert audit.audit_type == "closing_the_loop"


def test_moderation_columns_are_optional(db: object) -> None:
    people()
    header = [c for c in sample_header() if not c.startswith("moderat")]
    assert run(csv_bytes([row(), row()], header)).moderations == 0


def test_closing_the_loop_is_linked_to_the_earlier_audit_of_the_case(db: object) -> None:
    people()
    earlier = factories.audit(case_ref="CR77001", submitted_on=date(2023, 2, 1))
    rows = [
        row(audit_ref="L-1", case_ref="CR55001", submitted_on="2023-03-01"),
        row(audit_ref="L-2", case_ref="CR55001", submitted_on="2024-01-10"),
        row(
            audit_ref="L-3",
            case_ref="CR55001",
            submitted_on="2024-05-10",
            audit_type="closing_the_loop",
        ),
        row(audit_ref="L-4", case_ref="CR77001", audit_type="closing_the_loop"),
        row(audit_ref="L-5", case_ref="CR99001", audit_type="closing_the_loop"),
    ]
    result = run(csv_bytes(rows))
    assert result.closing_the_loop_linked == 2
    assert by_reference("L-3").previous_audit_id == by_reference("L-2").id
    assert by_reference("L-4").previous_audit_id == earlier.id
    assert by_reference("L-5").previous_audit_id is None
    assert by_reference("L-2").previous_audit_id is None
