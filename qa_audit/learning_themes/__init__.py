"""The managed list of learning themes that tag audits and dip samples."""

from __future__ import annotations

from flask import Flask

from qa_audit.core.navigation import add_link
from qa_audit.learning_themes.views import bp


def init_app(app: Flask) -> None:
    """The QA lead's pages for the list."""
    app.register_blueprint(bp)
    add_link(app, "learning_themes.index", "Learning themes", 120)
