"""`qa-audit demo load`: two years of plausible audits with an improving trend, deterministic
and idempotent."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text

from qa_audit.audits.models import Audit, FeedbackConversation
from qa_audit.core.clock import local_today
from qa_audit.demo import load_demo, load_demo_audits
from qa_audit.demo.definition import QUOTES, REFERENCE_PREFIX
from qa_audit.demo.loading import LOADED_TABLES
from qa_audit.report_filters import add_months, resolve_filters
from qa_audit.reports.services import build_period_report
from tests.databases import is_postgres


def test_demo_load_builds_two_years_that_improve(db) -> None:  # type: ignore[no-untyped-def]
    load_demo()
    this_month = local_today().strftime("%Y-%m")
    first = add_months(this_month, -23)
    per_month = dict(
        db.session.execute(
            select(Audit.submitted_month, func.count())
            .where(Audit.reference.like(f"{REFERENCE_PREFIX}%"))
            .group_by(Audit.submitted_month)
        ).all()
    )
    assert min(per_month) == first
    assert max(per_month) == this_month
    assert len(per_month) == 24
    full = [n for month, n in per_month.items() if month != this_month]
    assert all(40 <= n <= 60 for n in full)

    start = build_period_report(resolve_filters(first, add_months(first, 2)))
    end_month = add_months(this_month, -1)
    end = build_period_report(resolve_filters(add_months(end_month, -2), end_month))
    assert 3.0 <= start["overall"]["final_percent"]["good"] <= 16.0
    assert 26.0 <= end["overall"]["final_percent"]["good"] <= 46.0
    assert start["domains"]["management_oversight"]["good_or_better_percent"] < 10.0
    whole = build_period_report(resolve_filters(first, this_month))
    assert 2.0 <= whole["overall"]["final_percent"]["inadequate"] <= 9.0
    moderation = whole["moderation"]
    assert 28.0 <= moderation["percent_moderated"] <= 42.0
    assert moderation["upheld"] > moderation["downgraded"] > 0
    assert moderation["upgraded"] > 0
    assert moderation["by_original_grade"]["inadequate"]["percent_moderated"] >= 90.0
    assert whole["actions"]["overdue"] > 0
    assert whole["actions"]["done"] > 0
    assert whole["feedback"]["fathers"] > 0
    assert whole["learning_themes"]["themes"]
    # Case references, never names; feedback only from the anonymous quote bank.
    refs = db.session.scalars(
        select(Audit.case_ref).where(Audit.reference.like(f"{REFERENCE_PREFIX}%"))
    ).all()
    assert all(re.fullmatch(r"LCS\d{6}", ref) for ref in refs)
    said = set(db.session.scalars(select(FeedbackConversation.said)).all())
    assert said <= {q for quotes in QUOTES.values() for q in quotes}

    # Idempotent: a second load adds nothing.
    count = db.session.scalar(select(func.count(Audit.id)))
    load_demo()
    assert load_demo_audits() == 0
    assert db.session.scalar(select(func.count(Audit.id))) == count


@pytest.mark.skipif(not is_postgres(), reason="planner statistics are PostgreSQL's")
def test_demo_load_leaves_planner_statistics_for_what_it_loaded(db) -> None:  # type: ignore[no-untyped-def]
    """Without statistics PostgreSQL took the demo's tables for empty and joined them by
    nested loops: the two-year report ran past the statement limit in a busy test run."""
    load_demo()
    counted = dict(
        db.session.execute(
            text("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(:names)"),
            {"names": list(LOADED_TABLES)},
        ).all()
    )
    audits = db.session.scalar(select(func.count(Audit.id)))
    assert counted["audit"] == pytest.approx(audits, rel=0.1)
    assert all(counted[name] > 0 for name in LOADED_TABLES)
