"""`qa-audit demo load` never runs in production, and never into a database holding real work
(any account other than the demo accounts): its accounts share a published password, and its
made-up audits must never be mixed with a council's (issue 14, finding 2)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.demo import DEMO_ACCOUNTS
from qa_audit.demo.definition import demo_emails
from tests import factories


@pytest.fixture
def runner(app: Flask, db) -> FlaskCliRunner:  # type: ignore[no-untyped-def]
    """A CLI runner inside the test's rolled-back transaction."""
    return app.test_cli_runner()


def counts(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return (
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(Audit)),
    )


@pytest.mark.parametrize("args", [["demo", "load"], ["demo", "load", "--if-empty"]])
def test_demo_load_is_refused_in_production(
    app: Flask,
    runner: FlaskCliRunner,
    db,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setitem(app.config, "ENV", "production")
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: The demo data cannot be loaded in production (QA_AUDIT_ENV is production): its "
        "accounts share a published password. Nothing was changed.\n"
    )
    assert "demo-password" not in result.output
    assert counts(db) == (0, 0)


def test_demo_load_is_refused_on_a_database_with_real_accounts(
    runner: FlaskCliRunner,
    db,  # type: ignore[no-untyped-def]
) -> None:
    factories.user(Role.AUDITOR, email="jo.bloggs@anytown.gov.uk")
    factories.user(Role.ADMIN, email="it.support@anytown.gov.uk")
    db.session.commit()
    before = counts(db)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: The demo data can only be loaded into a new database or one holding only demo "
        "data, and this one has 2 other accounts (for example jo.bloggs@anytown.gov.uk). "
        "Nothing was changed.\n"
    )
    assert counts(db) == before
    assert db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[0].email)) is None


def test_demo_load_adds_to_a_database_holding_only_demo_data(
    runner: FlaskCliRunner,
    db,  # type: ignore[no-untyped-def]
) -> None:
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0, again.output
    assert counts(db)[0] == len(demo_emails())


def test_if_empty_on_a_loaded_demo_only_lists_the_accounts(
    runner: FlaskCliRunner,
    db,  # type: ignore[no-untyped-def]
) -> None:
    """`make run` on a developer's demo database where they also made an account of their own."""
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    factories.user(Role.AUDITOR, email="me@example.net")
    db.session.commit()
    before = counts(db)
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert DEMO_ACCOUNTS[0].email in result.stdout
    assert counts(db) == before
    refused = runner.invoke(args=["demo", "load"])
    assert refused.exit_code == 1
    assert "this one has 1 other account (for example me@example.net)" in refused.stderr
