"""The auditor's pages: start an audit, the audit form (with autosave), one audit's page,
and the QA lead's return to the auditor."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_shown
from qa_audit.audits import services
from qa_audit.audits.access import can_view_audit
from qa_audit.audits.form_fields import optional_int
from qa_audit.audits.forms import AuditFormBase, ReturnForm, StartAuditForm, audit_form
from qa_audit.audits.models import (
    Audit,
    AuditStatus,
    AuditType,
    FeedbackHow,
    FeedbackTone,
    FeedbackWho,
)
from qa_audit.audits.page_access import viewable_audit_or_abort
from qa_audit.auth import services as accounts
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.changelog import services as changelog
from qa_audit.core.clock import local_now
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.forms import form_status
from qa_audit.core.transaction import attempt, keep_work
from qa_audit.organisation import services as organisation

bp = Blueprint("audits", __name__, url_prefix="/audits")


# Worked out once, not for every template the blueprint renders.
FEEDBACK_LABELS = {
    "feedback_labels": {
        "who": {w.value: w.label for w in FeedbackWho},
        "how": {h.value: h.label for h in FeedbackHow},
        "tone": {t.value: t.label for t in FeedbackTone},
    }
}


@bp.context_processor
def feedback_labels() -> dict[str, Any]:
    return FEEDBACK_LABELS


class _FormInvalid(Exception):
    """The button's own part of the form (a conversation or an action) has format errors."""


def _form(audit: Audit, **kwargs: Any) -> AuditFormBase:
    return audit_form(
        audit,
        services.active_themes_for(audit),
        [u for u in accounts.list_users(include_inactive=False) if can_view_audit(u, audit)],
        **kwargs,
    )


def _prefill(form: StartAuditForm) -> None:
    """A link may say what it knows: a case to close the loop on, say, or (started from the
    rota) the allocation, which then says what it knows."""
    args = request.args
    form.case_ref.data = args.get("case_ref", "")
    form.service_area_id.data = optional_int(args.get("service_area_id"))
    form.team_id.data = optional_int(args.get("team_id"))
    if args.get("audit_type") in {t.value for t in AuditType}:
        form.audit_type.data = args["audit_type"]
    form.previous_audit_ref.data = args.get("previous_audit_ref", "")
    allocation_id = optional_int(args.get("allocation_id"))
    if allocation_id is None:
        return
    try:
        known = services.allocation_prefill(current_user, allocation_id)
    except DomainError as error:
        flash(error.message, "info")
        return
    form.case_ref.data = known["case_ref"]
    form.service_area_id.data = known["service_area_id"]
    form.team_id.data = known["team_id"]
    form.allocation_id.data = str(known["allocation_id"])


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.AUDITOR)
def new() -> ResponseReturnValue:
    started = services.audit_started_from(
        current_user, optional_int(request.values.get("allocation_id"))
    )
    if started is not None:
        # Returned or still a draft: a second audit of the same allocation would be a duplicate.
        flash(f"You have already started audit {started.reference} for this allocation", "info")
        return redirect(url_for("audits.edit", audit_id=started.id))
    form = StartAuditForm(organisation.list_service_areas())
    if request.method == "GET":
        _prefill(form)
    if form.validate_on_submit():
        with attempt(form, "case_ref") as outcome:
            audit = services.start_audit(
                current_user,
                form.case_ref.data or "",
                form.service_area_id.data,
                form.team_id.data,
                form.audit_date.data,
                form.audit_type.data or "",
                allocation_id=optional_int(form.allocation_id.data),
                previous_audit_ref=(form.previous_audit_ref.data or "").strip() or None,
            )
        if outcome.ok:
            flash(f"Audit {audit.reference} has been started as a draft", "success")
            return redirect(url_for("audits.edit", audit_id=audit.id))
    return render_template("audits/new.html", form=form), form_status(form)


@bp.route("/<int:audit_id>")
@case_level("audit", "audit_id")
@login_required
def show(audit_id: int) -> ResponseReturnValue:
    audit = viewable_audit_or_abort(audit_id, services.AUDIT_PAGE)
    return _render_show(audit, ReturnForm(formdata=None))


def _render_show(audit: Audit, return_form: ReturnForm, status: int = 200) -> ResponseReturnValue:
    can_return = current_user.has_role(Role.QA_LEAD) and audit.status == AuditStatus.SUBMITTED
    note_shown("audit", audit.id, audit.reference, audit.case_ref)
    return (
        render_template(
            "audits/show.html",
            audit=audit,
            history=changelog.history(audit),
            may_edit=services.may_edit(current_user, audit),
            return_form=return_form if can_return else None,
            form=return_form if return_form.errors else None,
        ),
        status,
    )


@bp.route("/<int:audit_id>/return", methods=["POST"])
@case_level("audit", "audit_id")
@roles_required(Role.QA_LEAD)
def return_to_auditor(audit_id: int) -> ResponseReturnValue:
    audit = viewable_audit_or_abort(audit_id)
    form = ReturnForm()
    if form.validate_on_submit():
        with attempt(form, "reason") as outcome:
            services.return_audit(current_user, audit, form.reason.data)
        if outcome.ok:
            flash(f"Audit {audit.reference} has been returned to {audit.auditor.name}", "success")
            return redirect(url_for("audits.show", audit_id=audit.id))
    audit = services.get_audit(audit_id, services.AUDIT_PAGE)
    return _render_show(audit, form, 400)


def _render_edit(
    audit: Audit, form: AuditFormBase, status: int = 200, **extra: Any
) -> ResponseReturnValue:
    return render_template("audits/edit.html", audit=audit, form=form, **extra), status


