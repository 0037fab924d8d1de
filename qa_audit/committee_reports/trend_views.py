"""A committee report's direction of travel: where a draft's starts (from the framework's launch
if asked, as on the report page), and its charts, drawn from the report's own figures (a
final's from its snapshot), with the line where the audit tool changed within the span."""

from __future__ import annotations

from typing import Any

from flask import Response, flash
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.committee_reports import documents, services
from qa_audit.committee_reports.forms import TextsForm, TrendForm, texts_form
from qa_audit.committee_reports.views import (
    READERS,
    bp,
    changeable_draft,
    draft_page,
    fill_texts,
    readable_or_404,
    reads_as_viewer,
    to_report,
    trend_starts,
)
from qa_audit.core.transaction import attempt
from qa_audit.reports import charts

TREND_ANCHOR = "direction-of-travel"


@bp.route("/<int:report_id>/direction-of-travel", methods=["POST"])
@roles_required(Role.QA_LEAD)
def trend(report_id: int) -> ResponseReturnValue:
    report = changeable_draft(report_id)
    form = TrendForm(trend_starts=trend_starts())
    if form.validate_on_submit():
        with attempt(form, "trend_from") as outcome:
            services.set_trend(
                current_user, report, form.version_number(), form.trend_from.data or None
            )
        if outcome.ok:
            flash("The direction of travel has been saved", "success")
            return to_report(report, TREND_ANCHOR)
    figures = services.period_report(report)
    return draft_page(report, figures, _filled_texts(report, figures), trend_form=form)


def _filled_texts(report: Any, figures: dict[str, Any]) -> TextsForm:
    form = texts_form(services.principle_keys(figures), formdata=None)
    fill_texts(form, report)
    return form


def _figures(report_id: int) -> dict[str, Any]:
    """The report's figures as the reader sees them (a viewer's withhold small months)."""
    report = readable_or_404(report_id)
    return documents.figures(report, reads_as_viewer())


def tool_changes(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The changes of audit tool within the span (none in a snapshot taken before the report
    said where the tool changed)."""
    return list((figures.get("trend") or {}).get("tool_changes", []))


def _svg(body: bytes) -> Response:
    return Response(body, mimetype="image/svg+xml", headers={"Cache-Control": "private, no-store"})


@bp.route("/<int:report_id>/charts/overall-trend.svg")
@roles_required(*READERS)
def overall_trend_chart(report_id: int) -> ResponseReturnValue:
    figures = _figures(report_id)
    return _svg(charts.overall_trend(figures["months"], "svg", tool_changes(figures)))


@bp.route("/<int:report_id>/charts/domains-trend.svg")
@roles_required(*READERS)
def domains_trend_chart(report_id: int) -> ResponseReturnValue:
    figures = _figures(report_id)
    titles = {key: domain["title"] for key, domain in figures["domains"].items()}
    return _svg(charts.domains_trend(figures["months"], titles, "svg", tool_changes(figures)))
