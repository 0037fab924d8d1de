"""How the service connects to its database: SQLAlchemy's engine options for a database URL.

For PostgreSQL every wait is bounded, so that a database that is down or hung answers with an
error in seconds instead of holding every gunicorn worker for ever: making a connection
(libpq's connect_timeout), one statement (the server's statement_timeout) and waiting for a
free connection in the pool (pool_timeout). A URL that carries its own connect_timeout or
options keeps them: the council's database administrator has the last word."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import make_url

# On a small server parallel plans cost more than they save, and for the report's joins
# PostgreSQL then prefers scanning every moderation ever recorded to the index-only look-ups
# of the period's audits (make bench: 3x slower on 1,000,000 audits; docs/benchmark.md).
NO_PARALLEL_PLANS = "-c max_parallel_workers_per_gather=0"


def engine_options(
    url: str, *, connect_timeout: int, statement_timeout: int, pool_timeout: int
) -> dict[str, Any]:
    """Engine options for ``url``; the timeouts are in seconds, 0 for none."""
    options: dict[str, Any] = {"pool_pre_ping": True}
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return options
    connect_args: dict[str, Any] = {}
    if connect_timeout and "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = connect_timeout
    if "options" not in parsed.query:
        server = [NO_PARALLEL_PLANS]
        if statement_timeout:
            server.append(f"-c statement_timeout={statement_timeout * 1000}")
        connect_args["options"] = " ".join(server)
    options["connect_args"] = connect_args
    if pool_timeout:
        options["pool_timeout"] = pool_timeout
    return options
