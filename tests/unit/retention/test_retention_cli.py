"""`qa-audit retention --dry-run` lists and changes nothing; `qa-audit retention apply` does it,
all or nothing; both refuse while the schedule is off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from qa_audit.audits.models import Audit
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db as _db
from qa_audit.core.months import add_months, first_day, month_label, month_of
from tests.factories import retention as make

MONTHS = 24


@pytest.fixture
def schedule_on(app: Flask, monkeypatch: pytest.MonkeyPatch) -> str:
    """A 24-month schedule; the oldest month still kept."""
    monkeypatch.setitem(app.config, "RETENTION_MONTHS", MONTHS)
    return add_months(month_of(local_today()), -MONTHS)


def run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["retention", *args])


def log_rows() -> int:
    return int(_db.session.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0)


def test_refused_while_the_schedule_is_off(app: Flask, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "RETENTION_MONTHS", 0)
    for args in (["--dry-run"], ["apply"]):
        result = run(app, *args)
        assert result.exit_code == 1, args
        assert "QA_AUDIT_RETENTION_MONTHS is 0" in result.stderr


def test_neither_dry_run_nor_apply_is_a_usage_error(app: Flask, db, schedule_on) -> None:  # type: ignore[no-untyped-def]
    result = run(app)
    assert result.exit_code == 2
    assert "give --dry-run to list, or apply to anonymise" in result.stderr


def test_the_dry_run_lists_what_is_past_and_changes_nothing(app: Flask, db, schedule_on) -> None:  # type: ignore[no-untyped-def]
    keep_from = first_day(schedule_on)
    past = make.full_audit(keep_from - timedelta(days=1), case_ref="CR60001")
    kept = make.full_audit(keep_from, case_ref="CR60002")
    _db.session.commit()
    rows = log_rows()

    result = run(app, "--dry-run")

    assert result.exit_code == 0, result.output
    month = month_label(month_of(keep_from - timedelta(days=1)))
    assert f"Audit {past.id} ({past.reference}), {month}:" in result.stdout
    assert f"Audit {kept.id} " not in result.stdout
    assert f"Records of months before {month_label(schedule_on)}" in result.stdout
    assert "Would anonymise 1 audit, 1 rota allocation and 0 dip samples" in result.stdout
    assert "Dry run: nothing was changed." in result.stdout
    # Never the case or its content, in a listing that may be mailed by cron.
    for secret in ("CR60001", make.SECRET):
        assert secret not in result.output
    _db.session.expire_all()
    assert _db.session.scalar(select(Audit.case_ref).where(Audit.id == past.id)) == "CR60001"
    assert log_rows() == rows


def test_apply_anonymises_and_a_second_apply_does_nothing(app: Flask, db, schedule_on) -> None:  # type: ignore[no-untyped-def]
    keep_from = first_day(schedule_on)
    past = make.full_audit(keep_from - timedelta(days=40), case_ref="CR60003")
    _db.session.commit()

    first = run(app, "apply")
    assert first.exit_code == 0, first.output
    assert "Anonymised 1 audit, 1 rota allocation and 0 dip samples" in first.stdout
    _db.session.expire_all()
    assert _db.session.scalar(select(Audit.case_ref).where(Audit.id == past.id)) == "Removed"
    rows = log_rows()

    second = run(app, "apply")
    assert second.exit_code == 0, second.output
    assert "Nothing is past the retention schedule: nothing was changed." in second.stdout
    assert log_rows() == rows
