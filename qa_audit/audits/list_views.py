"""Pages listing audits: My audits (an auditor's own) and All audits (filtered, paged)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from qa_audit.access_log.declarations import case_level
from qa_audit.audits import lists
from qa_audit.audits.links import audit_url, audit_urls
from qa_audit.audits.list_forms import AuditFilterForm
from qa_audit.audits.models import AuditStatus
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.paging import page_number

bp = Blueprint("audit_lists", __name__)
bp.add_app_template_global(audit_url, "audit_url")
bp.add_app_template_global(audit_urls, "audit_urls")

STATUS_TAG_CLASSES = {
    AuditStatus.DRAFT: "govuk-tag--grey",
    AuditStatus.SUBMITTED: "govuk-tag--blue",
    AuditStatus.RETURNED: "govuk-tag--orange",
    AuditStatus.CLOSED: "govuk-tag--green",
}
_status_tags: dict[AuditStatus, Markup] = {}


@bp.app_template_global()
def audit_status_tag(status: AuditStatus) -> Markup:
    """The status as a GOV.UK tag, made by the govukTag macro once per status, not once per
    row of every list."""
    tag = _status_tags.get(status)
    if tag is None:
        macro = current_app.jinja_env.get_template(
            "govuk_frontend_jinja/components/tag/macro.html"
        ).module.govukTag  # type: ignore[attr-defined]
        tag = _status_tags[status] = Markup(
            macro({"text": status.label, "classes": STATUS_TAG_CLASSES[status]})
        )
    return tag


@bp.route("/my-audits")
@case_level("audit")
@roles_required(Role.AUDITOR)
def my_audits():  # type: ignore[no-untyped-def]
    return render_template("audits/my_audits.html", mine=lists.my_audits(current_user))


@bp.route("/audit-list")
@case_level("audit")
@roles_required(*lists.LIST_ROLES)
def all_audits():  # type: ignore[no-untyped-def]
    form = AuditFilterForm(lists.filter_choices(current_user), formdata=request.args)
    form.validate()
    rows, paging = lists.all_audits(
        current_user, form.filters(), page_number(request.args.get("page"))
    )
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    pagination = paging.govuk_params(
        lambda n: url_for("audit_lists.all_audits", **query, page=n), "Pages of audits"
    )
    return (
        render_template(
            "audits/list.html",
            form=form,
            rows=rows,
            paging=paging,
            pagination=pagination,
            area_only=not current_user.has_role(Role.QA_LEAD, Role.MODERATOR),
        ),
        400 if form.errors else 200,
    )
