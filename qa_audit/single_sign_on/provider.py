"""The council's identity provider, reached through Authlib's Flask client: its discovery
document and signing keys read at run time from the configured issuer, the authorization code
flow with PKCE (S256), state and nonce, and the ID token checked (signature, issuer, audience,
expiry, nonce) before any of its claims is believed."""

from __future__ import annotations

import hashlib
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from authlib.integrations.flask_client.apps import FlaskOAuth2App
from flask import Flask, current_app, redirect, request, session
from joserfc.errors import JoseError

EXTENSION = "qa_audit.single_sign_on"
DISCOVERY = "/.well-known/openid-configuration"


class ProviderUnavailable(Exception):
    """The provider did not answer (or not sensibly): nobody can sign in through it now."""


class SignInRefused(Exception):
    """The provider's answer is not to be trusted, or names nobody who may come in. ``reason``
    is kept in the change log; ``message`` is shown to the person."""

    def __init__(
        self, reason: str, message: str, claims: dict[str, Any] | None = None, user: Any = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.claims = claims or {}
        self.user = user  # the account refused, when one is known


NOT_VERIFIED = (
    "Your sign-in could not be checked. Start again from the sign-in page; if this keeps "
    "happening, tell your system administrator"
)


def configured() -> bool:
    config = current_app.config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def init_app(app: Flask) -> None:
    # Authlib's registry for this app alone; a client is registered per distinct set of
    # settings (the tests point one app at several providers in turn).
    app.extensions[EXTENSION] = OAuth(app)


def client() -> FlaskOAuth2App:
    """Authlib's client for the provider the settings name now."""
    config = current_app.config
    settings = (
        config["OIDC_ISSUER"],
        config["OIDC_CLIENT_ID"],
        config["OIDC_CLIENT_SECRET"],
        config["OIDC_SCOPES"],
        str(config["OIDC_TIMEOUT"]),
    )
    name = "council_" + hashlib.sha256("\n".join(settings).encode()).hexdigest()[:12]
    oauth: OAuth = current_app.extensions[EXTENSION]
    found = oauth.create_client(name)
    if found is None:
        found = oauth.register(
            name,
            overwrite=True,
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"] or None,
            server_metadata_url=config["OIDC_ISSUER"] + DISCOVERY,
            client_kwargs={
                "scope": config["OIDC_SCOPES"],
                "code_challenge_method": "S256",
                "default_timeout": config["OIDC_TIMEOUT"] or None,
            },
        )
    return found


def metadata(provider: FlaskOAuth2App) -> dict[str, Any]:
    """The provider's discovery document; it must name the issuer configured (OpenID Connect
    Discovery 1.0, section 4.3), or tokens would be checked against another provider's."""
    try:
        document: dict[str, Any] = provider.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(str(error)) from error
    claimed = document.get("issuer")
    if claimed != current_app.config["OIDC_ISSUER"]:
        # Forget it (the dictionary is Authlib's own cache): the next attempt reads it again.
        provider.server_metadata.clear()
        raise SignInRefused(f"wrong issuer: the provider calls itself {claimed!r}", NOT_VERIFIED)
    return document


# Kept in Authlib's data for the state, beside the nonce and PKCE verifier: the page the
# person asked for, to land on after the callback.
NEXT_PAGE = "next_page"


def authorization_redirect(redirect_uri: str, next_page: str | None = None) -> Any:
    """The redirect to the provider's sign-in, with state, nonce and a PKCE challenge kept in
    this browser's session for the callback, and with them ``next_page``.

    Authlib's ``authorize_redirect`` in its two steps, so that the page is kept with the state
    it belongs to: it never goes to the provider, so it is never taken back from the
    provider's answer, and it is cleared with the state when the callback uses it."""
    provider = client()
    metadata(provider)
    try:
        found = provider.create_authorization_url(redirect_uri)
    except requests.RequestException as error:
        raise ProviderUnavailable(str(error)) from error
    kept = {NEXT_PAGE: next_page} if next_page else {}
    provider.save_authorize_data(redirect_uri=redirect_uri, **found, **kept)
    return redirect(found["url"])


def kept_next_page() -> str | None:
    """The page kept with this callback's state when the sign-in started; None for a state
    this browser was not given. Read before ``verified_token``, which clears the state."""
    provider = client()
    data = provider.framework.get_state_data(session, request.args.get("state"))
    page = data.get(NEXT_PAGE) if isinstance(data, dict) else None
    return page if isinstance(page, str) else None


def _id_token_rules() -> dict[str, Any]:
    """How Authlib checks the ID token beyond its signature and nonce: issued by the issuer
    configured (not merely the one the discovery document names), for this client (Authlib
    on its own only asks a token for another audience to name an authorized party), with this
    much allowance for clock skew."""
    config = current_app.config
    return {
        "claims_options": {
            "iss": {"essential": True, "values": [config["OIDC_ISSUER"]]},
            "aud": {"essential": True, "values": [config["OIDC_CLIENT_ID"]]},
        },
        "leeway": config["OIDC_CLOCK_SKEW"],
    }


def _refusal(error: Exception) -> SignInRefused:
    if isinstance(error, OAuthError):
        # A state that is not this browser's, a code already used or refused, an error the
        # provider sent back instead of a code.
        return SignInRefused(f"{error.error}: {error.description or ''}", NOT_VERIFIED)
    # Signature, issuer, audience, expiry or nonce of the ID token.
    return SignInRefused(f"ID token refused: {type(error).__name__}: {error}", NOT_VERIFIED)


def verified_token() -> dict[str, Any]:
    """The callback's code exchanged for tokens and the ID token checked; its claims are in
    ``["userinfo"]``. SignInRefused for anything that does not hold."""
    provider = client()
    metadata(provider)
    try:
        token: dict[str, Any] = provider.authorize_access_token(**_id_token_rules())
    except (requests.RequestException, ValueError) as error:
        # Not reached, or an answer that is not JSON (a proxy's error page).
        raise ProviderUnavailable(str(error)) from error
    except (JoseError, AuthlibBaseError) as error:
        raise _refusal(error) from error
    if "userinfo" not in token:
        raise SignInRefused("no ID token in the provider's answer", NOT_VERIFIED)
    return token


def checked_claims(token: dict[str, Any], nonce: str) -> dict[str, Any]:
    """The claims of an ID token the provider issued, checked by the rules of the callback
    (which has Authlib do this inside ``authorize_access_token``)."""
    provider = client()
    metadata(provider)
    try:
        return dict(provider.parse_id_token(token, nonce=nonce, **_id_token_rules()))
    except (JoseError, AuthlibBaseError) as error:
        raise _refusal(error) from error


def end_session_url(id_token: str | None, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser to sign out at the provider too (RP-initiated logout), or
    None when the provider offers no end_session_endpoint or cannot be reached."""
    provider = client()
    try:
        document = metadata(provider)
    except (ProviderUnavailable, SignInRefused):
        return None
    if not document.get("end_session_endpoint"):
        return None
    result = provider.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token,
        client_id=current_app.config["OIDC_CLIENT_ID"],
    )
    return str(result["url"])
