"""Signing in through the council's identity provider: the way there, the way back (the
callback, a GET from the provider protected by its state), and where sign-out goes on to."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.auth import sessions
from qa_audit.auth.next_page import safe_next
from qa_audit.core.extensions import db
from qa_audit.core.transaction import keep_work
from qa_audit.single_sign_on import accounts, provider
from qa_audit.single_sign_on.provider import ProviderUnavailable, SignInRefused

bp = Blueprint("single_sign_on", __name__)
log = logging.getLogger(__name__)

# In the signed-in session: the ID token, kept as the hint for signing out at the provider.
ID_TOKEN_KEY = "single_sign_on_id_token"
SIGNED_IN_KEY = "single_sign_on"
# Entra ID's tokens with many groups are long; the session cookie must stay under 4 KB, and
# the hint is optional (the provider then asks which account to sign out).
ID_TOKEN_KEPT_UP_TO = 1800


def _address(endpoint: str) -> str:
    """An address of this service as people reach it (QA_AUDIT_BASE_URL), never built on the
    Host header a client sends: the provider only accepts the registered redirect URI."""
    return current_app.config["BASE_URL"] + url_for(endpoint)


def _unavailable(error: Exception) -> ResponseReturnValue:
    log.warning("identity provider not available: %s", error)
    return render_template("single_sign_on/unavailable.html"), 503


def _refused(refusal: SignInRefused) -> ResponseReturnValue:
    db.session.rollback()  # nothing of the refused sign-in is kept but its log entry
    accounts.log_refusal(refusal.claims, refusal.reason, refusal.user)
    keep_work()
    log.warning("sign-in through the identity provider refused: %s", refusal.reason)
    return render_template("single_sign_on/refused.html", message=refusal.message), 403


def start_address() -> str:
    """The sign-in page's button: the start of the flow, carrying the page the person asked
    for (the sign-in page's own ``next``) when it is a safe one."""
    return url_for("single_sign_on.start", next=safe_next(request.args.get("next")))


@bp.route("/sign-in/oidc")
def start() -> ResponseReturnValue:
    if not provider.configured():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    next_page = safe_next(request.args.get("next"))
    try:
        return provider.authorization_redirect(_address("single_sign_on.callback"), next_page)
    except ProviderUnavailable as error:
        return _unavailable(error)
    except SignInRefused as refusal:
        return _refused(refusal)


@bp.route("/sign-in/oidc/callback")
def callback() -> ResponseReturnValue:
    if not provider.configured():
        abort(404)
    try:
        # Kept with the state at the start, never read from the provider's answer; used only
        # if the sign-in succeeds.
        next_page = provider.kept_next_page()
        token = provider.verified_token()
        user = accounts.account_for(dict(token["userinfo"]))
    except ProviderUnavailable as error:
        return _unavailable(error)
    except SignInRefused as refusal:
        return _refused(refusal)
    sessions.begin(user)  # exactly as a password sign-in: a new server-side session
    session[SIGNED_IN_KEY] = True
    id_token = token.get("id_token")
    if isinstance(id_token, str) and len(id_token) <= ID_TOKEN_KEPT_UP_TO:
        session[ID_TOKEN_KEY] = id_token
    return redirect(safe_next(next_page) or url_for("home.index"))


# The provider's sign-out address, carried from signing out here to the page offering it.
ONWARD_KEY = "single_sign_on_onward"


def sign_out_onward() -> str | None:
    """Where signing out continues, when this browser signed in through the provider and
    QA_AUDIT_OIDC_SIGN_OUT_AT_PROVIDER is on: a page of ours offering the provider's
    end_session_endpoint. Not a redirect straight there: the sign-out button is a form, and
    the pages' Content-Security-Policy (form-action 'self') stops a form's redirect to another
    site."""
    config = current_app.config
    if not (provider.configured() and config["OIDC_SIGN_OUT_AT_PROVIDER"]):
        return None
    if not session.get(SIGNED_IN_KEY):
        return None
    back = config["OIDC_POST_LOGOUT_REDIRECT_URL"] or _address("auth.sign_in")
    onward = provider.end_session_url(session.get(ID_TOKEN_KEY), back)
    if onward is None:
        return None
    g.single_sign_on_onward = onward
    return url_for("single_sign_on.signed_out")


def keep_onward(response: Response) -> Response:
    """Keep the provider's sign-out address in the (just emptied) session for the next page."""
    onward = g.pop("single_sign_on_onward", None)
    if onward is not None:
        session[ONWARD_KEY] = onward
    return response


@bp.route("/sign-out/council-account")
def signed_out() -> ResponseReturnValue:
    onward = session.pop(ONWARD_KEY, None)
    if not isinstance(onward, str):
        return redirect(url_for("auth.sign_in"))
    return render_template("single_sign_on/signed_out.html", onward=onward)
