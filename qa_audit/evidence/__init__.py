"""The evidence explorer: the audits' "working well", "needs to improve" and "impact"
entries behind the period report, filtered, counted, searched and exported."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.evidence.views import bp


def init_app(app: Flask) -> None:
    """The explorer's pages and its name in the access log."""
    app.register_blueprint(bp)
    register_entity(app, "evidence", ("evidence entry", "audit evidence"))
