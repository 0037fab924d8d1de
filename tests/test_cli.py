"""The qa-audit command line: users create, tools load, demo load."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from qa_audit.auth.models import User
from qa_audit.auth.passwords import verify_password
from qa_audit.auth.roles import Role
from qa_audit.auth.services import find_user_by_email
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from qa_audit.organisation.models import ServiceArea

PASSWORD = "a passphrase from stdin"


@pytest.fixture
def runner(app: Flask, db) -> FlaskCliRunner:  # type: ignore[no-untyped-def]
    """A CLI runner inside the test's rolled-back transaction."""
    return app.test_cli_runner()


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model))


def test_users_create_reads_the_password_from_stdin_and_never_prints_it(runner, db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Lee.Cli@Example.org",
            "--name",
            "Lee Cli",
            "--role",
            "auditor",
            "--role",
            "moderator",
            "--service-area",
            "Fostering",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created lee.cli@example.org with roles auditor, moderator" in result.stdout
    assert PASSWORD not in result.output
    user = find_user_by_email("lee.cli@example.org")
    assert user is not None
    assert user.roles == {Role.AUDITOR, Role.MODERATOR}
    assert user.service_area is not None
    assert user.service_area.key == "fostering"
    assert verify_password(user.password_hash, PASSWORD)


def test_users_create_has_no_password_option(runner, db) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        args=[
            "users",
            "create",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "auditor",
            "--password",
            PASSWORD,
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code != 0
    assert find_user_by_email("x@example.org") is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "superuser"], "unknown role superuser; use one of: admin, auditor"),
        (["--role", "auditor", "--service-area", "Atlantis"], "unknown service area 'Atlantis'"),
    ],
)
def test_users_create_refuses_bad_input_with_a_message(
    runner, db, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    users = count(db, User)
    result = runner.invoke(
        args=["users", "create", "bad@example.org", "--name", "Bad", *args], input=PASSWORD + "\n"
    )
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""
    assert count(db, User) == users


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", PASSWORD, "Enter an e-mail address in the correct format"),
        ("ok@example.org", "short", "Password must be 12 characters or more"),
    ],
)
def test_users_create_reports_service_errors(
    runner, db, email: str, password: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        args=["users", "create", email, "--name", "N", "--role", "viewer"], input=password + "\n"
    )
    assert result.exit_code == 1
    assert f"Error: {message}" in result.stderr
    assert password not in result.output


def test_users_create_refuses_a_duplicate(runner, db) -> None:  # type: ignore[no-untyped-def]
    args = ["users", "create", "dup@example.org", "--name", "Dup", "--role", "viewer"]
    assert runner.invoke(args=args, input=PASSWORD + "\n").exit_code == 0
    again = runner.invoke(args=args, input=PASSWORD + "\n")
    assert again.exit_code == 1
    assert "A user with this e-mail address already exists" in again.stderr


def test_tools_load_reports_unchanged_seed_tools(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["tools", "load"])
    assert result.exit_code == 0, result.output
    assert "practice-principles-2024: unchanged" in result.stdout
    assert "qaif-2022: unchanged" in result.stdout


def test_tools_load_refuses_a_malformed_file_naming_it(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "broken-tool-2030.yaml").write_text(
        "key: broken-tool-2030\nname: Broken\nlaunched_on: 2030-01-01\n", encoding="utf-8"
    )
    result = runner.invoke(args=["tools", "load", str(tmp_path)])
    assert result.exit_code == 1
    assert "broken-tool-2030.yaml" in result.stderr
    assert "'overall' must give title, guidance and descriptors" in result.stderr


def test_tools_load_refuses_a_missing_folder(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["tools", "load", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert "does not exist" in result.stderr


def test_demo_load_is_idempotent(runner, db) -> None:  # type: ignore[no-untyped-def]
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    for account in DEMO_ACCOUNTS:
        assert account.email in first.stdout
        user = find_user_by_email(account.email)
        assert user is not None
        assert user.roles == set(account.roles)
        assert verify_password(user.password_hash, DEMO_PASSWORD)
    counts = (count(db, User), count(db, ServiceArea), count(db, ChangeLogEntry))

    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert (count(db, User), count(db, ServiceArea), count(db, ChangeLogEntry)) == counts
    emails = db.session.scalars(select(User.email)).all()
    assert all(emails.count(account.email) == 1 for account in DEMO_ACCOUNTS)

    if_empty = runner.invoke(args=["demo", "load", "--if-empty"])
    assert if_empty.exit_code == 0
    assert (count(db, User), count(db, ServiceArea), count(db, ChangeLogEntry)) == counts
