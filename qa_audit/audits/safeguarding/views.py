"""Safeguarding concerns on an audit: raise one, respond to one, see them all."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from qa_audit.access_log.declarations import case_level
from qa_audit.audits.links import audit_url
from qa_audit.audits.models import Audit, SafeguardingConcern
from qa_audit.audits.page_access import viewable_audit_or_abort
from qa_audit.audits.safeguarding import services as safeguarding
from qa_audit.audits.safeguarding.escalation import age, is_late
from qa_audit.audits.safeguarding.forms import (
    CONCERN_PREFIX,
    AcknowledgeForm,
    ConcernForm,
    ConcernNoteForm,
    ConcernResolutionForm,
    acknowledge_prefix,
    note_prefix,
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
def concern_forms(concern_id: int) -> dict[str, FlaskForm]:
    """Blank forms of one concern's workflow steps, by the names the partial uses."""
    return {
        "acknowledge_form": AcknowledgeForm(formdata=None, prefix=acknowledge_prefix(concern_id)),
        "note_form": ConcernNoteForm(formdata=None, prefix=note_prefix(concern_id)),
        "response_form": ConcernResolutionForm(formdata=None, prefix=response_prefix(concern_id)),
    }


bp.add_app_template_global(safeguarding.may_raise, "may_raise_concern")
bp.add_app_template_global(safeguarding.may_respond, "may_respond_to_concern")
bp.add_app_template_global(age, "concern_age")
bp.add_app_template_global(is_late, "concern_late")


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


def _responder_page(concern_id: int) -> tuple[SafeguardingConcern, Audit]:
    """The concern and its audit, for someone who may act on it (else 404 or 403)."""
    concern = found_or_404(safeguarding.get_concern, concern_id)
    audit = viewable_audit_or_abort(concern.audit_id)
    if not safeguarding.may_respond(current_user, concern):
        abort(403)
    return concern, audit


def _act(
    concern: SafeguardingConcern,
    audit: Audit,
    form: FlaskForm,
    field: str,
    work: Callable[[], object],
    done: str,
) -> ResponseReturnValue:
    """One step of the concern's workflow: the form checked, the service called, the audit's
    safeguarding section shown again with the message, or the form with its errors."""
    if form.validate_on_submit():
        with attempt(form, field) as outcome:
            work()
        _refused(outcome)
        if outcome.ok:
            flash(done, "success")
            return redirect(audit_url(audit.id) + f"#concern-{concern.id}")
    return _page(audit, **{_FORM_NAMES[type(form)]: form}, form_for=concern.id)


_FORM_NAMES: dict[type[FlaskForm], str] = {
    AcknowledgeForm: "acknowledge_form",
    ConcernNoteForm: "note_form",
    ConcernResolutionForm: "response_form",
}


@bp.route("/safeguarding-concerns/<int:concern_id>/acknowledgement", methods=["POST"])
@case_level("safeguarding_concern", "concern_id")
@login_required
def acknowledge(concern_id: int) -> ResponseReturnValue:
    concern, audit = _responder_page(concern_id)
    form = AcknowledgeForm(prefix=acknowledge_prefix(concern.id))
    return _act(
        concern,
        audit,
        form,
        "submit",
        lambda: safeguarding.acknowledge_concern(current_user, concern),
        "The concern has been acknowledged. Add interim notes as things happen, and resolve "
        "it when there is an outcome",
    )


@bp.route("/safeguarding-concerns/<int:concern_id>/notes", methods=["POST"])
@case_level("safeguarding_concern", "concern_id")
@login_required
def add_note(concern_id: int) -> ResponseReturnValue:
    concern, audit = _responder_page(concern_id)
    form = ConcernNoteForm(prefix=note_prefix(concern.id))
    return _act(
        concern,
        audit,
        form,
        "text",
        lambda: safeguarding.add_note(current_user, concern, form.text.data or ""),
        "Your note has been added. The concern is still open",
    )


@bp.route("/safeguarding-concerns/<int:concern_id>/response", methods=["POST"])
@case_level("safeguarding_concern", "concern_id")
@login_required
def respond(concern_id: int) -> ResponseReturnValue:
    concern, audit = _responder_page(concern_id)
    form = ConcernResolutionForm(prefix=response_prefix(concern.id))
    return _act(
        concern,
        audit,
        form,
        "outcome",
        lambda: safeguarding.resolve_concern(
            current_user,
            concern,
            form.outcome.data,
            form.response.data or "",
            form.outcome_detail.data,
        ),
        "The concern is resolved and its outcome recorded",
    )
