"""The CSV import of audits with any rows: everything imported, or AuditImportError and not
one row written (checked before the caller rolls back); never any other error."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from bench.csv_sample import sample_header
from qa_audit.audit_import.services import AuditImportError, import_audits
from qa_audit.audits.models import Audit, AuditDomainGrade
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.moderation.models import Moderation, ModerationGrade
from tests import factories
from tests.factories import audit_import as factories_import
from tests.factories.audit_import import AUDITOR, MODERATOR, OTHER_AUDITOR
from tests.property.conftest import tally

WRITTEN = (Audit, AuditDomainGrade, Moderation, ModerationGrade, User, ChangeLogEntry)
TODAY = date(2024, 6, 1)

junk = st.one_of(st.text(max_size=15), st.sampled_from(["", " ", "\x00", "=1+1", "N/A", "-"]))
# For each column, good values and near misses; any column may also get junk.
VALUES = {
    "audit_ref": st.one_of(st.from_regex(r"\AH-[0-9]{1,4}\Z"), st.just("DUP-1")),
    "case_ref": st.sampled_from(["CR10001", "LA/2024/001", "Jane Smith", "CR 1", "AB"]),
    "service_area": st.sampled_from(
        ["locality", "Locality", "FOSTERING", "Integrated Front Door", "mars"]
    ),
    "team": st.sampled_from(["", "North Locality", "Nowhere Team"]),
    "auditor_email": st.sampled_from(
        [AUDITOR, OTHER_AUDITOR, MODERATOR, "new.person@example.org", "not-an-email"]
    ),
    "audit_type": st.sampled_from(
        ["", "deep_dive", "Closing the loop", "closing_the_loop", "thematic"]
    ),
    "tool": st.sampled_from(["practice-principles-2024", "qaif-2022", "no-such-tool"]),
    "submitted_on": st.sampled_from(
        ["2024-05-10", "2023-11-30", "10/05/2024", "2024-02-30", "2099-01-01", "1999-12-31"]
    ),
    "overall_grade": st.sampled_from(
        ["Good", "outstanding", "RI", "Requires Improvement", "Inadequate", "N/A", "", "Brilliant"]
    ),
    "grade:": st.sampled_from(["Good", "Inadequate", "N/A", "", "ri", "5"]),
    "moderator_email": st.sampled_from(["", MODERATOR, AUDITOR, "ghost@example.org"]),
    "moderated_on": st.sampled_from(["", "2024-05-20", "2024-04-01", "soon"]),
    "moderated_overall_grade": st.sampled_from(["", "Good", "Inadequate", "Meh"]),
    "moderated_grade:": st.sampled_from(["", "Good", "Inadequate", "N/A"]),
}


def value_for(column: str) -> st.SearchStrategy[str]:
    key = column.split(":", 1)[0] + ":" if ":" in column else column
    return st.one_of(*[VALUES.get(key, junk)] * 5, junk)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = sample_header()
    if draw(st.integers(0, 9)) == 0:  # now and then a damaged header
        header = draw(st.permutations(header))[: draw(st.integers(0, len(header)))]
        header = header + draw(
            st.lists(st.sampled_from(["extra", "grade:nonsense", "case_ref"]), max_size=2)
        )
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = factories_import.row()
        changed = st.lists(st.sampled_from(header or ["audit_ref"]), max_size=3, unique=True)
        for column in draw(st.one_of(st.just([]), st.just([]), st.just([]), changed)):
            row[column] = draw(value_for(column))
        rows.append(row)
    return factories_import.csv_bytes(rows, header, bom=draw(st.booleans()))


@pytest.fixture
def people(db) -> Iterator[dict[str, User]]:  # type: ignore[no-untyped-def]
    found = factories_import.people()
    db.session.commit()
    return found


def counts() -> dict[str, int]:
    return {model.__name__: factories_import.count(model) for model in WRITTEN}


@settings(max_examples=100)
@given(
    data=st.one_of(csv_files(), csv_files(), csv_files(), st.binary(max_size=300)),
    create_users=st.booleans(),
)
@example(data=b"", create_users=False)
@example(data=b"audit_ref\x00,case_ref\n1,2\n", create_users=False)
@example(data=b"\xff\xfe\x00a", create_users=False)
def test_an_import_is_all_or_nothing(db, people, data: bytes, create_users: bool) -> None:  # type: ignore[no-untyped-def]
    tally("csv_import")
    savepoint = db.session.begin_nested()
    try:
        before = counts()
        try:
            result = import_audits(
                factories.user(Role.QA_LEAD) if create_users else None,
                data,
                "history.csv",
                create_users=create_users,
                today=TODAY,
            )
        except AuditImportError as error:
            event("refused")
            assert error.problems
            assert all(p.message for p in error.problems)
            after = counts()
            # factories.user above made one account and its change-log entry; nothing else.
            made = 1 if create_users else 0
            assert after["User"] == before["User"] + made
            assert after["ChangeLogEntry"] == before["ChangeLogEntry"] + made
            assert {
                k: after[k] for k in ("Audit", "AuditDomainGrade", "Moderation", "ModerationGrade")
            } == {
                k: before[k] for k in ("Audit", "AuditDomainGrade", "Moderation", "ModerationGrade")
            }
            return
        event("imported")
        after = counts()
        assert after["Audit"] - before["Audit"] == result.audits == result.rows
        assert after["Moderation"] - before["Moderation"] == result.moderations
        assert after["AuditDomainGrade"] > before["AuditDomainGrade"]
    finally:
        savepoint.rollback()
