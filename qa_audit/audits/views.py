"""The auditor's pages: start an audit, the audit's task list, the background save of its
section pages, one audit's page, and the QA lead's return to the auditor."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_shown
from qa_audit.audits import services, task_list
from qa_audit.audits.editing import editable_audit, form_for
from qa_audit.audits.form_fields import optional_int
from qa_audit.audits.forms import ReturnForm, StartAuditForm
from qa_audit.audits.models import (
    Audit,
    AuditStatus,
    AuditType,
    FeedbackHow,
    FeedbackTone,
    FeedbackWho,
)
from qa_audit.audits.page_access import viewable_audit_or_abort
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.changelog import services as changelog
from qa_audit.core.clock import local_now
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden, NotFound
from qa_audit.core.forms import form_status
from qa_audit.core.transaction import attempt
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
        form.narrow_teams(form.service_area_id.data)
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


@bp.route("/<int:audit_id>/edit")
@case_level("audit", "audit_id")
@login_required
def edit(audit_id: int) -> ResponseReturnValue:
    """The audit's task list: each section and its status, then Check your answers."""
    audit = editable_audit(audit_id)
    if not isinstance(audit, Audit):
        return audit
    note_shown("audit", audit.id, audit.reference, audit.case_ref)
    done, total = task_list.completed_count(audit)
    return render_template(
        "audits/task_list.html",
        audit=audit,
        tasks=task_list.tasks(audit),
        safeguarding=task_list.safeguarding_status(audit),
        ready=task_list.ready_to_submit(audit),
        done=done,
        total=total,
        task_status=task_list.status_params,
    )


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
    section = request.form.get("section") or None
    if section is not None and section not in task_list.section_keys(audit):
        return jsonify(error="invalid", message="This part of the audit does not exist"), 400
    form = form_for(audit)
    # Every box is checked; those refused are left as stored and the rest saved.
    form.validate_draft(section)
    refused = form.draft_errors()
    if "version" in refused:
        return jsonify(error="invalid", message=refused["version"], errors=refused), 400
    with attempt(form) as saved:
        changed = services.save_draft(
            current_user, audit, form.version_number(), form.draft_data(section)
        )
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
        # What was refused is named, so the person knows which box to shorten.
        errors=refused,
        message=" ".join(refused.values()),
    )
