"""Administrators' pages: accounts, roles, service areas and teams, the change log."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.admin import dormant_views
from qa_audit.admin.views import bp
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The administrators' pages."""
    app.register_blueprint(bp)
    app.register_blueprint(dormant_views.bp)
    register_entity(app, "change_log", ("change log", "the change log"))
    add_link(app, "admin.users", "Users", 30)
    add_link(app, "admin.service_areas", "Service areas", 40)
    add_link(app, "admin_accounts.dormant", "Dormant accounts", 45)
    add_link(app, "admin.change_log", "Change log", 160)
