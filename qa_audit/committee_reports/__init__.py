"""The committee report: drafts the QA lead writes around a period report, and finals."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.committee_reports import featured_views, final_views, trend_views
from qa_audit.committee_reports.models import CommitteeReport, CommitteeReportImage
from qa_audit.committee_reports.retention import drop_anonymised_quotes
from qa_audit.committee_reports.views import bp
from qa_audit.core import signals
from qa_audit.core.navigation import add_link

# Imported for the routes they add to the blueprint before it is registered.
__all__ = ["featured_views", "final_views", "trend_views"]


def init_app(app: Flask) -> None:
    """The committee report pages."""
    app.register_blueprint(bp)
    register_entity(app, "committee_report", key=CommitteeReport.id)
    register_entity(app, "committee_report_image", key=CommitteeReportImage.id)
    add_link(app, "committee_reports.index", "Committee reports", 155)
    signals.case_records_anonymised.connect(drop_anonymised_quotes)
