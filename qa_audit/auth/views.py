"""Sign in, sign out, change password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from qa_audit.auth import services
from qa_audit.auth.forms import ChangePasswordForm, SignInForm
from qa_audit.auth.passwords import verify_password
from qa_audit.core.errors import DomainError
from qa_audit.core.forms import apply_domain_error, form_status
from qa_audit.core.transaction import attempt, keep_work

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data or "", form.password.data or "")
        except DomainError as error:
            # The failed attempt is counted (and may lock the account) although the page
            # refuses: kept, not rolled back.
            keep_work()
            apply_domain_error(form, error)
        else:
            session.clear()  # a fresh session on sign-in (no fixation)
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("auth/sign_in.html", form=form), form_status(form)


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> ResponseReturnValue:
    logout_user()
    session.clear()
    flash("You have signed out", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    user = current_user._get_current_object()  # the User itself, not flask-login's proxy
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data or ""):
            apply_domain_error(
                form, DomainError("Your current password is not right", "current_password")
            )
        else:
            with attempt(form, "new_password") as outcome:
                services.set_password(user, user, form.new_password.data or "")
            if outcome.ok:
                login_user(user)  # the session token changed; keep this session
                flash("Your password has been changed", "success")
                return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form), form_status(form)
