"""The demo data set: reference data, one account per role and two years of plausible audits
(to the current month) so that a newcomer sees a living dashboard: about 40-60 audits a month
across the service areas, improving like the published figures (final Good about 9% at the
start, about 37% at the end, Inadequate about 5%), about 35% moderated (every Inadequate, a
sample of the rest; upheld, downgraded, upgraded), feedback, learning themes, actions (some
overdue), rota allocations, reflective conversations and dip samples.

Deterministic (one seeded random generator; the months follow the date), idempotent (nothing
is added when demo audits are there) and fast: rows go in by bulk INSERT, not one by one.

definition.py says what the set holds, generating.py makes the audits' rows, linked_records.py
what hangs off them, loading.py puts it all in; cli.py is ``qa-audit demo load``."""

from __future__ import annotations

from flask import Flask

from qa_audit.demo.cli import demo_group
from qa_audit.demo.definition import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount
from qa_audit.demo.loading import demo_loaded, load_demo, load_demo_audits

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DemoAccount",
    "demo_loaded",
    "init_app",
    "load_demo",
    "load_demo_audits",
]


def init_app(app: Flask) -> None:
    """The ``demo`` command group."""
    app.cli.add_command(demo_group)
