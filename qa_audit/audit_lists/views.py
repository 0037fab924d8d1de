"""Pages listing audits: My audits (an auditor's own) and All audits (filtered, paged)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.audit_lists import queries
from qa_audit.audit_lists.forms import AuditFilterForm
from qa_audit.audits.access import LIST_ROLES
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.views import filtered_list_page, requested_page

bp = Blueprint("audit_lists", __name__)


@bp.route("/my-audits")
@case_level("audit")
@roles_required(Role.AUDITOR)
def my_audits() -> ResponseReturnValue:
    mine = queries.my_audits(current_user)
    note_listed(r.case_ref for r in (*mine.drafts, *mine.returned, *mine.submitted))
    return render_template("audit_lists/my_audits.html", mine=mine)


@bp.route("/audit-list")
@case_level("audit")
@roles_required(*LIST_ROLES)
def all_audits() -> ResponseReturnValue:
    form = AuditFilterForm(queries.filter_choices(current_user), formdata=request.args)
    form.validate()
    rows, paging = queries.all_audits(current_user, form.filters(), requested_page())
    note_listed(r.case_ref for r in rows)
    return filtered_list_page(
        "audit_lists/list.html",
        form,
        rows,
        paging,
        ("audit_lists.all_audits", "Pages of audits"),
        area_only=not current_user.has_role(Role.QA_LEAD, Role.MODERATOR),
    )
