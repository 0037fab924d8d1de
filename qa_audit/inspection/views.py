"""The inspection evidence pack: a page to choose the period, and the pack's files. For the
QA lead alone: the pack lists every audit with its case reference."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError
from qa_audit.core.forms import apply_domain_error, form_status
from qa_audit.inspection import services
from qa_audit.inspection.forms import FIELD_FOR, PackForm
from qa_audit.report_filters import ReportFilters, add_months, resolve_filters
from qa_audit.reports.services import filter_options

bp = Blueprint("inspection", __name__, url_prefix="/inspection-pack")


def default_period() -> tuple[str, str]:
    """The twelve complete months before this one: what an inspection usually asks about."""
    last = add_months(local_today().strftime("%Y-%m"), -1)
    return add_months(last, -11), last


def _filters(args: Mapping[str, str]) -> ReportFilters:
    """The period and service area asked for (the last twelve months unless told)."""
    first, last = default_period()
    return resolve_filters(
        args.get("from") or first,
        args.get("to") or last,
        service_area=args.get("service_area"),
    )


@bp.route("")
@roles_required(Role.QA_LEAD)
def index() -> ResponseReturnValue:
    args = request.args.copy()
    if "from" not in args and "to" not in args:
        args["from"], args["to"] = default_period()
    form = PackForm(formdata=args, areas=filter_options(None)["areas"])
    filters = count = None
    if form.validate():
        try:
            filters = _filters(args)
            count = services.check_size(filters)
        except DomainError as error:
            apply_domain_error(
                form, DomainError(error.message, FIELD_FOR.get(error.field or "", error.field))
            )
            filters = None
    return (
        render_template(
            "inspection/index.html",
            form=form,
            filters=filters,
            count=count,
            query=filters_query(filters) if filters else {},
        ),
        form_status(form),
    )


def filters_query(filters: ReportFilters) -> dict[str, str]:
    query = {"from": filters.from_month, "to": filters.to_month}
    if filters.service_area_key:
        query["service_area"] = filters.service_area_key
    return query


@bp.route("/pack.<fmt>")
@case_level("inspection_pack")
@roles_required(Role.QA_LEAD)
def download(fmt: str) -> ResponseReturnValue:
    if fmt not in services.FORMATS:
        abort(404)
    try:
        filters = _filters(request.args)
        pack = services.build_files(filters, fmt, current_user, local_today())
    except DomainError as error:
        abort(400, description=error.message)
    # The access log keeps the case references the pack lists, as a list page's.
    note_listed(pack.case_refs)
    return Response(
        pack.body,
        mimetype=pack.mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{pack.filename}"',
            "Cache-Control": "no-store",
        },
    )
