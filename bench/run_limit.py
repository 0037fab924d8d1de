"""The benchmark's own limit: `make bench` ends within 15 minutes, building any database it has
to, so that it is run whenever the code changes rather than put off. A target for the run
`make bench` makes (both databases, the default sizes, repetitions, requests and clients, with
or without rebuilding); a narrower or wider run (``--quick``, one ``--backend``, other counts,
``--profile``) gets the same row as information, since its time says nothing of the limit."""

from __future__ import annotations

import argparse

from bench.table import Result

RUN_LIMIT_MINUTES = 15
DEFAULT_CLIENTS = 16


def is_full_run(args: argparse.Namespace, backends: list[str]) -> bool:
    """Whether these arguments make the run `make bench` makes."""
    narrowed = args.quick or args.backend or args.profile
    counts_changed = args.repetitions or args.requests or args.clients != DEFAULT_CLIENTS
    return not (narrowed or counts_changed) and "postgresql" in backends


def run_limit_row(elapsed: float, args: argparse.Namespace, backends: list[str]) -> Result:
    """The row of the run's time from start to the table, against the limit."""
    full = is_full_run(args, backends)
    minutes = elapsed / 60
    return Result(
        "all",
        ("" if full else "information: ") + "`make bench` end to end",
        f"{minutes:.1f} minutes ({', '.join(backends)})",
        f"< {RUN_LIMIT_MINUTES} minutes" if full else "(no target: not the full run)",
        minutes < RUN_LIMIT_MINUTES if full else None,
        {"elapsed_seconds": round(elapsed, 1), "full_run": full, "backends": backends},
    )
