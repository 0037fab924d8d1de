"""`python -m bench` (`make bench`): build or reuse the databases, measure, print the table,
write bench/results/latest.json. `--quick`: the 10,000-audit database only, fewer repetitions.

Run through scripts/with-postgres.sh (as `make bench` does) to measure PostgreSQL as well as
SQLite; without QA_AUDIT_TEST_POSTGRES_URL only SQLite is measured, and the table says so."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench import data, databases, report, steps
from bench.database_builds import build_databases
from bench.machine import machine
from bench.measures import (
    IMPORT_TARGET_S,
    MEMORY_TARGET_MB,
    REPORT_TARGET,
    RESULTS,
    SCALE_TARGET,
    importing_step,
    memory_step,
    pages,
    report_vs_floor,
    scale,
)
from bench.run_limit import DEFAULT_CLIENTS, run_limit_row
from bench.table import Result, render

# The module's docstring is the command's --help; kept to the command. This module runs the
# steps in order for each database kind; the steps themselves are in measures.py (the report
# and the server) and steps.py (the users' day).


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
    parser.add_argument(
        "--clients", type=int, default=DEFAULT_CLIENTS, help="concurrent clients under load"
    )
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
    results.append(run_limit_row(elapsed, args, backends))
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
