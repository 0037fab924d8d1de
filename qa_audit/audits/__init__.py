"""Deep-dive and closing-the-loop audits: drafting, submission, return, lists, practitioner
comments, safeguarding concerns and the CSV import of historical audits."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.audits.models import Audit, SafeguardingConcern
from qa_audit.core import signals
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The audit pages, their links and home sections."""
    register_entity(
        app,
        "audit",
        ("audit", "audits"),
        key=Audit.id,
        reference=Audit.reference,
        case_ref=Audit.case_ref,
    )
    register_entity(
        app,
        "safeguarding_concern",
        ("safeguarding concern", "safeguarding concerns"),
        key=SafeguardingConcern.id,
        audit=SafeguardingConcern.audit_id,
    )
    from qa_audit.audits import closing_the_loop, home, safeguarding
    from qa_audit.audits.comments_views import bp as comments_bp
    from qa_audit.audits.import_views import bp as import_bp
    from qa_audit.audits.list_views import bp as lists_bp
    from qa_audit.audits.safeguarding_views import bp as safeguarding_bp
    from qa_audit.audits.views import bp

    for blueprint in (bp, lists_bp, safeguarding_bp, comments_bp, import_bp):
        app.register_blueprint(blueprint)
    add_link(app, "audit_lists.my_audits", "My audits", 50)
    add_link(app, "audits.new", "Start an audit", 60)
    add_link(app, "audit_lists.all_audits", "All audits", 80)
    signals.home_sections.connect(closing_the_loop.home_sections)
    signals.home_sections.connect(home.home_sections)
    signals.home_sections.connect(safeguarding.home_sections)
