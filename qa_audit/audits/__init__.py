"""Deep-dive and closing-the-loop audits: drafting, submission, return, practitioner
comments and safeguarding concerns."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_audit_record, register_entity
from qa_audit.actions.models import ActionSource
from qa_audit.actions.visibility import register_source_scope
from qa_audit.audit_tools.services import tool_in_use_checks
from qa_audit.audits import access, grade_guard, history_labels, home, journey, views
from qa_audit.audits.comments import views as comments_views
from qa_audit.audits.links import audit_url, audit_urls
from qa_audit.audits.models import Audit, SafeguardingConcern
from qa_audit.audits.safeguarding import concern_list_views  # noqa: F401 (joins its blueprint)
from qa_audit.audits.safeguarding import home as safeguarding_home
from qa_audit.audits.safeguarding import views as safeguarding_views
from qa_audit.audits.safeguarding.cli import safeguarding_group
from qa_audit.audits.services import tool_used_by_audits
from qa_audit.audits.status_tags import audit_status_tag
from qa_audit.core import signals
from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The audit pages, their links and home sections."""
    register_entity(app, "audit", key=Audit.id, reference=Audit.reference, case_ref=Audit.case_ref)
    register_audit_record(app, "safeguarding_concern", SafeguardingConcern)
    register_source_scope(ActionSource.AUDIT, access.actions_seen_by)
    for blueprint in (views.bp, journey.bp, safeguarding_views.bp, comments_views.bp):
        app.register_blueprint(blueprint)
    app.add_template_global(audit_url, "audit_url")
    app.add_template_global(audit_urls, "audit_urls")
    app.add_template_global(audit_status_tag, "audit_status_tag")
    add_link(app, "audits.new", "Start an audit", 60)
    signals.home_sections.connect(home.home_sections)
    signals.home_sections.connect(safeguarding_home.home_sections)
    app.cli.add_command(safeguarding_group)
    history_labels.register(app)
    if tool_used_by_audits not in tool_in_use_checks:
        # A tool version an audit uses can never be edited (audit_tools.services).
        tool_in_use_checks.append(tool_used_by_audits)
    grade_guard.init_app(app)
