"""Each role's home page, and the fixed pages linked from the footer."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.core import signals
from qa_audit.core.navigation import add_link
from qa_audit.home import services
from qa_audit.home.views import bp


def init_app(app: Flask) -> None:
    """The home page, which gathers every part's sections."""
    app.register_blueprint(bp)
    register_entity(app, "home_page", ("home page", "home page"))
    add_link(app, "home.index", "Home", 10)
    signals.home_sections.connect(services.home_sections)
