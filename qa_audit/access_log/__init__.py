"""The access log: who viewed or exported which case-level records, when, from where."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.access_log.hooks import log_case_level_access
from qa_audit.access_log.views import bp
from qa_audit.core import signals
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The search page, and the row written after every case-level page."""
    app.register_blueprint(bp)
    register_entity(app, "access_log", ("access log", "the access log"))
    add_link(app, "access_log.search", "Access log", 170)
    signals.request_finishing.connect(log_case_level_access)
