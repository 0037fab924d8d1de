"""After a one-time password: nothing but choosing a new password (or signing out) works."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.auth import break_glass, sessions

ALLOWED = frozenset(
    {
        "auth.change_password",
        "auth.sign_out",
        "auth.sign_out_everywhere",
        "static",
        "govuk_assets",
        "healthz",
        "readyz",
    }
)


def require_new_password() -> ResponseReturnValue | None:
    """Send a person signed in with a one-time password to the change-password page."""
    if request.endpoint in ALLOWED or sessions.is_token_only():
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if not break_glass.password_allowed(current_user):
        return None  # signed in with the council's account: no password of ours to choose
    flash("Choose a new password before you continue", "info")
    return redirect(url_for("auth.change_password"))
