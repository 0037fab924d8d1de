"""The database goes away under a signed-in person: a styled 503 page drawn without it, one
line in the log (not a traceback per request), and the service recovers when it returns.

Real failures only: an SQLite file whose folder disappears, a PostgreSQL address where nothing
listens, and a "hung" server (a loopback socket that accepts and never answers), which the
connect timeout of the settings must cut short. The suite's own database is never broken:
each test has an app on its own SQLite file."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from qa_audit import create_app
from qa_audit.auth.roles import Role
from qa_audit.core import database_failures
from qa_audit.core.config import TestConfig
from qa_audit.core.database_failures import FailureLog
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.conftest import RequestClient, make_migrated_app
from tests.databases import fresh_database, is_postgres

HEADING = "Sorry, there is a problem with the service"
SESSION_COOKIE = "qa_audit_session"


@pytest.fixture(autouse=True)
def fresh_failure_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with nothing logged yet (the log's window outlives a test)."""
    monkeypatch.setattr(database_failures, "failures", FailureLog())


@pytest.fixture
def data_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def own_app(data_folder: Path) -> Iterator[Flask]:
    """An app on an SQLite file of its own, in a folder the test may take away."""
    app = make_migrated_app(f"sqlite:///{data_folder / 'qa-audit.sqlite'}")
    app.config["PROPAGATE_TEST_ERRORS"] = False  # as in production: errors become pages

    @app.route("/statement-fails")
    def statement_fails() -> str:
        """A statement the database refused to finish (PostgreSQL's statement_timeout)."""
        raise OperationalError("SELECT 1", {}, Exception("canceling statement due to timeout"))

    @app.route("/broken")
    def broken() -> str:
        """A fault of the code, at a moment the database also goes away."""
        take_away(app, data_folder)
        raise RuntimeError("broken half way")

    yield app
    with app.app_context():
        _db.engine.dispose()


def signed_in(app: Flask) -> tuple[FlaskClient, str]:
    """A client of ``app`` signed in as a QA lead, and the person's name."""
    with app.app_context():
        person = factories.user(Role.QA_LEAD, name="Robin Outage")
        _db.session.commit()
        email = person.email
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    return client, "Robin Outage"


def take_away(app: Flask, folder: Path) -> Path:
    """The database file's folder disappears (a lost mount, a deleted volume)."""
    with app.app_context():
        _db.engine.dispose()  # no connection kept open on the old file
    gone = folder.with_name("gone")
    folder.rename(gone)
    return gone


def app_on(url: str, connect_timeout: int | None = None) -> Flask:
    """An app whose database is at ``url`` (which does not answer)."""
    config = TestConfig(database_url=url)
    if connect_timeout is not None:
        config.DB_CONNECT_TIMEOUT = connect_timeout
        config.set_engine_options()
    app = create_app(config)
    app.test_client_class = RequestClient
    app.config["PROPAGATE_TEST_ERRORS"] = False
    return app


def with_cookie_of(signed: FlaskClient, app: Flask) -> FlaskClient:
    """A client of ``app`` carrying ``signed``'s sign-in cookie (same secret key)."""
    cookie = signed.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    client = app.test_client()
    client.set_cookie(SESSION_COOKIE, cookie.value)
    return client


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again: connections are refused


