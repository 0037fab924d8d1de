"""The CSV import checks every row first: each kind of bad row is named by its physical line
and nothing is imported."""

from __future__ import annotations

import pytest

from bench.csv_sample import sample_header
from qa_audit.audit_tools.grades import ACCEPTED_SPELLINGS
from tests import factories
from tests.factories.audit_import import (
    AUDITOR,
    MODERATOR,
    csv_bytes,
    people,
    row,
)
from tests.unit.audits.importing import refused, run


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
