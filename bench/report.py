"""The period report against its floor: one hand-written SQL statement that returns every
final-grade count the report publishes, from the same database, in the same run.

The report (qa_audit.reports.services.build_period_report) shows, for a period, the final
overall grade distribution, the final grade distribution of each domain, and twelve months of
direction of travel (final grades per month, and per domain the Good-or-better count and the
graded count). The floor gets all of those counts in one round trip (UNION ALL of two GROUP
BYs) and nothing else; the benchmark checks that the two agree before it times them.

Every timed build is cold: the process keeps the agreement figures of the report's confidence
section per data version (qa_audit/reports/cache.py), so a build after the first would skip
reading the grade pairs and their bootstrap while the SQL it is compared with reads the pairs
every time. The cache is emptied before each timed build; a build that reuses the kept figures
is timed apart, as information."""

from __future__ import annotations

import gc
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bench import data
from bench.report_sql import FLOOR_SQL, PAIRS_SQL, SECTION_SQL

GRADED = ("outstanding", "good", "requires_improvement", "inadequate")
GOOD_OR_BETTER = ("outstanding", "good")
# The day the reports are built for (which open actions are overdue): after the data ends.
TODAY = date.fromisoformat(f"{data.add_months(data.END_MONTH, 1)}-01")


@dataclass(frozen=True)
class Period:
    label: str
    first: str
    last: str

    @property
    def span_first(self) -> str:
        """The first month the report's grade counts reach: the period or its 12-month trend."""
        return min(self.first, data.add_months(self.last, -11))


def latest(months: int) -> Period:
    """The latest ``months`` months of the benchmark's data."""
    label = "1 month" if months == 1 else f"{months} months"
    return Period(label, data.add_months(data.END_MONTH, 1 - months), data.END_MONTH)


def floor(period: Period) -> list[tuple[str, str, str | None, int]]:
    """The floor: every final-grade count of the report, in one statement (needs an app context)."""
    from qa_audit.core.extensions import db

    rows = db.session.execute(FLOOR_SQL, {"first": period.span_first, "last": period.last})
    return [(month, key, grade, int(n)) for month, key, grade, n in rows]


def every_figure_floor(period: Period, pairs: bool = False) -> list[list[Any]]:
    """The grade floor and the least SQL of every other section, back to back (needs an app
    context): the rows of each statement. ``pairs``: the report shows the confidence section,
    so its grade pairs are read too (last)."""
    from qa_audit.core.extensions import db
    from qa_audit.report_filters import months_between

    earlier_first = data.add_months(period.first, -len(months_between(period.first, period.last)))
    params = {
        "first": period.first,
        "last": period.last,
        "earlier_first": earlier_first,
        "today": TODAY,
        "first_day": date.fromisoformat(f"{period.first}-01"),
        "after": date.fromisoformat(f"{data.add_months(period.last, 1)}-01"),
    }
    out = [list(db.session.execute(FLOOR_SQL, {"first": period.span_first, "last": period.last}))]
    for statement in [*SECTION_SQL, *([PAIRS_SQL] if pairs else [])]:
        out.append(list(db.session.execute(statement, params)))
    return out


def build(period: Period) -> dict[str, Any]:
    """The report as the page, the CLI and the API build it (needs an app context)."""
    from qa_audit.report_filters import resolve_filters
    from qa_audit.reports.services import build_period_report

    return build_period_report(resolve_filters(period.first, period.last), today=TODAY)


def forget_kept_figures() -> None:
    """Empty the process's report cache (the confidence section's agreement figures among
    them), so that the next build reads and computes every figure, as its SQL does."""
    from qa_audit.reports import cache

    cache.clear()


def cold_build(period: Period) -> dict[str, Any]:
    """The report with nothing kept from an earlier build (needs an app context)."""
    forget_kept_figures()
    return build(period)