@pytest.fixture
def hung_server() -> Iterator[int]:
    """A loopback port whose server accepts connections and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)  # the kernel completes the handshakes; nobody ever answers
        yield int(server.getsockname()[1])


def assert_service_problem(response, name: str) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert f'<h1 class="govuk-heading-l">{HEADING}</h1>' in html
    assert "Try again later" in html
    assert "govuk-template__body" in html  # the GOV.UK layout, styled
    assert "/static/app.css" in html
    assert "govuk-footer" in html
    assert name not in html  # nobody's name: it would have come from the database
    assert "Sign out" not in html
    assert "Traceback" not in html
    assert response.headers["Retry-After"]
    assert response.headers["Content-Security-Policy"]
    return html


def problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_signed_in_page_on_a_vanished_sqlite_file_is_a_styled_503(
    own_app: Flask, data_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client, name = signed_in(own_app)
    gone = take_away(own_app, data_folder)
    caplog.set_level(logging.DEBUG)
    assert_service_problem(client.get("/"), name)
    (line,) = problems(caplog)
    assert line.getMessage() == "database unavailable: unable to open database file"
    assert line.exc_info is None  # one line, no traceback
    # The database returns: the same worker serves the page again, no restart.
    gone.rename(data_folder)
    assert client.get("/").status_code == 200


def test_repeated_failures_log_one_line(
    own_app: Flask, data_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = signed_in(own_app)
    take_away(own_app, data_folder)
    caplog.set_level(logging.DEBUG)
    for _ in range(25):
        assert client.get("/").status_code == 503
    assert client.get("/audit-list").status_code == 503
    assert client.get("/readyz").status_code == 503
    # Before, every request wrote the full chained traceback (hundreds of lines each).
    assert len(problems(caplog)) == 1
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Traceback" not in text
    assert len(caplog.text.splitlines()) <= 3


def test_a_database_address_where_nothing_listens_is_a_styled_503(
    own_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    signed, name = signed_in(own_app)
    port = closed_port()
    down = app_on(f"postgresql+psycopg://qa_audit@127.0.0.1:{port}/qa_audit")
    client = with_cookie_of(signed, down)
    caplog.set_level(logging.DEBUG)
    assert_service_problem(client.get("/"), name)
    (line,) = problems(caplog)
    assert line.getMessage().startswith("database unavailable: connection failed:")
    assert "Connection refused" in line.getMessage()
    assert "\n" not in line.getMessage()
    # The API answers in JSON, with the same status.
    api = down.test_client().get("/api/v1/audits", headers={"Authorization": "Bearer x"})
    assert api.status_code == 503
    assert api.is_json


def test_a_hung_database_is_cut_short_by_the_connect_timeout(
    own_app: Flask, hung_server: int
) -> None:
    signed, name = signed_in(own_app)
    hung = app_on(f"postgresql+psycopg://qa_audit@127.0.0.1:{hung_server}/qa", connect_timeout=2)
    client = with_cookie_of(signed, hung)
    started = time.monotonic()
    response = client.get("/")
    waited = time.monotonic() - started
    assert_service_problem(response, name)
    # Without a connect timeout the worker waits for ever (this test would hang).
    assert waited < 6, f"waited {waited:.1f} s"


def test_a_database_error_inside_a_view_is_the_same_503(
    own_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client, name = signed_in(own_app)
    caplog.set_level(logging.DEBUG)
    assert_service_problem(client.get("/statement-fails"), name)
    (line,) = problems(caplog)
    assert line.getMessage() == "database unavailable: canceling statement due to timeout"
    # The database itself is fine: the next page is drawn as usual, signed in.
    page = client.get("/")
    assert page.status_code == 200
    assert name in page.get_data(as_text=True)


def test_an_unexpected_error_is_the_same_page_as_a_500(
    own_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client, name = signed_in(own_app)
    caplog.set_level(logging.DEBUG)
    response = client.get("/broken")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert f'<h1 class="govuk-heading-l">{HEADING}</h1>' in html
    assert "govuk-template__body" in html
    assert name not in html
    assert "broken half way" not in html
    # An error of the code (not the database's) keeps its traceback in the log.
    (line,) = problems(caplog)
    assert line.exc_info is not None


@pytest.mark.skipif(not is_postgres(), reason="a connection ended by the server: PostgreSQL's")
def test_a_connection_lost_before_the_commit_is_the_same_503(tmp_path: Path) -> None:
    """The view's work is done, then the server ends its connection (a restart, a failover):
    the commit fails after the view, and the page still says to try again later."""
    with fresh_database(tmp_path, "lost") as url:
        app = make_migrated_app(url)
        app.config.update(PROPAGATE_TEST_ERRORS=False, PROPAGATE_EXCEPTIONS=False)
        administrator = create_engine(url)

        @app.route("/connection-lost")
        def connection_lost() -> str:
            backend = _db.session.scalar(text("SELECT pg_backend_pid()"))
            with administrator.connect() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:p)"), {"p": backend})
            return "done"

        try:
            response = app.test_client().get("/connection-lost")
            assert_service_problem(response, "nobody")
            assert app.test_client().get("/readyz").status_code == 200  # the next is fine
        finally:
            administrator.dispose()
            with app.app_context():
                _db.engine.dispose()
