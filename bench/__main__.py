"""`python -m bench` (`make bench`): build or reuse the databases, measure, print the table,
write bench/results/latest.json. `--quick`: the 10,000-audit database only, fewer repetitions.

Run through scripts/with-postgres.sh (as `make bench` does) to measure PostgreSQL as well as
SQLite; without QA_AUDIT_TEST_POSTGRES_URL only SQLite is measured, and the table says so."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import data, databases, importing, load, memory, report, steps
from bench.table import Result, render

RESULTS = data.ROOT / "bench" / "results"
REPORT_TARGET = 1.25  # the report over the least SQL of every figure it shows
SCALE_TARGET = 1.5
PAGE_TARGET = steps.PAGE_TARGET
PAGE_TARGET_TEXT = steps.PAGE_TARGET_TEXT
IMPORT_TARGET_S = 5.0
MEMORY_TARGET_MB = 300.0


def machine() -> dict[str, Any]:
    """What the figures were measured on."""

    def first(path: str, prefix: str) -> str:
        try:
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith(prefix):
                        return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    ram_kb = first("/proc/meminfo", "MemTotal").split()[0]
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(int(ram_kb) / 1024 / 1024, 1) if ram_kb.isdigit() else None,
        "cpu": first("/proc/cpuinfo", "model name"),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
        "os": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


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


def build_databases(
    backends: list[str], labels: list[str], rebuild: bool, say: Callable[[str], None]
) -> dict[str, dict[str, databases.Built]]:
    """Every database the run needs, built where missing. With both kinds, PostgreSQL's are
    built by a child process (bench/build.py) while this one builds SQLite's."""
    out: dict[str, dict[str, databases.Built]] = {}
    child = None
    descriptor, name = tempfile.mkstemp(prefix="qa-bench-built-", suffix=".json")
    os.close(descriptor)
    handoff = Path(name)
    if "postgresql" in backends and "sqlite" in backends:
        command = [sys.executable, "-m", "bench.build", "postgresql", str(handoff), *labels]
        child = subprocess.Popen(command + (["--rebuild"] if rebuild else []), cwd=data.ROOT)
    try:
        for backend in backends:
            if child is None or backend != "postgresql":
                out[backend] = _ensure_all(backend, labels, rebuild, say)
        if child is not None:
            if child.wait() != 0:
                raise RuntimeError("building the PostgreSQL databases failed (see above)")
            raw = json.loads(handoff.read_text(encoding="utf-8"))
            out["postgresql"] = {label: databases.Built(**raw[label]) for label in labels}
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
        handoff.unlink(missing_ok=True)
    return out


def _ensure_all(
    backend: str, labels: list[str], rebuild: bool, say: Callable[[str], None]
) -> dict[str, databases.Built]:
    def log(message: str) -> None:
        say(f"  [{backend}] {message}")

    return {label: databases.ensure(backend, label, log=log, rebuild=rebuild) for label in labels}


@dataclass
class Run:
    """One backend's measuring: what it measures on, and the rows it has written so far."""

    backend: str
    urls: dict[str, str]
    args: argparse.Namespace
    say: Callable[[str], None]
    results: list[Result] = field(default_factory=list)
    timings: list[report.Timing] = field(default_factory=list)

    @property
    def big(self) -> str:
        return list(self.urls)[-1]

    @property
    def reps(self) -> int:
        return int(self.args.repetitions or (3 if self.args.quick else 7))

    def add(self, *row: Any) -> None:
        self.results.append(Result(self.backend, *row))


