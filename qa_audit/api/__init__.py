"""The read-only JSON API (/api/v1) for Power BI and Excel users, with bearer tokens."""

from __future__ import annotations

from flask import Flask

from qa_audit.api.token_views import bp as tokens_bp
from qa_audit.api.tokens import revoke_on_deactivation
from qa_audit.api.views import bp
from qa_audit.auth.sessions import token_only
from qa_audit.core import signals
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The API and the administrators' token pages."""
    app.register_blueprint(bp)
    token_only(app, bp.name)
    app.register_blueprint(tokens_bp)
    add_link(app, "api_tokens.index", "API tokens", 180)
    signals.user_deactivated.connect(revoke_on_deactivation)
