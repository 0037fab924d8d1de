"""The agreement page: how far auditors' and moderators' grades agree, with how sure we can
be, for a period and the report's filters; and whether auditors grade more generously than
moderation. For QA leads and moderators; whether an auditor is clearly more generous is
shown to the QA lead alone (a judgement about a named colleague is for their manager)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.agreement import kept
from qa_audit.agreement.forms import FIELD_FOR, AgreementForm
from qa_audit.agreement.statistics import MINIMUM_PAIRS
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError
from qa_audit.core.forms import apply_domain_error, form_status
from qa_audit.report_filters import add_months, filters_from_query

bp = Blueprint("agreement", __name__, url_prefix="/agreement")
AGREEMENT_ROLES = (Role.QA_LEAD, Role.MODERATOR)
# Agreement needs more pairs than a quarter usually holds: a year by default.
DEFAULT_MONTHS = 12


def default_period(today: date | None = None) -> tuple[str, str]:
    """The last twelve complete months."""
    last = add_months((today or local_today()).strftime("%Y-%m"), -1)
    return add_months(last, -(DEFAULT_MONTHS - 1)), last


@bp.route("")
@roles_required(*AGREEMENT_ROLES)
def page() -> ResponseReturnValue:
    args = request.args.copy()
    # A report's address may carry its direction of travel, which means nothing here.
    args.pop("trend_from", None)
    if "from" not in args and "to" not in args:
        args["from"], args["to"] = default_period()
    form = AgreementForm(formdata=args)
    figures = None
    if form.validate():
        try:
            filters = filters_from_query(args)
        except DomainError as error:
            apply_domain_error(
                form, DomainError(error.message, FIELD_FOR.get(error.field or "", error.field))
            )
        else:
            figures = kept.figures(filters, form.dimension())
    return (
        render_template(
            "agreement/index.html",
            form=form,
            figures=figures,
            minimum_pairs=MINIMUM_PAIRS,
            show_flags=current_user.has_role(Role.QA_LEAD),
        ),
        form_status(form),
    )
