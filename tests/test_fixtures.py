"""The test harness itself: what a test commits stays inside its own transaction."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from tests import factories


def test_commits_in_a_test_and_its_requests_are_invisible_outside_it(
    app: Flask, db, client: FlaskClient
) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.ADMIN, email="harness@example.org")
    db.session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302  # the request saw the test's user
    # The request's commit (last sign-in time) is visible to the test...
    db.session.expire_all()
    assert db.session.scalar(select(User.last_sign_in_at).where(User.id == user.id)) is not None
    # ...but not to any other connection: the test's transaction is never committed.
    outsider = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        with outsider.connect() as connection:
            found = connection.execute(
                text("SELECT count(*) FROM user_account WHERE email = 'harness@example.org'")
            ).scalar_one()
        assert found == 0
    finally:
        outsider.dispose()
