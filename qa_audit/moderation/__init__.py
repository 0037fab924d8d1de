"""Moderation: sampling, the queue, decisions, reflective conversations, agreement."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_audit_record
from qa_audit.actions.models import ActionSource
from qa_audit.actions.visibility import register_source_scope
from qa_audit.audits.access import actions_seen_by
from qa_audit.core import signals
from qa_audit.core.navigation import add_link
from qa_audit.moderation import (
    blind_views,
    history_labels,
    home,
    outcome_list_views,  # noqa: F401 (joins its blueprint)
    sampling,
)
from qa_audit.moderation.models import Moderation, ReflectiveConversation
from qa_audit.moderation.views import bp
from qa_audit.moderation.why_selected import why_selected


def init_app(app: Flask) -> None:
    """The moderation pages, selection on submission, home sections."""
    app.register_blueprint(bp)
    blind_views.init_app(app)
    app.add_template_filter(why_selected, "why_selected")
    register_audit_record(app, "moderation", Moderation)
    register_audit_record(app, "reflective_conversation", ReflectiveConversation)
    # A reflective conversation's remedial actions carry its audit.
    register_source_scope(ActionSource.REFLECTIVE_CONVERSATION, actions_seen_by)
    add_link(app, "moderation.queue", "Moderation", 90)
    history_labels.register(app)
    signals.audit_submitted.connect(sampling.select_submitted_audit)
    signals.home_sections.connect(home.home_sections)
