"""Lists of audits with their moderation state: My audits and All audits."""

from __future__ import annotations

from flask import Flask

from qa_audit.audit_lists.views import bp
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The list pages and their navigation links."""
    app.register_blueprint(bp)
    add_link(app, "audit_lists.my_audits", "My audits", 50)
    add_link(app, "audit_lists.all_audits", "All audits", 80)
