"""Audit tools: versioned sets of domains with their grade descriptors."""

from __future__ import annotations

from flask import Flask

from qa_audit.audit_tools.views import bp
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The audit tools' pages."""
    app.register_blueprint(bp)
    add_link(app, "audit_tools.index", "Audit tools", 20)
