"""The probes a load balancer and monitoring poll: ``/healthz`` (liveness) and ``/readyz``
(readiness).

- ``/healthz`` answers ``ok`` while the process can answer at all. It touches nothing, so a
  database outage never makes a supervisor restart workers that would recover by themselves.
- ``/readyz`` answers ``ready`` only when the database answers within a couple of seconds
  and its schema is this release's (migrations at head); otherwise 503 with a short reason.
  A load balancer stops sending people to a worker that is not ready.

Both answer in plain text, read no session or signed-in person, hold no case data and write
nothing to the access log. They answer on any Host: they are polled by address
(``curl http://127.0.0.1:8000/readyz``, a load balancer's health check) and build no links,
which is all the trusted-hosts check protects."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from qa_audit.core import database_failures
from qa_audit.core.db import READS_ONLY
from qa_audit.core.extensions import db
from qa_audit.core.schema_state import schema_state

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PROBES = frozenset({"/healthz", "/readyz"})
# The longest a readiness query may run (PostgreSQL's statement_timeout, milliseconds);
# reaching the server is bounded by the connect timeout of the settings.
READY_QUERY_MS = 2000
_PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


def readiness_problem() -> str | None:
    """Why this worker should not be sent requests now; None when it is ready."""
    try:
        # Reads only: on SQLite it then waits behind no writer (core/db.py).
        reads = db.engine.connect().execution_options(**{READS_ONLY: True})
        with reads as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SET LOCAL statement_timeout = {READY_QUERY_MS}"))
            connection.execute(text("SELECT 1"))
            state = schema_state(connection)
    except SQLAlchemyError as error:
        database_failures.failures.failed(error)
        return "database unavailable"
    database_failures.failures.answered()
    return state.readiness_problem()


class _AnyHostForProbes:
    """Lets the probes through the trusted-hosts check: for exactly their two paths the
    Host header is replaced by a trusted one before Flask reads it."""

    def __init__(self, wsgi_app: WSGIApplication, trusted: Callable[[], Iterable[str] | None]):
        self.wsgi_app = wsgi_app
        self.trusted = trusted

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        hosts = self.trusted()
        if hosts and environ.get("PATH_INFO") in PROBES:
            environ["HTTP_HOST"] = next(iter(hosts))
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """The two probes, answering on any Host."""
    app.wsgi_app = _AnyHostForProbes(  # type: ignore[method-assign]
        app.wsgi_app, lambda: app.config.get("TRUSTED_HOSTS")
    )

    @app.route("/healthz")
    def healthz() -> tuple[str, int, dict[str, str]]:
        """Liveness for load balancers and the benchmark; touches nothing."""
        return "ok", 200, {"Content-Type": "text/plain"}

    @app.route("/readyz")
    def readyz() -> tuple[str, int, dict[str, Any]]:
        """Readiness: the database answers and is at this release's migrations."""
        problem = readiness_problem()
        if problem is None:
            return "ready", 200, _PLAIN
        return problem, 503, {**_PLAIN, "Retry-After": "10"}
