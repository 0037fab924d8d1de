"""Every wait on PostgreSQL is bounded by default: making a connection, one statement, a free
connection in the pool; a database that is down or hung answers with an error in seconds
instead of holding every worker for ever (issue 14, finding 4). A URL's own options win."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from qa_audit.core.engine_options import NO_PARALLEL_PLANS, engine_options
from qa_audit.core.extensions import db
from tests.databases import base_url, is_postgres

POSTGRES = "postgresql+psycopg://qa@db.internal/qa_audit"
DEFAULTS = {"connect_timeout": 5, "statement_timeout": 30, "pool_timeout": 10}

needs_postgres = pytest.mark.skipif(
    not is_postgres(), reason="needs QA_AUDIT_TEST_DATABASE_URL to be PostgreSQL"
)


def test_postgres_connections_are_bounded_by_default() -> None:
    options = engine_options(POSTGRES, **DEFAULTS)
    assert options == {
        "pool_pre_ping": True,
        "pool_timeout": 10,
        "connect_args": {
            "connect_timeout": 5,
            "options": f"{NO_PARALLEL_PLANS} -c statement_timeout=30000",
        },
    }


def test_a_timeout_of_zero_is_none() -> None:
    options = engine_options(POSTGRES, connect_timeout=0, statement_timeout=0, pool_timeout=0)
    assert options == {"pool_pre_ping": True, "connect_args": {"options": NO_PARALLEL_PLANS}}


def test_a_url_keeps_its_own_connect_timeout_and_options() -> None:
    url = f"{POSTGRES}?connect_timeout=20&options=-c%20search_path%3Daudit"
    assert engine_options(url, **DEFAULTS)["connect_args"] == {}


def test_sqlite_has_no_postgres_options() -> None:
    assert engine_options("sqlite:///qa-audit.sqlite", **DEFAULTS) == {"pool_pre_ping": True}


def test_a_database_that_never_answers_fails_within_the_connect_timeout() -> None:
    """A server that accepts the connection and then says nothing, as a hung PostgreSQL
    does: without connect_timeout the worker waits for ever."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        url = f"postgresql+psycopg://qa@127.0.0.1:{port}/qa_audit"
        engine = create_engine(url, **engine_options(url, **{**DEFAULTS, "connect_timeout": 2}))
        outcome: list[BaseException | None] = []

        def connect() -> None:
            try:
                engine.connect().close()
                outcome.append(None)
            except BaseException as error:  # whatever it is, the test looks at it
                outcome.append(error)

        started = time.monotonic()
        attempt = threading.Thread(target=connect, daemon=True)
        attempt.start()
        attempt.join(timeout=20)
        assert outcome, "the connection was still waiting after 20 seconds"
        assert isinstance(outcome[0], OperationalError)
        assert time.monotonic() - started < 10
        engine.dispose()


@needs_postgres
def test_the_applications_postgres_sessions_carry_the_timeouts(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        assert connection.scalar(text("SHOW statement_timeout")) == "30s"
        assert connection.scalar(text("SHOW max_parallel_workers_per_gather")) == "0"
        assert db.engine.pool.timeout() == 10  # type: ignore[attr-defined]


@needs_postgres
def test_a_postgres_url_with_its_own_options_keeps_them() -> None:
    url = f"{base_url()}?options=-c%20statement_timeout%3D1234"
    engine = create_engine(url, **engine_options(url, **DEFAULTS))
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW statement_timeout")) == "1234ms"
    finally:
        engine.dispose()


def test_the_engine_options_follow_a_url_set_after_the_settings_were_read() -> None:
    """A settings object whose PostgreSQL URL was set after it was made (as the benchmark
    does) kept SQLite's engine options: no statement timeout and parallel plans."""
    from qa_audit import create_app
    from qa_audit.core.config import Config

    config = Config()
    config.SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://qa@127.0.0.1:1/qa"
    app = create_app(config)
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"]
    assert NO_PARALLEL_PLANS in options
    assert "statement_timeout" in options
