"""/healthz (liveness) and /readyz (readiness), and `qa-audit db check`.

/readyz is ready only when the database answers within a couple of seconds and is at this
release's migrations; `db check` says where the database stands and exits 0 only at head.
The databases are real: the suite's, fresh ones migrated part of the way, an address where
nothing listens, and a loopback socket that accepts and never answers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from qa_audit import create_app
from qa_audit.auth.roles import Role
from qa_audit.core import database_failures
from qa_audit.core.config import MIGRATIONS, TestConfig
from qa_audit.core.database_failures import FailureLog
from qa_audit.core.extensions import db as _db
from tests.databases import fresh_database, is_postgres

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()
PREVIOUS = ScriptDirectory(str(MIGRATIONS)).get_revision(HEAD).down_revision
FUTURE = "9999_from_a_newer_release"


@pytest.fixture(autouse=True)
def fresh_failure_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_failures, "failures", FailureLog())


def app_at(url: str, revision: str | None, **settings: object) -> Flask:
    """An app on ``url``, its database migrated up to ``revision`` (None: not at all)."""
    config = TestConfig(database_url=url)
    for key, value in settings.items():
        setattr(config, key, value)
    if "DB_CONNECT_TIMEOUT" in settings:
        config.set_engine_options()
    app = create_app(config)
    if revision is not None:
        with app.app_context():
            upgrade(revision=revision)
    return app


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator:  # type: ignore[type-arg]
    """Apps on fresh databases of the suite's kind, disposed of afterwards."""
    made: list[Flask] = []
    with fresh_database(tmp_path, "ready") as url:

        def make(revision: str | None, **settings: object) -> Flask:
            made.append(app_at(url, revision, **settings))
            return made[-1]

        yield make
        for app in made:
            with app.app_context():
                _db.engine.dispose()


def stamp(app: Flask, revision: str) -> None:
    with app.app_context(), _db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def hung_server() -> Iterator[int]:
    """A loopback port whose server accepts connections and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield int(server.getsockname()[1])


def check(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["db", "check"])


# --- the suite's database: at head ---------------------------------------------------------


def test_ready_at_head(app: Flask) -> None:
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ready"
    assert response.mimetype == "text/plain"
    result = check(app)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Database at {HEAD}: up to date\n"


def test_liveness_touches_nothing(tmp_path: Path) -> None:
    """/healthz answers while the database is unreachable; /readyz does not."""
    down = app_at(f"postgresql+psycopg://qa_audit@127.0.0.1:{closed_port()}/qa_audit", None)
    client = down.test_client()
    assert client.get("/healthz").get_data(as_text=True) == "ok"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "database unavailable"
    assert response.headers["Retry-After"]


def test_probes_leave_a_signed_in_session_alone(login_as, client: FlaskClient) -> None:  # type: ignore[no-untyped-def]
    """No session work (the idle timeout would rewrite the cookie and read the person)."""
    login_as(Role.AUDITOR)
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path


def test_probes_answer_on_any_host(app: Flask) -> None:
    """A load balancer or `curl http://127.0.0.1:8000/readyz` polls by address, not by the
    service's name; pages are still answered on trusted hosts only."""
    trusting = app_at(
        app.config["SQLALCHEMY_DATABASE_URI"], None, TRUSTED_HOSTS=["qa-audit.example.gov.uk"]
    )
    client = trusting.test_client()
    try:
        for path, body in (("/healthz", "ok"), ("/readyz", "ready")):
            response = client.get(path, base_url="http://127.0.0.1:8000")
            assert response.status_code == 200, path
            assert response.get_data(as_text=True) == body
        assert client.get("/sign-in", base_url="http://127.0.0.1:8000").status_code == 400
        assert client.get("/readyz/", base_url="http://127.0.0.1:8000").status_code == 400
    finally:
        with trusting.app_context():
            _db.engine.dispose()


# --- databases behind, ahead, never migrated -----------------------------------------------


def test_a_database_behind_the_code(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(PREVIOUS)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == (
        f"migrations not at head: database at {PREVIOUS}, code at {HEAD}"
    )
    result = check(app)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Database at {PREVIOUS}, code at {HEAD}: behind: run qa-audit db upgrade\n"
    )
    with app.app_context():
        upgrade(revision="head")
    assert app.test_client().get("/readyz").status_code == 200  # no restart needed
    assert check(app).exit_code == 0


def test_a_database_ahead_of_the_code(make_app) -> None:  # type: ignore[no-untyped-def]
    """The rollback case: this older release started on an upgraded database."""
    app = make_app("head")
    stamp(app, FUTURE)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == (
        f"migrations not at head: database at {FUTURE}, code at {HEAD}"
    )
    result = check(app)
    assert result.exit_code == 1
    assert f"Database at {FUTURE}: ahead of this code ({FUTURE} unknown" in result.stderr
    assert "this release is older than the database" in result.stderr
    assert "restore the pre-upgrade backup" in result.stderr


def test_a_database_never_migrated(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(None)
    assert app.test_client().get("/readyz").status_code == 503
    result = check(app)
    assert result.exit_code == 1
    assert "no revision (never migrated)" in result.stderr
    assert "run qa-audit db upgrade" in result.stderr


def test_flask_migrates_own_check_is_kept_as_check_models(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["db", "check-models", "--help"])
    assert result.exit_code == 0
    assert "new operations to migrate" in result.stdout


# --- a database that does not answer -------------------------------------------------------


def test_db_check_on_an_unreachable_database(tmp_path: Path) -> None:
    down = app_at(f"postgresql+psycopg://qa_audit@127.0.0.1:{closed_port()}/qa_audit", None)
    result = check(down)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: database unavailable: connection failed")


def test_a_hung_database_is_not_ready_within_the_connect_timeout(hung_server: int) -> None:
    hung = app_at(
        f"postgresql+psycopg://qa_audit@127.0.0.1:{hung_server}/qa", None, DB_CONNECT_TIMEOUT=2
    )
    started = time.monotonic()
    response = hung.test_client().get("/readyz")
    waited = time.monotonic() - started
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "database unavailable"
    assert waited < 6, f"waited {waited:.1f} s"


@pytest.mark.skipif(not is_postgres(), reason="statement_timeout is PostgreSQL's")
def test_a_stuck_query_is_not_ready_within_two_seconds(app: Flask) -> None:
    """A readiness query waiting on a lock (here: on the migrations' own table) gives up."""
    locker = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    held = threading.Event()
    release = threading.Event()

    def hold_the_lock() -> None:
        with locker.begin() as connection:
            connection.execute(text("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE"))
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert held.wait(10)
        started = time.monotonic()
        response = app.test_client().get("/readyz")
        waited = time.monotonic() - started
        assert response.status_code == 503
        assert 1.5 < waited < 5, f"waited {waited:.1f} s"
    finally:
        release.set()
        holder.join()
        locker.dispose()
    assert app.test_client().get("/readyz").status_code == 200
