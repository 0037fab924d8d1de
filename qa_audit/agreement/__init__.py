"""Agreement between auditors and moderators, and how far the grades can be trusted: exact and
within-one agreement, weighted kappa and Gwet's AC2 with their intervals, optimism and
drift."""

from __future__ import annotations

from flask import Flask

from qa_audit.agreement.views import bp
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The agreement page and its place in the service navigation."""
    app.register_blueprint(bp)
    add_link(app, "agreement.page", "Agreement", 100)
