"""Safeguarding concerns on an audit: raise one, respond to one, see them all."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from qa_audit.access_log.declarations import case_level
from qa_audit.audits.links import audit_url
from qa_audit.audits.models import Audit
from qa_audit.audits.page_access import viewable_audit_or_abort
from qa_audit.audits.safeguarding import services as safeguarding
from qa_audit.audits.safeguarding.forms import (
    CONCERN_PREFIX,
    ConcernForm,
    ConcernResponseForm,
    response_prefix,
)
from qa_audit.core.errors import Forbidden
from qa_audit.core.transaction import Outcome, attempt
from qa_audit.core.views import found_or_404

bp = Blueprint("safeguarding", __name__)


# What the _safeguarding.html partial needs wherever it is included (the audit page too).
@bp.app_template_global()
def new_concern_form() -> ConcernForm:
    return ConcernForm(formdata=None, prefix=CONCERN_PREFIX)


@bp.app_template_global()
def new_concern_response_form(concern_id: int) -> ConcernResponseForm:
    return ConcernResponseForm(formdata=None, prefix=response_prefix(concern_id))


bp.add_app_template_global(safeguarding.may_raise, "may_raise_concern")
bp.add_app_template_global(safeguarding.may_respond, "may_respond_to_concern")


def _page(audit: Audit, **forms: object) -> ResponseReturnValue:
    form = next((f for f in forms.values() if f is not None), None)
    return (
        render_template("audits/safeguarding_page.html", audit=audit, form=form, **forms),
        400 if form is not None else 200,
    )


def _refused(outcome: Outcome) -> None:
    """A service's Forbidden is the page's 403 (the form checked who may use it already)."""
    if isinstance(outcome.error, Forbidden):
        abort(403)


@bp.route("/audits/<int:audit_id>/safeguarding")
@case_level("audit", "audit_id")
@login_required
def page(audit_id: int) -> ResponseReturnValue:
    return _page(viewable_audit_or_abort(audit_id))


@bp.route("/audits/<int:audit_id>/safeguarding", methods=["POST"])
@case_level("audit", "audit_id")
@login_required
def raise_concern(audit_id: int) -> ResponseReturnValue:
    audit = viewable_audit_or_abort(audit_id, may=safeguarding.may_raise)
    form = ConcernForm(prefix=CONCERN_PREFIX)
    if form.validate_on_submit():
        with attempt(form, "description") as outcome:
            safeguarding.raise_concern(current_user, audit, form.description.data or "")
        _refused(outcome)
        if outcome.ok:
            flash(
                "The safeguarding concern has been recorded and sent to the service manager "
                f"of {audit.service_area.name}",
                "success",
            )
            return redirect(audit_url(audit.id) + "#safeguarding")
    return _page(audit, concern_form=form)


@bp.route("/safeguarding-concerns/<int:concern_id>/response", methods=["POST"])
@case_level("safeguarding_concern", "concern_id")
@login_required
def respond(concern_id: int) -> ResponseReturnValue:
    concern = found_or_404(safeguarding.get_concern, concern_id)
    audit = viewable_audit_or_abort(concern.audit_id)
    if not safeguarding.may_respond(current_user, concern):
        abort(403)
    form = ConcernResponseForm(prefix=response_prefix(concern.id))
    if form.validate_on_submit():
        with attempt(form, "response") as outcome:
            safeguarding.respond_to_concern(current_user, concern, form.response.data or "")
        _refused(outcome)
        if outcome.ok:
            flash("Your response has been recorded and the concern is resolved", "success")
            return redirect(audit_url(audit.id) + "#safeguarding")
    return _page(audit, response_form=form, response_for=concern.id)