def _seconds(work: Callable[..., Any], *args: Any) -> float:
    # Collected first, so that no timing pays for the garbage of the one before it (a build
    # after the cold report's build paid about 30 ms of its collection on the 10k database).
    gc.collect()
    started = time.perf_counter()
    work(*args)
    return time.perf_counter() - started


@dataclass
class FloorCounts:
    """The floor's rows summed the way the report shows them."""

    overall: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    domains: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    months: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    trend: dict[str, dict[str, list[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: [0, 0]))
    )
    completed: int = 0

    def add(self, month: str, key: str, grade: str | None, n: int, in_period: bool) -> None:
        if not key:
            self.months[month][grade or ""] += n
            if in_period:
                self.overall[grade or ""] += n
                self.completed += n
            return
        if in_period:
            self.domains[key][grade or ""] += n
        if grade in GRADED:
            cell = self.trend[month][key]
            cell[1] += n
            if grade in GOOD_OR_BETTER:
                cell[0] += n


def disagreements(
    report: dict[str, Any], rows: list[tuple[str, str, str | None, int]], period: Period
) -> list[str]:
    """Where the report's final-grade counts differ from the floor's (empty when they agree)."""
    floor = FloorCounts()
    for month, key, grade, n in rows:
        floor.add(month, key, grade, n, period.first <= month <= period.last)
    overall, domains, months, trend = floor.overall, floor.domains, floor.months, floor.trend
    completed = floor.completed

    problems: list[str] = []

    def same(what: str, reported: Any, floor_value: Any) -> None:
        if reported != floor_value:
            problems.append(f"{what}: report {reported!r}, floor {floor_value!r}")

    same("audits completed", report["audits_completed"], completed)
    same("overall final", report["overall"]["final"], {g: overall.get(g, 0) for g in GRADED})
    same("domain keys", sorted(report["domains"]), sorted(domains))
    for key, section in report["domains"].items():
        same(f"{key} counts", section["counts"], {g: domains[key].get(g, 0) for g in GRADED})
        same(f"{key} N/A", section["not_applicable"], domains[key].get("not_applicable", 0))
    for entry in report["months"]:
        month = entry["month"]
        same(f"{month} final", entry["final"], {g: months[month].get(g, 0) for g in GRADED})
        for key, counts in entry["domains_good_or_better"].items():
            good, graded = trend[month].get(key, [0, 0])
            same(f"{month} {key}", counts, {"good_or_better": good, "graded": graded})
    if not report["months"] or not any(e["audits_completed"] for e in report["months"]):
        problems.append("the report has no audits: the benchmark would time an empty report")
    return problems


class Disagreement(AssertionError):
    """The report and its floor count different final grades."""


FloorRows = list[tuple[str, str, str | None, int]]


def check(url: str, period: Period) -> tuple[dict[str, Any], FloorRows]:
    """Build the report and the floor on ``url``; Disagreement if their counts differ."""
    app = data.bench_app(url)
    with app.app_context():
        report = build(period)
        rows = floor(period)
        _close(app)
    problems = disagreements(report, rows, period)
    if problems:
        raise Disagreement(f"report and floor disagree on {url}: " + "; ".join(problems[:10]))
    return report, rows


def _close(app: Any) -> None:
    from qa_audit.core.extensions import db

    db.session.remove()
    db.engine.dispose()


@dataclass
class Timing:
    period: Period
    report_seconds: list[float]
    floor_seconds: list[float]
    audits: int
    every_figure_seconds: list[float] = field(default_factory=list)
    # Information: builds that reuse the agreement figures kept by the build before.
    warm_report_seconds: list[float] = field(default_factory=list)

    @property
    def every_figure(self) -> float:
        return statistics.median(self.every_figure_seconds)

    @property
    def warm_report(self) -> float:
        return statistics.median(self.warm_report_seconds)

    @property
    def report(self) -> float:
        return statistics.median(self.report_seconds)

    @property
    def floor(self) -> float:
        return statistics.median(self.floor_seconds)

    @property
    def ratio(self) -> float:
        return self.report / self.floor