@bp.route("/<int:audit_id>/edit", methods=["GET", "POST"])
@case_level("audit", "audit_id")
@login_required
def edit(audit_id: int) -> ResponseReturnValue:
    audit = viewable_audit_or_abort(audit_id)
    if not services.may_edit(current_user, audit):
        if audit.auditor_id != current_user.id:
            abort(403)
        flash(f"Audit {audit.reference} has been submitted, so it can no longer be changed", "info")
        return redirect(url_for("audits.show", audit_id=audit.id))
    form = _form(audit)
    if request.method == "GET":
        form.fill_from(audit)
        return _render_edit(audit, form)
    if not form.validate_draft():
        return _render_edit(audit, form, 400)
    data = form.draft_data()
    with attempt(form, "overall_grade") as saved:
        services.save_draft(current_user, audit, form.version_number(), data)
    if isinstance(saved.error, ConcurrentEdit):
        # Told in the page's banner, with what differs, rather than on a field.
        form.version.errors = []
        audit = services.get_audit(audit_id)
        # What the user typed stays in the form; the next save deliberately replaces the
        # version saved elsewhere, which they have now been told about.
        form.version.data = str(audit.version)
        return _render_edit(audit, form, 409, stale=services.differences(audit, data))
    if not saved.ok:
        return _render_edit(audit, form, 400)
    return _after_saving(request.form.get("op", "save"), audit, form)


def _after_saving(op: str, audit: Audit, form: AuditFormBase) -> ResponseReturnValue:
    """The pressed button's own step, in a savepoint: if it is refused, the draft just saved
    stays (and the page says so)."""
    try:
        with db.session.begin_nested():
            message, target = _button_step(op, audit, form)
    except services.IncompleteAudit as incomplete:
        for name, problem in incomplete.problems:
            form.show_error(name, problem)
    except _FormInvalid:
        pass
    except NotFound as error:
        flash(error.message, "info")
        return redirect(url_for("audits.edit", audit_id=audit.id))
    except DomainError as error:
        form.show_error(error.field, error.message)
    else:
        flash(message, "success")
        return redirect(target)
    keep_work()
    form.version.data = str(audit.version)
    return _render_edit(audit, form, 400, draft_saved=True)


def _button_step(op: str, audit: Audit, form: AuditFormBase) -> tuple[str, str]:
    """Do what the pressed button asks, after the draft has been saved."""
    edit_url = url_for("audits.edit", audit_id=audit.id)
    if op == "save":
        return "Your draft has been saved", edit_url
    if op == "submit":
        services.submit(current_user, audit)
        return f"Audit {audit.reference} has been submitted", url_for(
            "audits.show", audit_id=audit.id
        )
    if op == "add_feedback":
        if not form.validate_feedback():
            raise _FormInvalid
        services.add_feedback(
            current_user,
            audit,
            form["feedback-who"].data,
            form["feedback-how"].data,
            form["feedback-said"].data,
            form["feedback-tone"].data,
            bool(form["feedback-consent"].data),
        )
        return "The conversation has been added", f"{edit_url}#feedback"
    if op == "add_action":
        if not form.validate_action():
            raise _FormInvalid
        services.add_action(
            current_user,
            audit,
            form["action-description"].data,
            form["action-owner_id"].data,
            form["action-due_on"].data,
        )
        return "The action has been added", f"{edit_url}#actions"
    return _removal_step(op, audit, edit_url)


def _removal_step(op: str, audit: Audit, edit_url: str) -> tuple[str, str]:
    kind, _, raw_id = op.partition(":")
    item_id = optional_int(raw_id)
    if kind == "remove_feedback" and item_id is not None:
        services.remove_feedback(current_user, audit, item_id)
        return "The conversation has been removed", f"{edit_url}#feedback"
    if kind == "remove_action" and item_id is not None:
        services.remove_action(current_user, audit, item_id)
        return "The action has been removed", f"{edit_url}#actions"
    abort(400)


@bp.route("/<int:audit_id>/autosave", methods=["POST"])
@login_required
def autosave(audit_id: int) -> ResponseReturnValue:
    """The audit form's background save: JSON in the same shape whatever happens."""
    try:
        audit = services.get_audit_for(current_user, audit_id)
    except NotFound:
        return jsonify(error="not_found", message="This audit does not exist"), 404
    except Forbidden:
        return jsonify(error="forbidden", message="You cannot change this audit"), 403
    if audit.auditor_id != current_user.id:
        return jsonify(error="forbidden", message="Only the audit's auditor can change it"), 403
    if not services.may_edit(current_user, audit):
        return jsonify(
            error="locked",
            message=f"Audit {audit.reference} has been submitted and can no longer be changed. "
            "Reload the page.",
        ), 409
    form = _form(audit)
    if not form.validate_draft():
        errors = {name: f.errors[0] for name, f in form._fields.items() if f.errors}
        return jsonify(error="invalid", message=next(iter(errors.values())), errors=errors), 400
    with attempt(form) as saved:
        changed = services.save_draft(current_user, audit, form.version_number(), form.draft_data())
    if isinstance(saved.error, ConcurrentEdit):
        return jsonify(
            error="stale",
            message=f"{saved.error.message} Reload the page to see the latest version; anything "
            "you typed here since your last save is still on this page, so copy it first.",
        ), 409
    if saved.error is not None:
        error = saved.error
        return jsonify(
            error="invalid", message=error.message, errors={error.field or "": error.message}
        ), 400
    now = local_now()
    return jsonify(
        version=audit.version,
        saved_at=now.isoformat(timespec="seconds"),
        saved_at_text=now.strftime("%H:%M"),
        changed=changed,
    )
