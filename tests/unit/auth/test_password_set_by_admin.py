"""A password an administrator sets for someone on the server (`qa-audit users set-password`)
is known to the administrator: like a one-time password, the person must choose their own at
their first sign-in (issue 16, defect 12)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from tests import factories

GIVEN = "a server-side passphrase"


def test_a_password_set_on_the_server_must_be_changed_at_first_sign_in(
    app: Flask, client: FlaskClient, db: object
) -> None:
    user = factories.user(Role.AUDITOR, email="sam@example.org")
    db.session.commit()  # type: ignore[attr-defined]
    done = app.test_cli_runner().invoke(
        args=["users", "set-password", "sam@example.org"], input=GIVEN + "\n"
    )
    assert done.exit_code == 0, done.output
    assert "must choose a new password when they first sign in" in done.output
    assert user.must_change_password
    assert history(user)[-1].after == {"password": "set on the server, to be changed"}

    signed_in = client.post("/sign-in", data={"email": "sam@example.org", "password": GIVEN})
    assert signed_in.status_code == 302
    home = client.get("/")
    assert home.status_code == 302
    assert home.headers["Location"].endswith("/account/password")
    assert client.get("/account/password").status_code == 200


def test_the_persons_own_new_password_ends_the_rule(app: Flask, db: object) -> None:
    from qa_audit.auth.services import set_password

    user = factories.user(Role.AUDITOR, email="kim@example.org")
    db.session.commit()  # type: ignore[attr-defined]
    app.test_cli_runner().invoke(
        args=["users", "set-password", "kim@example.org"], input=GIVEN + "\n"
    )
    assert user.must_change_password
    set_password(user, user, "my very own passphrase")
    assert not user.must_change_password
