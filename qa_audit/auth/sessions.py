"""Inactivity timeout: a session idle for longer than the configured minutes ends."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user


def enforce_idle_timeout() -> ResponseReturnValue | None:
    """Sign out a session that has been idle too long; otherwise note this request's time."""
    if request.endpoint in ("static", "govuk_assets", "healthz"):
        return None
    now = int(time.time())
    limit = int(current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds())
    last = session.get("last_seen")
    if current_user.is_authenticated and last is not None and now - int(last) > limit:
        logout_user()
        session.clear()
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
