"""Sign-in through the council's identity provider (OpenID Connect), linking accounts and
mapping its groups to roles."""

from __future__ import annotations

from flask import Flask

from qa_audit.single_sign_on import models, provider
from qa_audit.single_sign_on.views import bp, sign_out_onward

__all__ = ["models"]


def init_app(app: Flask) -> None:
    """The sign-in routes, Authlib's client registry, and signing out at the provider."""
    provider.init_app(app)
    app.register_blueprint(bp)
    app.extensions["qa_audit.sign_out_onward"] = sign_out_onward
    app.context_processor(lambda: {"single_sign_on_offered": provider.configured()})
