"""The CSV import at size, all or nothing: ten thousand rows import completely, three bad rows
among them import nothing, and a clash while inserting imports nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.csv_sample import write_sample_csv
from qa_audit.audit_import.services import CHECKING, IMPORTING, AuditImportError, import_audits
from qa_audit.audits.models import Audit, AuditDomainGrade
from tests import factories
from tests.factories.audit_import import (
    count,
    csv_bytes,
    people,
    row,
)
from tests.unit.audits.importing import TODAY, refused, run, tables


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
