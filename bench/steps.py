"""The benchmark's steps that speak for the users' day: the cold report page with its charts,
a working day of autosaving auditors and readers, and two app servers on one PostgreSQL.
Each takes the backend's run (bench/__main__.py ``Run``) and adds its rows to it."""

from __future__ import annotations

import statistics
from typing import Any

from bench import cold_report, day, report, scaleout

PAGE_TARGET = 3.0  # a page's p95 over the signed-in baseline's, at 16 clients
PAGE_TARGET_TEXT = f"p95 <= {PAGE_TARGET:.0f}x baseline, 0 errors"
COLD_TARGET = 2.0
COLD_TARGET_TEXT = f"<= {COLD_TARGET:.0f}x"
DAY_TARGET = 3.0
DAY_TARGET_TEXT = f"p95 <= {DAY_TARGET:.0f}x baseline, 0 errors, 0 lost saves"
SCALE_OUT_TARGET_TEXT = "same figures, shared sessions, 0 errors"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def cold_page(run: Any) -> None:
    """The cold report page (3 months, on the largest database) with every chart image, over
    build_period_report alone; the cache emptied before each."""
    period = report.latest(3)
    reps = max(3, run.reps - 2)
    run.say(f"  cold report page with its charts vs its figures ({run.big} db, {reps} repetitions)")
    cold = cold_report.measure(run.urls[run.big], period, reps)
    run.add(
        f"cold report page with its {cold.charts} charts vs its figures alone, "
        f"{period.label} ({run.big} db)",
        f"{_ms(cold.page)} / {_ms(cold.figures)} = {cold.ratio:.2f}x "
        f"(drawing the charts alone {_ms(cold.drawing)})",
        COLD_TARGET_TEXT,
        cold.ratio <= COLD_TARGET,
        {
            "page_ms": [round(s * 1000, 2) for s in cold.page_seconds],
            "figures_ms": [round(s * 1000, 2) for s in cold.figures_seconds],
            "drawing_charts_ms": [round(s * 1000, 2) for s in cold.drawing_seconds],
            "charts": cold.charts,
            "ratio": round(cold.ratio, 3),
        },
    )


def working_day(run: Any) -> None:
    label = "10k" if run.args.quick else "100k"
    saves, reads = (3, 12) if run.args.quick else (8, 32)
    run.say(
        f"  working day on the {label} database: {day.AUDITORS} auditors x {saves} autosaves, "
        f"{day.READERS} readers x {reads} pages"
    )
    result = day.run(run.urls[label], saves=saves, reads=reads)
    baseline = result.kinds["baseline"]
    detail: dict[str, Any] = {
        name: kind.as_json() for name, kind in result.kinds.items() if kind.latencies
    }
    detail["seconds"] = round(result.seconds, 1)
    detail["lost_saves"] = result.lost
    detail["errors"] = result.errors
    total = sum(len(k.latencies) for k in result.kinds.values())
    run.add(
        f"information: working day, signed-in baseline ({label} db)",
        f"p95 {_ms(baseline.p95)}; {total:,} requests in {result.seconds:,.0f} s",
        "(no target)",
        None,
        detail,
    )
    for name in ("report page", "autosave"):
        kind = result.kinds[name]
        ratio = kind.p95 / baseline.p95
        run.add(
            f"working day: {name} ({label} db)",
            f"p95 {_ms(kind.p95)} = {ratio:.1f}x baseline; {result.errors} errors, "
            f"{len(result.lost)} lost saves",
            DAY_TARGET_TEXT,
            ratio <= DAY_TARGET and not result.errors and not result.lost,
            {"p95_over_baseline": round(ratio, 2), **kind.as_json()},
        )


def scale_out(run: Any) -> None:
    label = "10k" if run.args.quick else "100k"
    requests = 120 if run.args.quick else 300
    run.say(f"  scale-out: two gunicorn instances on the {label} database, {requests} requests")
    out = scaleout.run(run.urls[label], requests=requests, clients=run.args.clients)
    rss = out.worker_rss_mb
    run.add(
        f"scale-out: 2 instances x 2 workers, one database ({label} db)",
        f"same figures {'yes' if out.same_figures else 'NO'}, sessions shared "
        f"{'yes' if out.sessions_shared else 'NO'}, {len(out.errors)} errors",
        SCALE_OUT_TARGET_TEXT,
        out.same_figures and out.sessions_shared and not out.errors,
        {"errors": len(out.errors), "error_examples": out.errors[:5]},
    )
    run.add(
        f"information: scale-out throughput, 1 vs 2 instances ({label} db)",
        f"{out.throughput[1]:,.0f}/s vs {out.throughput[2]:,.0f}/s (p95 {out.p95_ms[1]:,.0f} vs "
        f"{out.p95_ms[2]:,.0f} ms); worker RSS median {statistics.median(rss):,.0f} MB, "
        f"max {max(rss):,.0f} MB",
        "(no target)",
        None,
        {"throughput_per_s": out.throughput, "p95_ms": out.p95_ms, "worker_rss_mb": rss},
    )
