"""Audit tools: versioned sets of domains with their grade descriptors."""

from __future__ import annotations

from flask import Flask

from qa_audit.audit_tools import history_labels
from qa_audit.audit_tools.cli import tools_group
from qa_audit.audit_tools.views import bp
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The audit tools' pages and the ``tools`` command."""
    app.register_blueprint(bp)
    app.cli.add_command(tools_group)
    add_link(app, "audit_tools.index", "Audit tools", 20)
    history_labels.register(app)
