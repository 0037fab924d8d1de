"""The period report: figures, charts, exports and the report command."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.core.navigation import add_link
from qa_audit.reports.cli import report_command
from qa_audit.reports.views import bp


def init_app(app: Flask) -> None:
    """The report pages and the ``report`` command."""
    app.register_blueprint(bp)
    register_entity(app, "period_report", ("period report", "period report"))
    app.cli.add_command(report_command)
    add_link(app, "reports.index", "Reports", 150)
