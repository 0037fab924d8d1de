"""`qa-audit import audits FILE.csv [--create-users]`: all or nothing, every bad line named."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from bench.csv_sample import write_sample_csv
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.core.extensions import db
from qa_audit.moderation.models import Moderation
from tests.factories.audit_import import MODERATOR, count, csv_bytes, people, row


@pytest.fixture
def runner(app: Flask, db: object) -> FlaskCliRunner:
    """A CLI runner inside the test's rolled-back transaction."""
    return app.test_cli_runner()


def test_import_a_valid_file(runner: FlaskCliRunner, tmp_path: Path) -> None:
    people()
    path = tmp_path / "history.csv"
    path.write_bytes(
        csv_bytes(
            [
                row(audit_ref="CLI-1"),
                row(
                    audit_ref="CLI-2",
                    moderator_email=MODERATOR,
                    moderated_on="2024-05-12",
                    moderated_overall_grade="Inadequate",
                ),
                row(audit_ref="CLI-3", grade__permanence="N/A"),
            ]
        )
    )
    audits_before, moderations_before = count(Audit), count(Moderation)
    result = runner.invoke(args=["import", "audits", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Imported 3 audits (1 with moderation) from {path}\n"
    assert result.stderr == ""  # no progress bar for a small file
    assert count(Audit) == audits_before + 3
    assert count(Moderation) == moderations_before + 1
    moderation = db.session.scalar(select(Moderation).join(Audit).where(Audit.reference == "CLI-2"))
    assert moderation is not None
    assert moderation.outcome == "downgraded"


def test_bad_rows_are_all_listed_and_nothing_is_imported(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    people()
    path = tmp_path / "history.csv"
    path.write_bytes(
        csv_bytes(
            [
                row(),
                row(service_area="Fostring"),
                row(),
                row(),
                row(),
                row(grade__assessment="Goodish"),
                row(submitted_on="2024-02-30", auditor_email="someone@example.org"),
            ]
        )
    )
    before = count(Audit)
    result = runner.invoke(args=["import", "audits", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("line 3: unknown service area 'Fostring'")
    assert lines[1].startswith("line 7: grade:assessment: 'Goodish' is not a grade; use one of: ")
    assert lines[2].startswith("line 8: unknown auditor_email 'someone@example.org'")
    assert lines[3] == "line 8: submitted_on '2024-02-30' is not a real date"
    assert lines[4:] == ["The file has 4 problems on 3 lines.", "Nothing was imported."]
    assert count(Audit) == before


def test_create_users_makes_inactive_accounts(runner: FlaskCliRunner, tmp_path: Path) -> None:
    people()
    path = tmp_path / "history.csv"
    path.write_bytes(
        csv_bytes(
            [
                row(
                    auditor_email="new.person@example.org",
                    moderator_email="new.moderator@example.org",
                    moderated_on="2024-05-12",
                    moderated_overall_grade="Good",
                )
            ]
        )
    )
    refused = runner.invoke(args=["import", "audits", str(path)])
    assert refused.exit_code == 1
    assert "unknown moderator_email 'new.moderator@example.org'" in refused.stderr

    result = runner.invoke(args=["import", "audits", str(path), "--create-users"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"Imported 1 audit (1 with moderation) from {path}",
        "Created 2 accounts that cannot sign in until an administrator activates them: "
        "new.moderator@example.org, new.person@example.org",
    ]
    created = list(db.session.scalars(select(User).where(User.email.like("new.%@example.org"))))
    assert sorted((u.email, u.active, u.password_hash) for u in created) == [
        ("new.moderator@example.org", False, None),
        ("new.person@example.org", False, None),
    ]


def test_large_file_shows_progress_on_stderr(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    sample = write_sample_csv(path, 1_500, seed=3)
    before = count(Audit)
    result = runner.invoke(args=["import", "audits", str(path), "--create-users"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        f"Imported 1500 audits ({sample.moderated} with moderation) from {path}"
    )
    assert "Checking rows" in result.stderr
    assert "Importing audits" in result.stderr
    assert count(Audit) == before + 1_500


def test_missing_file(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["import", "audits", str(tmp_path / "nowhere.csv")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
