"""Thematic dip samples: a question set, sampled cases, findings and actions."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.actions.models import ActionSource
from qa_audit.actions.visibility import register_source_scope
from qa_audit.core.navigation import add_link
from qa_audit.dip_samples.models import DipSampleCase
from qa_audit.dip_samples.services import actions_seen_by
from qa_audit.dip_samples.views import bp


def init_app(app: Flask) -> None:
    """The dip-sample pages."""
    app.register_blueprint(bp)
    register_source_scope(ActionSource.DIP_SAMPLE, actions_seen_by)
    # A dip sample's page shows its sampled cases: searching the access log by case finds it.
    register_entity(
        app,
        "dip_sample",
        shown_cases=DipSampleCase.case_ref,
        shown_by=DipSampleCase.dip_sample_id,
    )
    register_entity(app, "dip_sample_case", key=DipSampleCase.id, case_ref=DipSampleCase.case_ref)
    add_link(app, "dip_samples.index", "Dip samples", 140)
