"""The database-failure log: one line per failure, repeats within the window counted."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError

from qa_audit.core.database_failures import FailureLog, first_line


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def refused(port: int) -> OperationalError:
    driver = Exception(
        f'connection to server at "127.0.0.1", port {port} failed: Connection refused\n'
        "\tIs the server running on that host and accepting TCP/IP connections?"
    )
    return OperationalError("SELECT 1", {}, driver)


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "qa_audit.database"]


def test_first_line_is_the_drivers_own(caplog: pytest.LogCaptureFixture) -> None:
    assert first_line(refused(5432)) == (
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )
    assert first_line(RuntimeError("")) == "RuntimeError"


def test_repeats_within_the_window_are_counted_not_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    clock = Clock()
    log = FailureLog(window=60, clock=clock)
    for _ in range(100):
        log.failed(refused(5432))
        clock.now += 0.5  # two failing requests a second for 50 seconds
    assert lines(caplog) == [
        'database unavailable: connection to server at "127.0.0.1", port 5432 failed: '
        "Connection refused"
    ]
    clock.now += 11  # the window has passed: written again, with what was left out
    log.failed(refused(5432))
    assert lines(caplog)[-1].endswith(
        "Connection refused (99 more failures not logged before this)"
    )
    log.failed(refused(5433))  # a different failure is written at once
    assert len(lines(caplog)) == 3
    log.failed(refused(5433))
    log.answered()
    assert lines(caplog)[-1] == (
        "database available again (1 more failures not logged before this)"
    )
    log.answered()  # nothing failed since: nothing to say
    assert len(lines(caplog)) == 4
    assert all(r.exc_info is None for r in caplog.records)
