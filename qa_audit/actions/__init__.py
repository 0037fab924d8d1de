"""Actions set by audits and dip samples: owner, due date, completion."""

from __future__ import annotations

from flask import Flask

from qa_audit.core import signals
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The action pages, their links and the QA lead's home section."""
    from qa_audit.actions import services
    from qa_audit.actions.views import bp

    app.register_blueprint(bp)
    add_link(app, "actions.mine", "My actions", 70)
    add_link(app, "actions.centre", "Actions", 110)
    signals.home_sections.connect(services.home_sections)
