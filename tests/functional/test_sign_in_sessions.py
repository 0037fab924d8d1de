"""Server-side sign-in sessions: signing out ends the session for whoever holds the cookie; an
absolute lifetime and a server-side idle limit; one's own sessions and signing out everywhere."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.auth.signins import SignInSession
from qa_audit.core.clock import utcnow
from tests import factories

COOKIE = "qa_audit_session"


def signed_in(app: Flask, email: str, browser: str = "Test browser") -> FlaskClient:
    client = app.test_client()
    response = client.post(
        "/sign-in",
        data={"email": email, "password": factories.PASSWORD},
        headers={"User-Agent": browser},
    )
    assert response.status_code == 302
    return client


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another client holding the very same cookie (as one copied off a shared computer)."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    return thief


def records(db, user) -> list[SignInSession]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return list(db.session.scalars(select(SignInSession).where(SignInSession.user_id == user.id)))


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    client = signed_in(app, user.email)
    thief = copy_of(app, client)
    assert thief.get("/").status_code == 200  # the same session, for now
    assert client.post("/sign-out").status_code == 302
    after = thief.get("/")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/sign-in")
    [record] = records(db, user)
    assert record.revoked_at is not None


def test_each_sign_in_is_recorded_with_its_address_and_browser_and_only_a_hash(
    app: Flask, db
) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    client = signed_in(app, user.email, browser="Firefox on the office laptop")
    with client.session_transaction() as cookie_session:
        token = cookie_session["_user_id"]
    [record] = records(db, user)
    assert record.client_address == "127.0.0.1"
    assert record.user_agent == "Firefox on the office laptop"
    assert record.created_at == record.last_seen_at
    assert record.revoked_at is None
    # The database holds a hash: a copy of it (a backup) signs nobody in.
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in record.token_hash
    assert token != str(user.id)


def test_a_session_ends_after_its_absolute_lifetime_however_active(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    assert app.config["SESSION_ABSOLUTE_LIFETIME"] == timedelta(hours=12)
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    client = signed_in(app, user.email)
    [record] = records(db, user)
    record.created_at = utcnow() - timedelta(hours=11, minutes=59)
    record.last_seen_at = utcnow()
    db.session.commit()
    assert client.get("/").status_code == 200
    record.created_at = utcnow() - timedelta(hours=12, minutes=1)
    db.session.commit()
    ended = client.get("/")
    assert ended.status_code == 302
    assert ended.headers["Location"].startswith("/sign-in")
    assert records(db, user)[0].revoked_at is not None
    page = client.get(ended.headers["Location"]).get_data(as_text=True)
    assert "Your session has ended. Sign in again to continue" in page


def test_the_idle_timeout_is_kept_on_the_server_not_only_in_the_cookie(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    client = signed_in(app, user.email)
    [record] = records(db, user)
    # A cookie kept fresh (its own last-seen time is recent) cannot keep an idle session.
    record.last_seen_at = utcnow() - app.config["SESSION_IDLE_TIMEOUT"] - timedelta(minutes=2)
    db.session.commit()
    assert client.get("/").status_code == 302


def test_last_seen_is_brought_up_to_date(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    client = signed_in(app, user.email)
    [record] = records(db, user)
    record.last_seen_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert client.get("/").status_code == 200
    assert utcnow() - records(db, user)[0].last_seen_at < timedelta(minutes=1)


def test_the_sessions_page_lists_ones_own_live_sessions(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.VIEWER)
    someone_else = factories.user(Role.VIEWER)
    db.session.commit()
    here = signed_in(app, user.email, browser="Browser here")
    signed_in(app, user.email, browser="Browser on the phone")
    signed_in(app, someone_else.email, browser="Someone else's browser")
    ended = signed_in(app, user.email, browser="Browser signed out")
    ended.post("/sign-out")
    page = here.get("/account/sessions")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Your sign-in sessions" in html
    assert "Browser here" in html
    assert "Browser on the phone" in html
    assert "Someone else" not in html
    assert "Browser signed out" not in html
    assert html.count("This browser</strong>") == 1
    assert "Signed in (2)" in html
    assert 'href="/account/sessions"' in here.get("/").get_data(as_text=True)


def test_sign_out_everywhere_ends_every_session_of_the_person_only(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    someone_else = factories.user(Role.AUDITOR)
    db.session.commit()
    here, phone = signed_in(app, user.email), signed_in(app, user.email)
    other = signed_in(app, someone_else.email)
    response = here.post("/account/sessions/sign-out-everywhere")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert "You have signed out on every device and browser" in here.get("/sign-in").get_data(
        as_text=True
    )
    assert here.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    assert other.get("/").status_code == 200
    assert all(r.revoked_at is not None for r in records(db, user))


def test_deactivation_signs_the_person_out_at_once(app: Flask, login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.ADMIN)
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    theirs = signed_in(app, user.email)
    assert theirs.get("/").status_code == 200
    response = client.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert response.status_code == 302
    assert theirs.get("/").status_code == 302
    assert all(r.revoked_at is not None for r in records(db, user))
