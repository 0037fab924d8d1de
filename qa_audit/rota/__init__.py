"""The monthly audit rota: allocations, reminders, completion."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.core import signals
from qa_audit.core.navigation import add_link
from qa_audit.rota import (
    allocation_list_views,  # noqa: F401 (its page joins the rota's blueprint)
    bulk_views,  # noqa: F401 (imported, its pages join the rota's blueprint)
    closing_the_loop_views,
    home,
    services,
)
from qa_audit.rota.cli import rota_group
from qa_audit.rota.history_labels import register as register_history_labels
from qa_audit.rota.models import Allocation
from qa_audit.rota.views import bp


def init_app(app: Flask) -> None:
    """The rota pages and command, its home sections, and allocations following audits."""
    app.register_blueprint(bp)
    app.register_blueprint(closing_the_loop_views.bp)
    register_entity(
        app,
        "allocation",
        ("rota allocation", "the rota"),
        key=Allocation.id,
        case_ref=Allocation.case_ref,
    )
    app.cli.add_command(rota_group)
    register_history_labels(app)
    add_link(app, "rota.index", "Rota", 130)
    signals.audit_submitted.connect(services.complete_allocation)
    signals.audit_returned.connect(services.reopen_allocation)
    signals.audit_from_allocation.connect(services.answer_audit_from_allocation)
    signals.home_sections.connect(home.home_sections)
