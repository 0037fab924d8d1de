"""The benchmark's steps that time the report and the server: the report against the SQL of
every figure it shows, scale from the smallest to the largest database, the report's memory,
the CSV import, and pages under load. Each takes the backend's run (bench/__main__.py ``Run``)
and adds its rows to it; the steps that speak for the users' day are in steps.py."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from bench import data, importing, load, memory, report, steps

RESULTS = data.ROOT / "bench" / "results"
REPORT_TARGET = 1.25  # the report over the least SQL of every figure it shows
SCALE_TARGET = 1.5
PAGE_TARGET = steps.PAGE_TARGET
PAGE_TARGET_TEXT = steps.PAGE_TARGET_TEXT
IMPORT_TARGET_S = 5.0
MEMORY_TARGET_MB = 300.0


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _profile_writer(backend: str, enabled: bool) -> Callable[[str, Callable[[], Any]], None] | None:
    if not enabled:
        return None

    def profile(label: str, run: Callable[[], Any]) -> None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(3):
                run()
        name = f"profile-{backend}-report-{label.replace(' ', '-')}"
        (RESULTS / f"{name}.txt").write_text(
            profiler.output_text(unicode=False, color=False), encoding="utf-8"
        )
        (RESULTS / f"{name}.html").write_text(profiler.output_html(), encoding="utf-8")

    return profile


def report_vs_floor(run: Any) -> None:
    big, reps = run.big, run.reps
    periods = [report.latest(1), report.latest(3), report.latest(12)]
    run.say(f"  report vs floor on the {big} database ({reps} repetitions)")
    run.timings.extend(
        report.time_periods(
            run.urls[big], periods, reps, _profile_writer(run.backend, run.args.profile)
        )
    )
    busy: list[report.Timing] = []
    if not run.args.quick:
        # The same for the densest twelve months of history (over 120,000 audits): how the
        # ratio goes when the period's audits, not the report's fixed work, dominate.
        run.say("  report vs floor over the 12 busiest months of history")
        busiest = report.Period("12 busiest months", *data.busiest_year())
        busy = report.time_periods(run.urls[big], [busiest], max(3, reps // 2))
    for timing in run.timings + busy:
        # The target: the report against the least SQL of all its figures (bench/report_sql.py
        # SECTION_SQL), for the latest 1, 3 and 12 months; the busiest year is information.
        every = timing.every_figure
        ratio = timing.report / every
        targeted = timing in run.timings
        run.add(
            ("" if targeted else "information: ")
            + f"report vs SQL of every figure, {timing.period.label} "
            f"({big} db, {timing.audits:,} audits)",
            f"{_ms(timing.report)} / {_ms(every)} = {ratio:.2f}x "
            f"(grade floor = {timing.floor / every:.0%} of it)",
            f"<= {REPORT_TARGET}x" if targeted else "(no target)",
            ratio <= REPORT_TARGET if targeted else None,
            {
                "report_ms": [round(s * 1000, 2) for s in timing.report_seconds],
                "every_figure_ms": [round(s * 1000, 2) for s in timing.every_figure_seconds],
                "report_median_ms": round(timing.report * 1000, 2),
                "every_figure_median_ms": round(every * 1000, 2),
                "report_over_every_figure": round(ratio, 3),
                "from": timing.period.first,
                "to": timing.period.last,
            },
        )
    for timing in run.timings + busy:
        # Information: the report against the floor of its grade counts only.
        run.add(
            f"information: report vs grade-only floor, {timing.period.label}",
            f"{_ms(timing.report)} / {_ms(timing.floor)} = {timing.ratio:.2f}x",
            "(no target)",
            None,
            {
                "floor_ms": [round(s * 1000, 2) for s in timing.floor_seconds],
                "floor_median_ms": round(timing.floor * 1000, 2),
                "ratio": round(timing.ratio, 3),
            },
        )
    for timing in run.timings + busy:
        # Information: the report built again in the same process, reusing the agreement
        # figures its cold build kept (what a second asker of the same period meets).
        warm, every = timing.warm_report, timing.every_figure
        run.add(
            f"information: report with its kept agreement figures (warm), {timing.period.label}",
            f"{_ms(warm)} / {_ms(every)} = {warm / every:.2f}x the SQL of every figure",
            "(no target)",
            None,
            {
                "warm_report_ms": [round(s * 1000, 2) for s in timing.warm_report_seconds],
                "warm_report_median_ms": round(warm * 1000, 2),
                "warm_over_every_figure": round(warm / every, 3),
            },
        )


def scale(run: Any) -> None:
    run.say("  scale: one-month report, 1m and 10k databases in turn")
    big_s, small_s = report.time_pair(
        (run.urls[run.big], run.urls["10k"]), report.latest(1), run.reps
    )
    big_ms, small_ms = statistics.median(big_s), statistics.median(small_s)
    ratio = big_ms / small_ms
    run.add(
        f"scale: 1-month report ({run.timings[0].audits:,} audits), 1m db / 10k db",
        f"{_ms(big_ms)} / {_ms(small_ms)} = {ratio:.2f}x",
        f"<= {SCALE_TARGET}x",
        ratio <= SCALE_TARGET,
        {
            "big_ms": [round(s * 1000, 2) for s in big_s],
            "small_ms": [round(s * 1000, 2) for s in small_s],
            "ratio": round(ratio, 3),
        },
    )


def memory_step(run: Any) -> None:
    run.say("  memory of the twelve-month report (child process)")
    year = report.latest(12)
    spans = [("latest 12 months", year.first, year.last)]
    if not run.args.quick:
        spans.append(("12 busiest months", *data.busiest_year()))
    for name, first, last in spans:
        peak = memory.measure(run.urls[run.big], first, last)
        run.add(
            f"memory: {name} report ({run.big} db, {peak['audits']:,} audits)",
            f"{peak['peak_mb']:,.0f} MB peak (before the report {peak['baseline_mb']:,.0f} MB)",
            f"<= {MEMORY_TARGET_MB:.0f} MB",
            peak["peak_mb"] <= MEMORY_TARGET_MB,
            {**peak, "from": first, "to": last},
        )


def importing_step(run: Any) -> None:
    run.say("  import of 10,000 CSV rows into a fresh database")
    imported = importing.run(run.backend)
    run.add(
        "import 10,000 CSV rows",
        f"{imported['seconds']:.2f} s ({imported['rows_per_second']:,.0f} rows/s)",
        f"< {IMPORT_TARGET_S:.0f} s",
        imported["seconds"] < IMPORT_TARGET_S,
        imported,
    )


def pages(run: Any) -> None:
    load_label = "10k" if run.args.quick else "100k"
    requests = run.args.requests or (100 if run.args.quick else 400)
    run.say(
        f"  pages under load on the {load_label} database: {requests} requests per endpoint, "
        f"{run.args.clients} clients, gunicorn with 2 workers"
    )
    phases = load.run(run.urls[load_label], requests=requests, clients=run.args.clients)
    health = phases[0]
    baseline = next(p for p in phases if p.baseline)
    for phase in phases:
        detail = phase.as_json()
        figure = (
            f"p50 {_ms(phase.p50)}, p95 {_ms(phase.p95)}, {phase.throughput:,.0f}/s, "
            f"{len(phase.errors)} errors"
        )
        name = f"load: {phase.name} ({load_label} db)"
        if phase is health:
            run.add(f"information: {name}", figure, "(no target)", None, detail)
            continue
        detail["p95_over_healthz"] = round(phase.p95 / health.p95, 2)
        if phase is baseline:
            # What any signed-in GOV.UK page costs before its own content: the yardstick.
            figure = f"{figure}; p95 = {phase.p95 / health.p95:.1f}x /healthz"
            run.add(name, figure, "0 errors", not phase.errors, detail)
            continue
        ratio = phase.p95 / baseline.p95
        detail["p95_over_signed_in_baseline"] = round(ratio, 2)
        figure = f"{figure}; p95 = {ratio:.1f}x baseline"
        run.add(name, figure, PAGE_TARGET_TEXT, ratio <= PAGE_TARGET and not phase.errors, detail)
