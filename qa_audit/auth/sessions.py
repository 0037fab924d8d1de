"""The browser's side of a sign-in: starting and ending it, and the inactivity timeout (a
session idle for longer than the configured minutes ends)."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from qa_audit.auth import signins
from qa_audit.auth.models import User
from qa_audit.auth.throttle import client_address

# Where flask-login keeps the signed-in id: here the sign-in session's token.
TOKEN_KEY = "_user_id"
# app.extensions key: the blueprints answering bearer tokens only (the API, SCIM).
_TOKEN_ONLY = "qa_audit.token_only_blueprints"


def token_only(app: Flask, blueprint: str) -> None:
    """Mark ``blueprint`` as answering bearer tokens alone: a browser session is neither read
    nor written there, so its answers set no cookie that a client would have to keep."""
    app.extensions.setdefault(_TOKEN_ONLY, set()).add(blueprint)


class BrowserSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that a token-only blueprint's answer never sets
    the cookie: Flask re-sends a permanent session's cookie on every request it comes with
    (SESSION_REFRESH_EACH_REQUEST), which at the API or SCIM would extend a browser's cookie
    from a request that does not use it."""

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if is_token_only():
            return False
        return super().should_set_cookie(app, session)


def is_token_only() -> bool:
    """Whether this request is to a blueprint answering bearer tokens alone."""
    return request.blueprint in current_app.extensions.get(_TOKEN_ONLY, ())


def begin(user: User) -> None:
    """Sign ``user`` in on this browser with a new server-side session."""
    token = signins.start(user, client_address(), request.user_agent.string)
    session.clear()  # a fresh session on sign-in (no fixation)
    login_user(user)
    session[TOKEN_KEY] = token


def current_token() -> str | None:
    token = session.get(TOKEN_KEY)
    return token if isinstance(token, str) else None


def finish() -> None:
    """Sign this browser out and end its server-side session."""
    token = current_token()
    if token is not None:
        signins.end(token)
    logout_user()
    session.clear()


def enforce_idle_timeout() -> ResponseReturnValue | None:
    """Sign out a session that has been idle too long; otherwise note this request's time."""
    if request.endpoint in ("static", "govuk_assets", "healthz", "readyz"):
        return None
    if is_token_only():
        return None
    if current_token() is not None and not current_user.is_authenticated:
        # Ended on the server: signed out everywhere, its absolute lifetime, deactivation.
        logout_user()
        flash("Your session has ended. Sign in again to continue", "info")
    now = int(time.time())
    limit = int(current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds())
    last = session.get("last_seen")
    if current_user.is_authenticated and last is not None and now - int(last) > limit:
        finish()
        flash(
            f"You were signed out because you were inactive for more than {limit // 60} minutes. "
            "Anything you saved is kept.",
            "info",
        )
        return redirect(
            url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None)
        )
    session.permanent = True
    session["last_seen"] = now
    return None
