"""The benchmark's code does not rot: its data builder fills a small database of the suite's
kind (foreign keys checked), and the report agrees with the benchmark's floor, the single SQL
statement it is timed against. Nothing here is timed."""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

import pytest

from bench import data, day, report, run_limit
from tests.databases import fresh_database

AUDITS = 500


@pytest.fixture(scope="module")
def bench_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with fresh_database(tmp_path_factory.mktemp("bench"), "bench") as url:
        summary = data.build_database(url, AUDITS, check_foreign_keys=True)
        yield url, summary


def test_shape_of_the_synthetic_authority() -> None:
    counts = data.month_counts(1_000_000)
    assert sum(counts) == 1_000_000
    assert len(counts) == data.MONTHS
    # The months a report reads hold as many audits on the largest database as on the smallest.
    assert counts[-data.RECENT_MONTHS :] == data.month_counts(10_000)[-data.RECENT_MONTHS :]
    assert counts[-1] == data.RECENT_PER_MONTH
    assert sum(data.month_counts(AUDITS)) == AUDITS


def test_builder_fills_every_bulk_table(bench_url) -> None:  # type: ignore[no-untyped-def]
    _url, summary = bench_url
    assert summary.rows["audit"] == AUDITS
    # Every audit has a grade per domain of its tool (five or eight domains).
    assert 5 * AUDITS <= summary.rows["audit_domain_grade"] <= 8 * AUDITS
    # About a third moderated, each moderation graded per domain when completed.
    assert 0.25 * AUDITS <= summary.rows["moderation"] <= 0.5 * AUDITS
    assert summary.rows["moderation_grade"] >= 5 * 0.2 * AUDITS
    for table in ("feedback_conversation", "action", "audit_learning_theme", "allocation"):
        assert summary.rows[table] > 0.5 * AUDITS, table


@pytest.mark.parametrize("months", [1, 3, 12])
def test_report_agrees_with_the_floor(bench_url, months: int) -> None:  # type: ignore[no-untyped-def]
    url, _ = bench_url
    period = report.latest(months)
    built, rows = report.check(url, period)  # raises Disagreement if the counts differ
    assert built["audits_completed"] > 0
    in_period = sum(n for month, key, _, n in rows if not key and period.first <= month)
    assert in_period == built["audits_completed"]


def test_the_sql_of_every_figure_counts_what_the_report_shows(bench_url) -> None:  # type: ignore[no-untyped-def]
    """The target's other side: one statement per section (and the grade pairs when the report
    shows its confidence section), checked against the report's totals (Disagreement if not)."""
    url, _ = bench_url
    (timing,) = report.time_periods(url, [report.latest(3)], repetitions=1)
    assert timing.audits > 0
    assert len(timing.every_figure_seconds) == 1


def test_each_timed_report_is_built_cold(bench_url) -> None:  # type: ignore[no-untyped-def]
    """The report keeps its agreement figures per data version; the SQL it is timed against
    reads the grade pairs every time. So every timed build starts with nothing kept (a miss of
    the cache), and only the information row's build reuses what the build before kept."""
    from qa_audit.reports import cache

    url, _ = bench_url
    (timing,) = report.time_periods(url, [report.latest(3)], repetitions=2)
    assert len(timing.report_seconds) == len(timing.warm_report_seconds) == 2
    # Counted since the cache was last emptied: the last repetition's cold and warm builds.
    assert (cache.counts().misses, cache.counts().hits) == (1, 1)


def test_a_wrong_count_is_caught(bench_url) -> None:  # type: ignore[no-untyped-def]
    url, _ = bench_url
    period = report.latest(3)
    built, rows = report.check(url, period)
    assert report.disagreements(built, rows, period) == []
    wrong = copy.deepcopy(built)
    wrong["overall"]["final"]["good"] += 1
    key = next(iter(wrong["domains"]))
    wrong["domains"][key]["counts"]["inadequate"] += 1
    problems = report.disagreements(wrong, rows, period)
    assert any(p.startswith("overall final") for p in problems)
    assert any(p.startswith(f"{key} counts") for p in problems)


def test_schema_key_follows_the_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    versions = tmp_path / "qa_audit" / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "0001_first.py").write_text("revision = '0001_first'\n")
    monkeypatch.setattr(data, "ROOT", tmp_path)
    before = data.schema_key()
    assert len(before) == 12
    assert before == data.schema_key()
    (versions / "0002_second.py").write_text("revision = '0002_second'\n")
    assert data.schema_key() != before


def test_a_working_day_loses_no_save(bench_url) -> None:  # type: ignore[no-untyped-def]
    """The working day's generator against real gunicorn: each auditor signs in, saves their
    draft through the autosave endpoint as the browser does, and the database holds every last
    save. Short pauses and few requests: this checks the code path, it times nothing."""
    url, _ = bench_url
    worked = day.run(url, saves=2, reads=4, auditors=3, readers=1, pace=0.05)
    assert worked.errors == 0, {k: v.errors[:2] for k, v in worked.kinds.items()}
    assert len(worked.kinds["autosave"].latencies) == 3 * 2
    assert len(worked.saved) == 3
    assert worked.lost == []
    # A draft changed behind the generator's back is caught as lost.
    drafts = day.prepare(url, 3)  # the same drafts again, found by their case references
    assert sorted(d.audit_id for d in drafts) == sorted(worked.saved)
    first = next(iter(worked.saved))
    assert day.lost_saves(url, drafts, {**worked.saved, first: "not saved"}) == [first]


def _arguments(**given: object) -> argparse.Namespace:
    """The command line's arguments as `make bench` gives them, changed by ``given``."""
    defaults: dict[str, object] = {
        "quick": False,
        "backend": None,
        "repetitions": None,
        "requests": None,
        "clients": run_limit.DEFAULT_CLIENTS,
        "rebuild": False,
        "strict": False,
        "profile": False,
    }
    return argparse.Namespace(**{**defaults, **given})


def test_the_run_limit_is_a_target_of_the_full_run() -> None:
    both = ["sqlite", "postgresql"]
    within = run_limit.run_limit_row(14.9 * 60, _arguments(), both)
    assert (within.verdict, within.target) == ("PASS", "< 15 minutes")
    slow = run_limit.run_limit_row(21.5 * 60, _arguments(rebuild=True), both)
    assert (slow.verdict, slow.figure) == ("MISS", "21.5 minutes (sqlite, postgresql)")
    # A narrower run's time says nothing of the limit: information, never PASS or MISS.
    for narrower, backends in (
        (_arguments(quick=True), both),
        (_arguments(backend=["postgresql"]), ["postgresql"]),
        (_arguments(), ["sqlite"]),  # no PostgreSQL server to measure
        (_arguments(clients=4), both),
    ):
        row = run_limit.run_limit_row(30 * 60, narrower, backends)
        assert row.verdict == "-", narrower
        assert row.measure.startswith("information: "), narrower
