"""The CSV import of historical audits: checks every row first, then all or nothing."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.csv_sample import sample_header, write_sample_csv
from qa_audit.audit_import.services import CHECKING, IMPORTING, AuditImportError, import_audits
from qa_audit.audit_tools.grades import ACCEPTED_SPELLINGS
from qa_audit.audits.models import Audit, AuditDomainGrade
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db
from qa_audit.moderation.models import Moderation, ModerationGrade
from tests import factories
from tests.factories.audit_import import (
    AUDITOR,
    MODERATOR,
    OTHER_AUDITOR,
    count,
    csv_bytes,
    people,
    row,
    without,
)

TODAY = date(2025, 10, 31)  # after the last day write_sample_csv uses


def run(data: bytes, **kwargs: object):  # type: ignore[no-untyped-def]
    kwargs.setdefault("today", TODAY)
    return import_audits(None, data, "audits.csv", **kwargs)  # type: ignore[arg-type]


def tables() -> tuple[int, int, int, int, int]:
    return (
        count(Audit),
        count(AuditDomainGrade),
        count(Moderation),
        count(ModerationGrade),
        count(ChangeLogEntry),
    )


def refused(data: bytes, **kwargs: object) -> AuditImportError:
    """Import ``data`` expecting it to be refused; check that nothing at all was written."""
    before = tables()
    with pytest.raises(AuditImportError) as caught:
        run(data, **kwargs)
    assert tables() == before
    return caught.value


def grades_of(audit: Audit) -> dict[str, str | None]:
    return {g.domain_key: g.grade for g in audit.grades}


def by_reference(reference: str) -> Audit:
    audit = db.session.scalar(select(Audit).where(Audit.reference == reference))
    assert audit is not None
    return audit


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


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(db: object) -> None:
    people()
    data = csv_bytes([row(), row(service_area="Fostring")])
    lines = data.split(b"\n")
    data = b"\n".join([lines[0], lines[1], b"", b",,,,", lines[2], b""])
    error = refused(data)
    assert [str(p) for p in error.problems] == [
        "line 5: unknown service area 'Fostring'; use a key or name, such as assessment, "
        "care_experienced, corporate_parenting, cwcn, early_help, fgc, fostering, front_door, "
        "locality, youth_justice"
    ]


BAD_ROWS = [
    ("unknown service area", {"service_area": "Fostring"}, "unknown service area 'Fostring'"),
    (
        "team of another area",
        {"service_area": "fostering", "team": "MASH"},
        "team 'MASH' is not a team of Fostering; its teams are: Kinship Assessments, "
        "Supervising Social Workers ('MASH' is a team of Integrated Front Door)",
    ),
    (
        "unknown team",
        {"team": "West Locality"},
        "team 'West Locality' is not a team of Locality (Children in Need / Child Protection); "
        "its teams are: East Locality, North Locality, South Locality",
    ),
    (
        "unknown tool",
        {"tool": "qaif-2099"},
        "unknown tool 'qaif-2099'; the audit tool versions are: qaif-2022, "
        "practice-principles-2024",
    ),
    (
        "bad domain grade",
        {"grade__assessment": "Goodish"},
        f"grade:assessment: 'Goodish' is not a grade; use one of: {ACCEPTED_SPELLINGS}",
    ),
    (
        "bad overall grade",
        {"overall_grade": "Very good"},
        f"overall_grade: 'Very good' is not a grade; use one of: {ACCEPTED_SPELLINGS}",
    ),
    (
        "blank overall grade",
        {"overall_grade": ""},
        "overall_grade is blank: every audit needs its overall grade",
    ),
    (
        "overall N/A",
        {"overall_grade": "N/A"},
        "overall_grade cannot be N/A: give the audit's overall judgement",
    ),
    (
        "grade for a domain the tool lacks",
        {"grade__voice_of_the_child": "Good"},
        "grade:voice_of_the_child must be blank: tool practice-principles-2024 has no domain "
        "'voice_of_the_child'",
    ),
    (
        "date with a two-digit year",
        {"submitted_on": "31/03/24"},
        "submitted_on '31/03/24' is not a date: write it as 15/03/2024 or 2024-03-15",
    ),
    (
        "impossible date",
        {"submitted_on": "2024-02-30"},
        "submitted_on '2024-02-30' is not a real date",
    ),
    ("blank date", {"submitted_on": ""}, "submitted_on is blank"),
    ("future date", {"submitted_on": "2025-11-01"}, "submitted_on 2025-11-01 is in the future"),
    (
        "bad audit type",
        {"audit_type": "spot check"},
        "audit_type 'spot check' is not an audit type; use deep_dive (or leave it blank) or "
        "closing_the_loop",
    ),
    (
        "name as case reference",
        {"case_ref": "Jane Smith"},
        "case_ref is not a case reference; use the case-management ID: 3 to 30 letters, digits, "
        "'-', '_' or '/', with at least one digit and no spaces (never the child's name)",
    ),
    (
        "case reference without a digit",
        {"case_ref": "JaneSmith"},
        "case_ref is not a case reference;",
    ),
    ("case reference too short", {"case_ref": "C1"}, "case_ref is not a case reference;"),
    ("blank case reference", {"case_ref": ""}, "case_ref is blank"),
    ("blank audit_ref", {"audit_ref": ""}, "audit_ref is blank"),
    ("long audit_ref", {"audit_ref": "R" * 41}, "audit_ref is longer than 40 characters"),
    (
        "unknown auditor",
        {"auditor_email": "nobody@example.org"},
        "unknown auditor_email 'nobody@example.org': no account has this e-mail address (add "
        "the account first, or let the import create missing accounts: --create-users)",
    ),
    (
        "unknown moderator",
        {
            "moderator_email": "nobody@example.org",
            "moderated_on": "2024-05-12",
            "moderated_overall_grade": "Good",
        },
        "unknown moderator_email 'nobody@example.org'",
    ),
    (
        "moderator is the auditor",
        {
            "moderator_email": AUDITOR,
            "moderated_on": "2024-05-12",
            "moderated_overall_grade": "Good",
        },
        "the moderator is the auditor: no one moderates their own audit",
    ),
    (
        "moderated before submitted",
        {
            "moderator_email": MODERATOR,
            "moderated_on": "2024-05-09",
            "moderated_overall_grade": "Good",
        },
        "moderated_on 2024-05-09 is before submitted_on 2024-05-10",
    ),
    (
        "moderator without moderated grade or date",
        {"moderator_email": MODERATOR},
        "the moderation is incomplete: moderated_on and moderated_overall_grade are blank; give "
        "moderator_email, moderated_on and moderated_overall_grade together, or leave every "
        "moderation column blank",
    ),
    (
        "moderated grade without moderator",
        {"moderated_on": "2024-05-12", "moderated_overall_grade": "Good"},
        "the moderation is incomplete: moderator_email is blank",
    ),
    (
        "moderated domain grade alone",
        {"moderated_grade__assessment": "Good"},
        "the moderation is incomplete: moderator_email, moderated_on and moderated_overall_grade "
        "are blank",
    ),
    (
        "bad moderated grade",
        {
            "moderator_email": MODERATOR,
            "moderated_on": "2024-05-12",
            "moderated_overall_grade": "Good",
            "moderated_grade__plans_and_planning": "Excellent",
        },
        "moderated_grade:plans_and_planning: 'Excellent' is not a grade",
    ),
    (
        "moderated future date",
        {
            "moderator_email": MODERATOR,
            "moderated_on": "2025-11-01",
            "moderated_overall_grade": "Good",
        },
        "moderated_on 2025-11-01 is in the future",
    ),
    (
        "moderated grade for a domain the tool lacks",
        {
            "moderator_email": MODERATOR,
            "moderated_on": "2024-05-12",
            "moderated_overall_grade": "Good",
            "moderated_grade__recording_quality": "Good",
        },
        "moderated_grade:recording_quality must be blank: tool practice-principles-2024 has no "
        "domain 'recording_quality'",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [pytest.param(o, e, id=name) for name, o, e in BAD_ROWS],
)
def test_each_kind_of_bad_row_is_named_and_nothing_is_imported(
    db: object, overrides: dict[str, str], expected: str
) -> None:
    people()
    error = refused(csv_bytes([row(), row(**overrides), row()]))
    assert error.lines == [3]
    messages = [p.message for p in error.problems]
    assert len(messages) == 1, messages
    assert messages[0].startswith(expected), messages[0]
    assert str(error.problems[0]) == f"line 3: {messages[0]}"
    assert error.message.endswith("Nothing was imported.")


def test_a_name_given_as_case_reference_is_not_repeated_in_the_message(db: object) -> None:
    people()
    error = refused(csv_bytes([row(case_ref="Jayden O'Connor")]))
    assert "Jayden" not in str(error.problems[0])


def test_duplicate_audit_ref_in_the_file(db: object) -> None:
    people()
    error = refused(csv_bytes([row(audit_ref="DUP-1"), row(), row(audit_ref="DUP-1")]))
    assert [str(p) for p in error.problems] == ["line 4: audit_ref 'DUP-1' is also on line 2"]


def test_audit_ref_already_in_the_database(db: object) -> None:
    people()
    factories.audit(reference="OLD-7")
    error = refused(csv_bytes([row(), row(audit_ref="OLD-7")]))
    assert [str(p) for p in error.problems] == [
        "line 3: audit_ref 'OLD-7' is already in qa-audit (imported or recorded before)"
    ]


def test_the_same_file_cannot_be_imported_twice(db: object) -> None:
    people()
    data = csv_bytes([row(audit_ref="TWICE-1"), row(audit_ref="TWICE-2")])
    assert run(data).audits == 2
    error = refused(data)
    assert error.lines == [2, 3]


def test_a_row_with_too_many_or_too_few_values(db: object) -> None:
    people()
    header = sample_header()
    good = csv_bytes([row()], header).split(b"\n")[1]
    data = csv_bytes([row()], header) + good + b",extra\n" + b"a,b,c\n"
    error = refused(data)
    assert [str(p) for p in error.problems] == [
        f"line 3: {len(header) + 1} values but the header has {len(header)} columns (a value "
        "with a comma in it must be in double quotes)",
        f"line 4: 3 values but the header has {len(header)} columns (a value with a comma in it "
        "must be in double quotes)",
    ]


def test_multiple_bad_rows_are_all_named(db: object) -> None:
    people()
    rows = [
        row(),  # 2
        row(service_area="Fostring"),  # 3
        row(),  # 4
        row(overall_grade="", submitted_on="2024-13-01"),  # 5: two problems
        row(tool="qaif-2019"),  # 6
        row(),  # 7
    ]
    error = refused(csv_bytes(rows))
    assert error.lines == [3, 5, 6]
    assert [p.line for p in error.problems] == [3, 5, 5, 6]
    assert error.message == "The file has 4 problems on 3 lines. Nothing was imported."
    assert "submitted_on '2024-13-01'" in error.problems[1].message
    assert "overall_grade is blank" in error.problems[2].message


def test_header_problems_are_reported_on_line_1(db: object) -> None:
    people()
    header = [*without(sample_header(), "tool", "team"), "auditor", "grade:wellbeing"]
    error = refused(csv_bytes([row()], header))
    assert error.lines == [1]
    messages = [p.message for p in error.problems]
    assert messages[0].startswith("unknown column 'auditor'; the columns are audit_ref, case_ref")
    assert messages[1].startswith(
        "unknown column 'grade:wellbeing': no audit tool has a domain 'wellbeing'"
    )
    assert messages[2] == "missing columns: team, tool"


def test_moderation_columns_come_together(db: object) -> None:
    people()
    header = without(sample_header(), "moderated_on")
    error = refused(csv_bytes([row()], header))
    assert [str(p) for p in error.problems] == [
        "line 1: missing column: moderated_on (the moderation columns moderator_email, "
        "moderated_on and moderated_overall_grade come together)"
    ]


def test_moderation_columns_are_optional(db: object) -> None:
    people()
    header = [c for c in sample_header() if not c.startswith("moderat")]
    assert run(csv_bytes([row(), row()], header)).moderations == 0


def test_a_grade_column_the_used_tool_needs_is_missing(db: object) -> None:
    people()
    header = without(sample_header(), "grade:voice_of_the_child", "grade:recording_quality")
    rows = [row(), row(tool="qaif-2022", submitted_on="2023-01-05"), row(tool="qaif-2022")]
    error = refused(csv_bytes(rows, header))
    assert [str(p) for p in error.problems] == [
        "line 1: no columns grade:recording_quality, grade:voice_of_the_child, which tool "
        "qaif-2022 needs (it is used on 2 rows, first on line 3)"
    ]


def test_duplicate_column(db: object) -> None:
    people()
    header = [*sample_header(), "case_ref"]
    error = refused(csv_bytes([row()], header))
    assert error.problems[0].message.startswith("column 'case_ref' appears twice (columns 2 and")


def test_semicolon_separated_file(db: object) -> None:
    people()
    error = refused(b"audit_ref;case_ref;service_area\nA;CR1234;locality\n")
    assert "the values are separated by ';': save the file as CSV with commas" in [
        p.message for p in error.problems
    ]


def test_not_utf8(db: object) -> None:
    people()
    data = csv_bytes([row(), row(team="Caf\u00e9 Team")], encoding="latin-1")
    error = refused(data)
    assert [str(p) for p in error.problems] == [
        "line 3: the file is not UTF-8 text; in Excel use Save As and choose "
        "'CSV UTF-8 (Comma delimited)'"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the first line must be the header row (the file is empty)"),
        (b"\n\n", "the first line must be the header row (the file is empty)"),
        (",".join(sample_header()).encode() + b"\n", "the file has a header row but no audits"),
    ],
)
def test_empty_files(db: object, data: bytes, message: str) -> None:
    error = refused(data)
    assert [str(p) for p in error.problems] == [f"line 1: {message}"]


def test_unknown_emails_without_create_users_are_refused(db: object) -> None:
    people()
    rows = [row(auditor_email="new.auditor@example.org")]
    error = refused(csv_bytes(rows))
    assert error.problems[0].message.startswith("unknown auditor_email 'new.auditor@example.org'")


def test_create_users_makes_inactive_accounts_without_passwords(db: object) -> None:
    people()
    rows = [
        row(auditor_email="jo.new-auditor@example.org"),
        row(
            auditor_email="Jo.New-Auditor@example.org",
            moderator_email="pat.moderator@example.org",
            moderated_on="2024-05-11",
            moderated_overall_grade="Good",
        ),
        # The same new person audits here and moderates above: both roles.
        row(
            auditor_email="pat.moderator@example.org",
            moderator_email=MODERATOR,
            moderated_on="2024-05-11",
            moderated_overall_grade="RI",
        ),
    ]
    users_before = count(User)
    result = run(csv_bytes(rows), create_users=True)
    assert result.users_created == ["jo.new-auditor@example.org", "pat.moderator@example.org"]
    assert count(User) == users_before + 2
    jo = db.session.scalar(select(User).where(User.email == "jo.new-auditor@example.org"))
    pat = db.session.scalar(select(User).where(User.email == "pat.moderator@example.org"))
    assert jo is not None
    assert pat is not None
    assert (jo.active, jo.password_hash, jo.roles, jo.name) == (
        False,
        None,
        {Role.AUDITOR},
        "Jo New Auditor",
    )
    assert (pat.active, pat.password_hash, pat.roles) == (
        False,
        None,
        {Role.AUDITOR, Role.MODERATOR},
    )
    audits = [by_reference(r["audit_ref"]) for r in rows]
    assert [a.auditor_id for a in audits] == [jo.id, jo.id, pat.id]
    entry = db.session.scalars(
        select(ChangeLogEntry)
        .where(ChangeLogEntry.action == "audits.imported")
        .order_by(ChangeLogEntry.id.desc())
    ).first()
    assert entry is not None
    assert entry.after is not None
    assert entry.after["users_created"] == 2


def test_create_users_still_refuses_what_is_not_an_email(db: object) -> None:
    people()
    error = refused(csv_bytes([row(auditor_email="Alex Auditor")]), create_users=True)
    assert [str(p) for p in error.problems] == [
        "line 2: auditor_email 'Alex Auditor' is not an e-mail address"
    ]


def test_bad_row_with_create_users_creates_no_accounts(db: object) -> None:
    people()
    users_before = count(User)
    refused(
        csv_bytes([row(auditor_email="brand.new@example.org"), row(tool="nope")]),
        create_users=True,
    )
    assert count(User) == users_before


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


def _rewrite(path: Path, changes: dict[int, dict[str, str]]) -> None:
    """Change some cells of the rows on the given physical lines."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    header = lines[0]
    for line, cells in changes.items():
        for column, value in cells.items():
            lines[line - 1][header.index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)