def time_periods(
    url: str,
    periods: list[Period],
    repetitions: int,
    profile: Callable[[str, Callable[[], Any]], None] | None = None,
) -> list[Timing]:
    """Median of ``repetitions`` of the report (cold: nothing kept from the build before) and
    of its floors, alternating, per period, after one untimed run of each that also checks that
    their counts agree; then the report again with the figures its cold build kept (warm)."""
    timings = []
    for period in periods:
        report, _ = check(url, period)
        app = data.bench_app(url)
        pairs = "confidence" in report
        with app.app_context():
            sections = every_figure_floor(period, pairs)
            _check_sections(report, sections, url)
            # Warm what any server has warm (statements built once, the table look-up, the
            # database's page cache), not the figures: each timed build empties those.
            build(period), floor(period)
            timing = Timing(period, [], [], int(report["audits_completed"]))
            for _ in range(repetitions):
                timing.floor_seconds.append(_seconds(floor, period))
                forget_kept_figures()
                timing.report_seconds.append(_seconds(build, period))
                timing.warm_report_seconds.append(_seconds(build, period))
                timing.every_figure_seconds.append(_seconds(every_figure_floor, period, pairs))
            if profile is not None:
                profile(period.label, lambda period=period: cold_build(period))  # type: ignore[misc]
            _close(app)
        timings.append(timing)
    return timings


def _check_sections(report: dict[str, Any], sections: list[list[Any]], url: str) -> None:
    """The every-figure floor counts what the report shows (a few totals): Disagreement if not."""
    feedback, with_feedback, _, _, earlier, actions, reflective, _, areas, _ = sections[
        1 : 1 + len(SECTION_SQL)
    ]
    pairs = [
        (
            "feedback conversations",
            report["feedback"]["conversations"],
            sum(r[2] for r in feedback),
        ),
        ("audits with feedback", report["feedback"]["audits_with_feedback"], with_feedback[0][0]),
        (
            "audits of the earlier period",
            report["learning_themes"]["earlier_period"]["audits"],
            earlier[0][0],
        ),
        ("actions", report["actions"]["total"], actions[0][0]),
        (
            "reflective conversations",
            report["moderation"]["reflective_conversations"]["due"],
            reflective[0][0],
        ),
        ("allocations", report["rota"]["allotted"], sum(r[2] for r in areas)),
    ]
    if "confidence" in report:
        # Pairs count where both grades are graded (not N/A, not missing).
        graded = [r for r in sections[-1] if r[2] in GRADED and r[3] in GRADED]
        agreement = report["confidence"]["agreement"]
        pairs.append(("grade pairs", agreement["pairs"], len(graded)))
        pairs.append(("audits with grade pairs", agreement["audits"], len({r[0] for r in graded})))
    wrong = [f"{what}: report {a}, floor {b}" for what, a, b in pairs if int(a) != int(b or 0)]
    if wrong:
        raise Disagreement(f"report and every-figure floor disagree on {url}: " + "; ".join(wrong))


def time_pair(urls: tuple[str, str], period: Period, repetitions: int) -> list[list[float]]:
    """The report of ``period`` on two databases, alternating between them so that both meet
    the same machine (the scale target): the seconds of each repetition, per database, each
    build cold (nothing kept from the build before, as in ``time_periods``)."""
    apps = [data.bench_app(url) for url in urls]
    audits = []
    for url, app in zip(urls, apps, strict=True):
        report, _ = check(url, period)
        audits.append(report["audits_completed"])
        with app.app_context():
            build(period)  # warm
    if audits[0] != audits[1]:
        raise Disagreement(f"the month holds {audits[0]} and {audits[1]} audits: not comparable")
    seconds: list[list[float]] = [[], []]
    for _ in range(repetitions):
        for app, samples in zip(apps, seconds, strict=True):
            with app.app_context():
                forget_kept_figures()
                samples.append(_seconds(build, period))
    for app in apps:
        with app.app_context():
            _close(app)
    return seconds
