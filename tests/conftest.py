"""Fixtures: app (migrated database of the suite's kind), db (rolled back per test),
client, login_as(role). The database is QA_AUDIT_TEST_DATABASE_URL: SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from werkzeug.test import TestResponse

from qa_audit import create_app
from qa_audit.auth import passwords
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.config import TestConfig
from qa_audit.core.db import AppSession
from qa_audit.core.extensions import db as _db
from qa_audit.seed import load_reference_data
from tests import factories
from tests.databases import base_url, fresh_database


def pytest_report_header(config: pytest.Config) -> str:
    return f"qa-audit test database: {base_url().split('@')[-1]}"


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2id as in production, at test cost: the production parameters take ~0.2 s a
    hash and the suite creates and signs in hundreds of users."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))
        yield


class RequestClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without this a request reuses the test's app context, so ``g`` (and flask-login's
    user in it) and the database session would carry over from one request, or one
    client, to the next: a signed-out client would still be signed in."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def empty_report_cache() -> None:
    """Reports are cached per process by data version, and each test's rollback winds the
    version back: another test's figures must never be found under it."""
    from qa_audit.reports import cache

    cache.clear()


@pytest.fixture(autouse=True)
def empty_sign_in_throttle(app: Flask) -> None:
    """Failed sign-ins are counted per process by client address: one test's failures must
    never throttle another's sign-ins. (The limiter's store exists once an app is made.)"""
    from qa_audit.auth.throttle import limiter

    limiter.reset()


def make_migrated_app(url: str, **overrides: object) -> Flask:
    """An app on ``url`` upgraded to head with the reference data loaded."""
    config = TestConfig(database_url=url)
    for key, value in overrides.items():
        setattr(config, key, value)
    app = create_app(config)
    app.test_client_class = RequestClient
    with app.app_context():
        upgrade(revision="head")
        load_reference_data()
        _db.session.commit()
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with fresh_database(tmp_path_factory.mktemp("db"), "suite") as url:
        application = make_migrated_app(url)
        yield application
        with application.app_context():
            _db.engine.dispose()


class ConnectionBoundSession(AppSession):
    """Flask-SQLAlchemy's session, kept on the test's connection.

    Flask-SQLAlchemy's get_bind returns the app's engine whatever ``bind`` the session was
    given, so without this every query would take a new pooled connection: commits would
    outlive the test (and on SQLite meet the test's own lock)."""

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kw: Any) -> Any:
        return bind if bind is not None else self.bind


@pytest.fixture
def db(app: Flask) -> Iterator[object]:
    """The session for one test, inside a transaction that is rolled back afterwards."""
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "class_": ConnectionBoundSession,
            }
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask, db: object) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login_as(client: FlaskClient, db: object) -> Callable[..., User]:
    """Create a user with these roles and sign the test client in as them."""

    def sign_in(*roles: Role | str, **kwargs: object) -> User:
        user = factories.user(*roles, **kwargs)  # type: ignore[arg-type]
        _db.session.commit()
        response = client.post(
            "/sign-in", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return sign_in
