"""The report page, its charts (SVG images) and its downloads."""

from __future__ import annotations

import copy
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from qa_audit.access_log.declarations import case_level
from qa_audit.auth.permissions import roles_required
from qa_audit.core import data_version
from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.forms import apply_domain_error, form_status
from qa_audit.report_filters import (
    REPORT_ROLES,
    ReportAccess,
    ReportFilters,
    add_months,
    filters_from_query,
    report_access,
)
from qa_audit.reports import cache, exports, services
from qa_audit.reports.exports import confidence_words
from qa_audit.reports.forms import FIELD_FOR, ReportForm

bp = Blueprint("reports", __name__, url_prefix="/reports")


def default_period(today: date | None = None) -> tuple[str, str]:
    """The last three complete months."""
    this_month = (today or local_today()).strftime("%Y-%m")
    last = add_months(this_month, -1)
    return add_months(last, -2), last


def _requested(args: MultiDict[str, str]) -> tuple[ReportFilters, ReportAccess]:
    """The filters asked for in the query string, with the role rules applied.
    DomainError when the query is wrong; 403 when the user may not see reports."""
    filters = filters_from_query(args)
    try:
        return report_access(current_user, filters)
    except Forbidden:
        abort(403)


@bp.route("")
@case_level("period_report")  # its feedback quotes are case-level text
@roles_required(*REPORT_ROLES)
def index() -> ResponseReturnValue:
    args = request.args.copy()
    if "from" not in args and "to" not in args:
        args["from"], args["to"] = default_period()
    options = cache.filter_options(current_user)
    form = ReportForm(
        formdata=args,
        areas=options["areas"],
        teams=options["teams"],
        tools=options["tools"],
        audit_types=options["audit_types"],
        trend_starts=options["trend_starts"],
        any_area=len(options["areas"]) > 1,
    )
    report_html = filters = access = None
    if form.validate():
        try:
            filters, access = _requested(args)
        except DomainError as error:
            apply_domain_error(
                form, DomainError(error.message, FIELD_FOR.get(error.field or "", error.field))
            )
        else:
            report_html = _report_html(filters, access)
    return (
        render_template(
            "reports/index.html",
            form=form,
            report_html=report_html,
            filters=filters,
            access=access,
        ),
        form_status(form),
    )


def _report_html(filters: ReportFilters, access: ReportAccess) -> Markup:
    """The report below the form, rendered once for each report (and data version) and kept:
    it depends on nothing else of the request but where the application is mounted."""

    def render() -> Markup:
        query = filters.query_args()
        version = data_version.current()
        return Markup(
            render_template(
                "reports/_report.html",
                report=cache.period_report(filters, access),
                filters=filters,
                query=query,
                chart_query=query if version is None else {**query, "v": str(version)},
                figure=exports.figure,
                pct=exports.pct,
                confidence=confidence_words,
                formats=services.EXPORT_FORMATS,
            )
        )

    return cache.cached("report-html", (filters, access, request.script_root), render)


@bp.route("/download.<fmt>")
@roles_required(*REPORT_ROLES)
def download(fmt: str) -> ResponseReturnValue:
    if fmt not in services.EXPORT_FORMATS:
        abort(404)
    try:
        filters, access = _requested(request.args)
    except DomainError as error:
        abort(400, description=error.message)
    report = copy.deepcopy(cache.period_report(filters, access))
    body = exports.render(report, fmt)
    services.record_report_export(current_user, fmt, filters, report, via="page")
    return Response(
        body,
        mimetype=exports.CONTENT_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{exports.filename(report, fmt)}"',
            "Cache-Control": "no-store",
        },
    )


def _svg(body: bytes) -> Response:
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _chart_request() -> tuple[ReportFilters, ReportAccess]:
    try:
        return _requested(request.args)
    except DomainError as error:
        abort(400, description=error.message)


@bp.route("/charts/domain-<key>.svg")
@roles_required(*REPORT_ROLES)
def domain_chart(key: str) -> ResponseReturnValue:
    body = cache.domain_chart(*_chart_request(), key)
    if body is None:
        abort(404)
    return _svg(body)


@bp.route("/charts/overall-trend.svg")
@roles_required(*REPORT_ROLES)
def overall_trend_chart() -> ResponseReturnValue:
    return _svg(cache.overall_trend_chart(*_chart_request()))


@bp.route("/charts/domains-trend.svg")
@roles_required(*REPORT_ROLES)
def domains_trend_chart() -> ResponseReturnValue:
    return _svg(cache.domains_trend_chart(*_chart_request()))
