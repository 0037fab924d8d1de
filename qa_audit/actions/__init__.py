"""Actions set by audits and dip samples: owner, due date, completion."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_audit_record
from qa_audit.actions import history_labels
from qa_audit.actions.models import Action
from qa_audit.actions.views import bp
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The action pages and their links (the closing-the-loop prompt is the audits part's)."""
    app.register_blueprint(bp)
    register_audit_record(app, "action", Action)
    add_link(app, "actions.mine", "My actions", 70)
    add_link(app, "actions.centre", "Actions", 110)
    history_labels.register(app)
