"""The inspection evidence pack: at the start of an Ofsted inspection, the period's audits with
their final grades, moderation, actions, learning themes and dip samples as a workbook, and a
summary document, for the QA lead to share."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.core.navigation import add_link
from qa_audit.inspection.views import bp


def init_app(app: Flask) -> None:
    """The pack's page and files."""
    app.register_blueprint(bp)
    register_entity(
        app, "inspection_pack", ("inspection evidence pack", "inspection evidence packs")
    )
    add_link(app, "inspection.index", "Inspection pack", 155)
