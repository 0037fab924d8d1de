"""Hypothesis settings for the property tests (modest example counts, no deadline: the
database is in the loop), and a tally of the inputs tried, printed at the end of the run."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "qa-audit",
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis folder in the tree; a failure prints its reproduction
    print_blob=True,
    # The db/client fixtures are per test, shared by its examples on purpose: each example
    # makes what it needs, and the test's transaction is rolled back at the end.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("qa-audit")

TRIED: Counter[str] = Counter()


def tally(name: str) -> None:
    """Count one input tried by the property test ``name``."""
    TRIED[name] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TRIED:
        terminalreporter.write_line(
            f"property tests: {sum(TRIED.values())} inputs tried "
            f"({', '.join(f'{k} {v}' for k, v in sorted(TRIED.items()))})"
        )
