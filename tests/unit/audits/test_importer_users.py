"""People named by the CSV import: unknown e-mail addresses refused, or made inactive accounts
without passwords when asked, and none made when a row is bad."""

from __future__ import annotations

from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from tests.factories.audit_import import (
    MODERATOR,
    count,
    csv_bytes,
    people,
    row,
)
from tests.unit.audits.importing import by_reference, refused, run


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