def test_ten_thousand_rows_import_completely(db: object, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    sample = write_sample_csv(path, 10_000, seed=7, bom=True)
    assert sample.rows == 10_000
    assert 2_500 < sample.moderated < 3_500
    before = tables()
    calls: list[tuple[str, int, int]] = []
    result = import_audits(
        None,
        path.read_bytes(),
        path.name,
        create_users=True,
        today=TODAY,
        progress=lambda stage, done, total: calls.append((stage, done, total)),
    )
    assert (result.rows, result.audits, result.moderations) == (10_000, 10_000, sample.moderated)
    assert result.outcomes == dict(sample.outcomes)
    assert len(result.users_created) == len(sample.auditors) + len(sample.moderators)
    after = tables()
    assert after[0] - before[0] == 10_000
    assert after[1] - before[1] == sample.domain_grades
    assert after[2] - before[2] == sample.moderated
    assert after[3] - before[3] == sample.moderation_grades
    imported_na = db.session.scalar(
        select(func.count())
        .select_from(AuditDomainGrade)
        .join(Audit)
        .where(Audit.reference.like("S7-%"), AuditDomainGrade.grade == "not_applicable")
    )
    assert imported_na == sample.not_applicable
    assert (CHECKING, 10_000, 10_000) in calls
    assert (IMPORTING, 10_000, 10_000) in calls
    assert calls.index((CHECKING, 10_000, 10_000)) < calls.index((IMPORTING, 0, 10_000))


def test_ten_thousand_rows_with_three_bad_rows_import_nothing(db: object, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    write_sample_csv(path, 10_000, seed=8)
    _rewrite(
        path,
        {
            17: {"service_area": "Fostring"},
            4_711: {"overall_grade": "Goodish"},
            9_876: {"submitted_on": "2031-01-01"},
        },
    )
    error = refused(path.read_bytes(), create_users=True)
    assert error.lines == [17, 4_711, 9_876]
    assert len(error.problems) == 3
    assert error.problems[0].message.startswith("unknown service area 'Fostring'")
    assert error.problems[1].message.startswith("overall_grade: 'Goodish' is not a grade")
    assert error.problems[2].message == "submitted_on 2031-01-01 is in the future"


def test_a_clash_while_inserting_imports_nothing(db: object) -> None:
    """Someone records an audit with one of the file's references after the checks ran."""
    people()
    db.session.commit()
    before = count(Audit)

    def meanwhile(stage: str, done: int, total: int) -> None:
        if stage == IMPORTING and done == 0:
            factories.audit(reference="RACE-2")

    with pytest.raises(AuditImportError) as caught:
        run(csv_bytes([row(audit_ref="RACE-1"), row(audit_ref="RACE-2")]), progress=meanwhile)
    db.session.rollback()
    problem = caught.value.problems[0]
    assert problem.line == 0
    assert str(problem).startswith("the database refused the import, perhaps because someone")
    assert count(Audit) == before
    assert db.session.scalar(select(Audit).where(Audit.reference == "RACE-1")) is None