def measure_backend(
    backend: str,
    built_databases: dict[str, databases.Built],
    args: argparse.Namespace,
    say: Callable[[str], None],
) -> list[Result]:
    run = Run(backend, {label: built.url for label, built in built_databases.items()}, args, say)
    for label, built in built_databases.items():
        run.add(
            f"database {label}",
            "built" if built.built else "reused",
            f"{built.seconds:,.0f} s" if built.built else "-",
            None,
            {"url": built.url.split("@")[-1], "built_seconds": round(built.seconds, 1)},
        )
    for step, what, target in (
        (report_vs_floor, "report vs SQL of every figure", f"<= {REPORT_TARGET}x"),
        (scale, "scale", f"<= {SCALE_TARGET}x"),
        (memory_step, "memory", f"<= {MEMORY_TARGET_MB:.0f} MB"),
        (importing_step, "import 10,000 CSV rows", f"< {IMPORT_TARGET_S:.0f} s"),
        (steps.cold_page, "cold report page with its charts", steps.COLD_TARGET_TEXT),
        (pages, "pages under load", steps.PAGE_TARGET_TEXT),
        (steps.working_day, "working day", steps.DAY_TARGET_TEXT),
        (steps.scale_out, "scale-out", steps.SCALE_OUT_TARGET_TEXT),
    ):
        if step is scale and (args.quick or not run.timings):
            continue
        if step is steps.scale_out and backend != "postgresql":
            continue
        try:
            step(run)
        except Exception as error:  # one broken part must not lose the other figures
            say(f"  {what} failed: {type(error).__name__}: {error}")
            first_line = (str(error).strip().splitlines() or [""])[0][:160]
            run.add(
                what,
                f"ERROR {type(error).__name__}: {first_line}",
                target,
                False,
                {"error": traceback.format_exc()[-4000:]},
            )
    return run.results


def report_vs_floor(run: Run) -> None:
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
        # The target: the report against the least SQL of all its figures (bench/report.py
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


def scale(run: Run) -> None:
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


def memory_step(run: Run) -> None:
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


def importing_step(run: Run) -> None:
    run.say("  import of 10,000 CSV rows into a fresh database")
    imported = importing.run(run.backend)
    run.add(
        "import 10,000 CSV rows",
        f"{imported['seconds']:.2f} s ({imported['rows_per_second']:,.0f} rows/s)",
        f"< {IMPORT_TARGET_S:.0f} s",
        imported["seconds"] < IMPORT_TARGET_S,
        imported,
    )


def pages(run: Run) -> None:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k database only, fewer repetitions")
    parser.add_argument(
        "--backend",
        choices=databases.BACKENDS,
        action="append",
        help="measure only this database kind (repeatable)",
    )
    parser.add_argument("--repetitions", type=int, help="timed repetitions of each report")
    parser.add_argument("--requests", type=int, help="requests per endpoint under load")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients under load")
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="write pyinstrument profiles of the reports to bench/results/",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    RESULTS.mkdir(parents=True, exist_ok=True)
    info = machine()
    backends = list(args.backend or databases.BACKENDS)
    notes: list[str] = []
    if "postgresql" in backends and not databases.postgres_admin_url():
        if args.backend:
            parser.error("PostgreSQL needs QA_AUDIT_TEST_POSTGRES_URL: run `make bench`")
        backends.remove("postgresql")
        notes.append(
            "PostgreSQL not measured: QA_AUDIT_TEST_POSTGRES_URL is not set "
            "(`make bench` starts a server through scripts/with-postgres.sh)"
        )

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {message}", flush=True)

    results: list[Result] = []
    labels = ["10k"] if args.quick else ["10k", "100k", "1m"]
    say("databases:")
    built = build_databases(backends, labels, args.rebuild, say)
    for backend in backends:
        say(f"{backend}:")
        if backend == "postgresql":
            url = databases.postgres_admin_url()
            assert url
            info["postgresql"] = databases.server_version(url)
        results.extend(measure_backend(backend, built[backend], args, say))

    elapsed = time.perf_counter() - started
    info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print()
    print(render(results, info, elapsed, notes))
    document = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "arguments": sys.argv[1:] if argv is None else argv,
        "machine": info,
        "elapsed_seconds": round(elapsed, 1),
        "data": {
            "end_month": data.END_MONTH,
            "months": data.MONTHS,
            "recent_months": data.RECENT_MONTHS,
            "recent_audits_per_month": data.RECENT_PER_MONTH,
            "schema_key": data.schema_key(),
        },
        "notes": notes,
        "results": [r.as_json() for r in results],
    }
    out = RESULTS / "latest.json"
    out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {out.relative_to(data.ROOT)}")
    missed = [r for r in results if r.passed is False]
    # A missed target is a finding to read in the table, not a failure of the run.
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
