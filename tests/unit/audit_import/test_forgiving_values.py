"""The import takes dates and grades as spreadsheets and people write them (issue 16, defect 7):
UK dates (15/03/2024, 15/3/2024) beside ISO ones, and every grade spelling the README lists
("Requires Improvement (to be Good)", "RI", any case)."""

from __future__ import annotations

from datetime import date

import pytest

from qa_audit.audit_import.services import import_audits
from qa_audit.audit_import.values import check_date, check_grade
from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import Audit
from qa_audit.core.extensions import db as database
from tests.factories.audit_import import MODERATOR, csv_bytes, people, row

TODAY = date(2025, 1, 1)
HOW = "write it as 15/03/2024 or 2024-03-15"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-15", date(2024, 3, 15)),
        ("15/03/2024", date(2024, 3, 15)),
        ("15/3/2024", date(2024, 3, 15)),
        ("5/3/2024", date(2024, 3, 5)),
        ("05.03.2024", date(2024, 3, 5)),
        ("15-03-2024", date(2024, 3, 15)),
    ],
)
def test_uk_and_iso_dates_are_read(text: str, expected: date) -> None:
    problems: list[str] = []
    assert check_date("submitted_on", text, TODAY, problems) == expected
    assert problems == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2024", "submitted_on '31/02/2024' is not a real date"),
        ("2024-02-30", "submitted_on '2024-02-30' is not a real date"),
        ("03/15/24", f"submitted_on '03/15/24' is not a date: {HOW}"),
        ("March 2024", f"submitted_on 'March 2024' is not a date: {HOW}"),
        ("15/03/2099", "submitted_on 15/03/2099 is in the future"),
    ],
)
def test_what_is_not_a_date_is_refused_saying_how_to_write_one(text: str, message: str) -> None:
    problems: list[str] = []
    assert check_date("submitted_on", text, TODAY, problems) is None
    assert problems == [message]


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Requires Improvement (to be Good)", Grade.REQUIRES_IMPROVEMENT),
        ("requires improvement (to be good)", Grade.REQUIRES_IMPROVEMENT),
        ("Requires improvement to be good", Grade.REQUIRES_IMPROVEMENT),
        ("REQUIRES IMPROVEMENT", Grade.REQUIRES_IMPROVEMENT),
        ("Requires Improvement to be Good", Grade.REQUIRES_IMPROVEMENT),
        ("RI", Grade.REQUIRES_IMPROVEMENT),
        ("ri", Grade.REQUIRES_IMPROVEMENT),
        ("outstanding", Grade.OUTSTANDING),
        ("GOOD", Grade.GOOD),
        ("Inadequate", Grade.INADEQUATE),
        ("N/A", Grade.NOT_APPLICABLE),
        ("n/a", Grade.NOT_APPLICABLE),
    ],
)
def test_every_listed_grade_spelling_is_read(text: str, grade: Grade) -> None:
    problems: list[str] = []
    assert check_grade("overall_grade", text, problems) is grade
    assert problems == []


@pytest.mark.usefixtures("db")
def test_a_file_written_the_uk_way_is_imported() -> None:
    people()
    data = csv_bytes(
        [
            row(
                audit_ref="UK-1",
                submitted_on="15/03/2024",
                overall_grade="Requires Improvement (to be Good)",
                grade__assessment="requires improvement (to be good)",
                moderator_email=MODERATOR,
                moderated_on="2/4/2024",
                moderated_overall_grade="RI",
            )
        ]
    )
    result = import_audits(None, data, "uk.csv", today=TODAY)
    assert result.audits == 1
    audit = database.session.query(Audit).filter_by(reference="UK-1").one()
    assert audit.submitted_on == date(2024, 3, 15)
    assert audit.overall_grade == Grade.REQUIRES_IMPROVEMENT.value
