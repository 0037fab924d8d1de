"""Sign in, sign out (here or everywhere), one's sign-in sessions, change password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from qa_audit.auth import break_glass, services, sessions, signins, throttle
from qa_audit.auth.forms import ChangePasswordForm, SignInForm
from qa_audit.auth.next_page import safe_next
from qa_audit.auth.passwords import verify_password
from qa_audit.core.errors import DomainError
from qa_audit.core.forms import apply_domain_error, form_status
from qa_audit.core.transaction import attempt

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        if throttle.is_throttled(email):
            apply_domain_error(form, DomainError(throttle.SIGN_IN_THROTTLED, "email"))
            return render_template("auth/sign_in.html", form=form), 429
        try:
            user = services.authenticate(email, form.password.data or "")
        except DomainError as error:
            throttle.count_failure(email)
            apply_domain_error(form, error)
        else:
            throttle.clear_account(email)
            sessions.begin(user)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
    return render_template("auth/sign_in.html", form=form), form_status(form)


# A part above this one whose sign-ins happen elsewhere (single sign-on) registers, in the
# app's extensions, a function naming where signing out here goes on to (or None); it is
# asked before the session ends, while it can still read what it kept there.
SIGN_OUT_ONWARD = "qa_audit.sign_out_onward"


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> ResponseReturnValue:
    onward = current_app.extensions.get(SIGN_OUT_ONWARD)
    destination = onward() if onward is not None else None
    sessions.finish()
    flash("You have signed out", "info")
    return redirect(destination or url_for("auth.sign_in"))


@bp.route("/account/sessions")
@login_required
def sign_in_sessions() -> ResponseReturnValue:
    token = sessions.current_token() or ""
    records = signins.live_sessions(current_user._get_current_object())
    listed = [(record, signins.is_current(record, token)) for record in records]
    return render_template("auth/sessions.html", sessions=listed)


@bp.route("/account/sessions/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere() -> ResponseReturnValue:
    signins.end_all(current_user._get_current_object())
    sessions.finish()
    flash("You have signed out on every device and browser", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    user = current_user._get_current_object()  # the User itself, not flask-login's proxy
    if not break_glass.password_allowed(user):
        flash(break_glass.PASSWORD_OFF, "info")
        return redirect(url_for("home.index"))
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data or ""):
            apply_domain_error(
                form, DomainError("Your current password is not right", "current_password")
            )
        else:
            with attempt(form, "new_password") as outcome:
                services.set_password(user, user, form.new_password.data or "")
            if outcome.ok:
                sessions.begin(user)  # every session ended; this browser goes on in a new one
                flash("Your password has been changed", "success")
                return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form), form_status(form)
