"""The evidence explorer: the page (case-level text, so every view is access-logged) and its
Excel download (recorded as an export)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.auth.permissions import roles_required
from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.forms import apply_domain_error, form_status
from qa_audit.core.views import requested_page
from qa_audit.evidence import queries, services
from qa_audit.evidence.filters import (
    EVIDENCE_ROLES,
    KINDS,
    EvidenceFilters,
    evidence_filters,
    grade_label,
)
from qa_audit.evidence.forms import FIELD_FOR, EvidenceForm, counted
from qa_audit.report_filters import month_label
from qa_audit.reports.cache import filter_options
from qa_audit.reports.views import default_period

bp = Blueprint("evidence", __name__, url_prefix="/reports/evidence")


def _args() -> MultiDict[str, str]:
    """The query string, with the report's default period when none is asked for."""
    args = request.args.copy()
    if "from" not in args and "to" not in args:
        args["from"], args["to"] = default_period()
    return args


def _filters(args: MultiDict[str, str]) -> EvidenceFilters:
    """The filters asked for; 403 for someone who may not see the evidence."""
    try:
        return evidence_filters(args, current_user)
    except Forbidden:
        abort(403)


@bp.route("")
@case_level("evidence")
@roles_required(*EVIDENCE_ROLES)
def index() -> ResponseReturnValue:
    args = _args()
    form = EvidenceForm(formdata=args)
    explorer = filters = None
    if form.validate():
        try:
            filters = _filters(args)
        except DomainError as error:
            apply_domain_error(
                form, DomainError(error.message, FIELD_FOR.get(error.field or "", error.field))
            )
        else:
            explorer = services.explore(filters, current_user, requested_page())
            note_listed(queries.listed_case_refs(explorer.entries))
    _offer_options(form, explorer)
    query: dict[str, Any] = {k: v for k, v in args.items() if v and k != "page"}
    pagination = None
    if explorer is not None:
        pagination = explorer.paging.govuk_params(
            lambda n: url_for("evidence.index", **query, page=n), "Pages of evidence"
        )
    return (
        render_template(
            "evidence/index.html",
            form=form,
            filters=filters,
            explorer=explorer,
            pagination=pagination,
            kinds=KINDS,
            grade_label=grade_label,
            month_label=month_label,
            download_hrefs={
                fmt: url_for("evidence.download", fmt=fmt, **query)
                for fmt in services.CONTENT_TYPES
            },
            report_href=_report_href(filters),
        ),
        form_status(form),
    )


def _report_href(filters: EvidenceFilters | None) -> str | None:
    """The report for the same months and report filters."""
    if filters is None:
        return None
    query: dict[str, Any] = filters.report.query_args()
    return url_for("reports.index", **query)


def _offer_options(form: EvidenceForm, explorer: services.Explorer | None) -> None:
    """Each filter's options with their counts (without counts while the form has errors)."""
    counts = explorer.counts if explorer is not None else {}
    names = explorer.names if explorer is not None else queries.names()
    titles = explorer.titles if explorer is not None else services.principle_titles()
    options = filter_options(current_user)
    area_ids = {key: i for i, key in names["service_area_key"].items()}
    tool_ids = {key: i for i, key in names["tool"].items()}
    form.offer(
        "principle",
        counted(((k, k, t) for k, t in titles.items()), counts.get("principle")),
        "All principles",
    )
    form.offer(
        "kind", counted(((k, k, t) for k, t in KINDS.items()), counts.get("kind")), "All kinds"
    )
    form.offer(
        "grade",
        counted(((v, v, label) for v, label in services.grade_options()), counts.get("grade")),
        "All grades",
    )
    form.offer(
        "theme",
        counted(
            ((i, str(i), name) for i, name in sorted(names["theme"].items(), key=lambda p: p[1])),
            counts.get("theme"),
        ),
        "All learning themes",
    )
    form.offer(
        "service_area",
        counted(((area_ids.get(k), k, n) for k, n in options["areas"]), counts.get("service_area")),
        "All service areas" if len(options["areas"]) > 1 else None,
    )
    form.offer(
        "team",
        counted(((int(i), i, label) for i, label in options["teams"]), counts.get("team")),
        "All teams",
    )
    form.offer(
        "tool",
        counted(((tool_ids.get(k), k, label) for k, label in options["tools"]), counts.get("tool")),
        "All versions",
    )
    form.offer(
        "audit_type",
        ((v, label, None) for v, label in options["audit_types"]),
        "All types",
    )


@bp.route("/download.<fmt>")
@roles_required(*EVIDENCE_ROLES)
def download(fmt: str) -> ResponseReturnValue:
    if fmt not in services.CONTENT_TYPES:
        abort(404)
    try:
        filters = _filters(_args())
    except DomainError as error:
        abort(400, description=error.message)
    body, _rows = services.evidence_export(current_user, filters, fmt)
    name = f"evidence-{filters.report.from_month}-to-{filters.report.to_month}"
    return Response(
        body,
        mimetype=services.CONTENT_TYPES[fmt],
        headers={
            "Content-Disposition": (
                f'attachment; filename="{name}-{local_today():%Y-%m-%d}.{fmt}"'
            ),
            "Cache-Control": "no-store",
        },
    )
