"""What the log says when the database cannot be reached.

While the database is down or hung every request fails the same way. Each failure used to
write a chained traceback of a few hundred lines, so an hour's outage buried everything else
in the log. Now a failure writes one line, ``database unavailable: <the driver's first line>``,
and the same failure again within ``WINDOW`` seconds is only counted: the next line written
says how many were not, and so does the line saying the database answers again."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

# What an unreachable, hung, restarting or overloaded database raises: connection refused or
# lost, connect_timeout or statement_timeout reached, no pooled connection free in time.
UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError, PoolTimeout)
WINDOW = 60.0

logger = logging.getLogger("qa_audit.database")


def first_line(error: BaseException) -> str:
    """The driver's own message, first line only (SQLAlchemy appends the SQL and a link)."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    lines = str(cause).strip().splitlines()
    return lines[0].strip() if lines else type(cause).__name__


class FailureLog:
    """One line per failure, the same failure repeated within ``window`` seconds counted."""

    def __init__(self, window: float = WINDOW, clock: Callable[[], float] = time.monotonic):
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()  # gunicorn's threads share one process's log
        self._last_message: str | None = None
        self._last_written = 0.0
        self._unwritten = 0

    def failed(self, error: BaseException) -> None:
        """Log that the database could not be used (once per window for the same failure)."""
        message = first_line(error)
        now = self._clock()
        with self._lock:
            if message == self._last_message and now - self._last_written < self.window:
                self._unwritten += 1
                return
            unwritten, self._unwritten = self._unwritten, 0
            self._last_message, self._last_written = message, now
        suffix = f" ({unwritten} more failures not logged before this)" if unwritten else ""
        logger.error("database unavailable: %s%s", message, suffix)

    def answered(self) -> None:
        """The database answered: say so once if failures were logged since it last did."""
        with self._lock:
            if self._last_message is None:
                return
            unwritten, self._unwritten = self._unwritten, 0
            self._last_message = None
        suffix = f" ({unwritten} more failures not logged before this)" if unwritten else ""
        logger.warning("database available again%s", suffix)


# One per process: every worker reports its own outage once.
failures = FailureLog()
