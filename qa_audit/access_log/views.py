"""The QA lead's search of the access log."""

from __future__ import annotations

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from qa_audit.access_log import hooks, services
from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.forms import AccessSearchForm
from qa_audit.access_log.models import AccessLogEntry
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.errors import DomainError
from qa_audit.core.forms import apply_domain_error
from qa_audit.core.paging import Paging
from qa_audit.core.views import filtered_list_page, requested_page

bp = Blueprint("access_log", __name__)


@bp.route("/access-log")
@case_level("access_log")
@roles_required(Role.QA_LEAD)
def search() -> ResponseReturnValue:
    form = AccessSearchForm(formdata=request.args)
    try:
        filters = services.check_filters(
            form.user.data, form.record.data, form.date_from.data, form.date_to.data
        )
    except DomainError as error:
        apply_domain_error(form, error, "date_from")
        rows: list[AccessLogEntry] = []
        paging: Paging | None = None
    else:
        rows, paging = services.search(filters, requested_page())
    return filtered_list_page(
        "access_log/search.html",
        form,
        rows,
        paging,
        ("access_log.search", "Pages of the access log"),
        describe=hooks.describe,
        when=services.local_time_text,
    )
