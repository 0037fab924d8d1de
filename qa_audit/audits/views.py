"""The auditor's pages: start an audit, the audit form (with autosave), one audit's page,
and the QA lead's return to the auditor."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_shown
from qa_audit.audits import home as _home  # noqa: F401  (registers the auditor's home section)
from qa_audit.audits import services
from qa_audit.audits.forms import (
    AuditFormBase,
    ReturnForm,
    StartAuditForm,
    _optional_int,
    audit_form,
)
from qa_audit.audits.links import viewable_audit_or_abort
from qa_audit.audits.models import (
    Audit,
    AuditStatus,
    AuditType,
    FeedbackHow,
    FeedbackTone,
    FeedbackWho,
)
from qa_audit.auth import services as accounts
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.changelog import services as changelog
from qa_audit.core.clock import local_now
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.forms import apply_domain_error
from qa_audit.organisation import services as organisation
from qa_audit.rota import services as rota

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


def _audit_or_abort(audit_id: int, options: tuple[Any, ...] = ()) -> Audit:
    return viewable_audit_or_abort(audit_id, options)  # type: ignore[no-any-return]


def _form(audit: Audit, **kwargs: Any) -> AuditFormBase:
    return audit_form(
        audit,
        services.active_themes_for(audit),
        accounts.list_users(include_inactive=False),
        **kwargs,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.AUDITOR)
def new():  # type: ignore[no-untyped-def]
    form = StartAuditForm(organisation.list_service_areas())
    allocation_id = _optional_int(request.args.get("allocation_id"))
    if request.method == "GET":
        # A link may say what it knows: a case to close the loop on, say.
        form.case_ref.data = request.args.get("case_ref", "")
        form.service_area_id.data = _optional_int(request.args.get("service_area_id"))
        form.team_id.data = _optional_int(request.args.get("team_id"))
        if request.args.get("audit_type") in {t.value for t in AuditType}:
            form.audit_type.data = request.args["audit_type"]
        form.previous_audit_ref.data = request.args.get("previous_audit_ref", "")
    if request.method == "GET" and allocation_id is not None:
        # Started from the rota: the allocation says what it already knows.
        try:
            known = rota.start_prefill(current_user, allocation_id)
        except DomainError as error:
            flash(error.message, "info")
        else:
            form.case_ref.data = known["case_ref"]
            form.service_area_id.data = known["service_area_id"]
            form.team_id.data = known["team_id"]
            form.allocation_id.data = str(known["allocation_id"])
    if form.validate_on_submit():
        try:
            audit = services.start_audit(
                current_user,
                form.case_ref.data or "",
                form.service_area_id.data,
                form.team_id.data,
                form.audit_date.data,
                form.audit_type.data or "",
                allocation_id=_optional_int(form.allocation_id.data),
                previous_audit_ref=(form.previous_audit_ref.data or "").strip() or None,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error, "case_ref")
        else:
            db.session.commit()
            flash(f"Audit {audit.reference} has been started as a draft", "success")
            return redirect(url_for("audits.edit", audit_id=audit.id))
    return render_template("audits/new.html", form=form), 400 if form.errors else 200


@bp.route("/<int:audit_id>")
@case_level("audit", "audit_id")
@login_required
def show(audit_id: int):  # type: ignore[no-untyped-def]
    audit = _audit_or_abort(audit_id, services.AUDIT_PAGE)
    return _render_show(audit, ReturnForm(formdata=None))


def _render_show(audit: Audit, return_form: ReturnForm, status: int = 200):  # type: ignore[no-untyped-def]
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
def return_to_auditor(audit_id: int):  # type: ignore[no-untyped-def]
    audit = _audit_or_abort(audit_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            services.return_audit(current_user, audit, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error, "reason")
        else:
            db.session.commit()
            flash(f"Audit {audit.reference} has been returned to {audit.auditor.name}", "success")
            return redirect(url_for("audits.show", audit_id=audit.id))
    audit = services.get_audit(audit_id, services.AUDIT_PAGE)
    return _render_show(audit, form, 400)


def _render_edit(audit: Audit, form: AuditFormBase, status: int = 200, **extra: Any):  # type: ignore[no-untyped-def]
    return (
        render_template(
            "audits/edit.html",
            audit=audit,
            form=form,
            **extra,
        ),
        status,
    )


@bp.route("/<int:audit_id>/edit", methods=["GET", "POST"])
@case_level("audit", "audit_id")
@login_required
def edit(audit_id: int):  # type: ignore[no-untyped-def]
    audit = _audit_or_abort(audit_id)
    if not services.may_edit(current_user, audit):
        if audit.auditor_id != current_user.id:
            abort(403)
        flash(f"Audit {audit.reference} has been submitted, so it can no longer be changed", "info")
        return redirect(url_for("audits.show", audit_id=audit.id))
    form = _form(audit)
    if request.method == "GET":
        form.fill_from(audit)
        return _render_edit(audit, form)

    op = request.form.get("op", "save")
    if not form.validate_draft():
        return _render_edit(audit, form, 400)
    data = form.draft_data()
    try:
        services.save_draft(current_user, audit, form.expected_version(), data)
    except ConcurrentEdit:
        db.session.rollback()
        audit = services.get_audit(audit_id)
        # What the user typed stays in the form; the next save deliberately replaces the
        # version saved elsewhere, which they have now been told about.
        form.version.data = str(audit.version)
        return _render_edit(audit, form, 409, stale=services.differences(audit, data))
    except DomainError as error:
        db.session.rollback()
        form.show_error(error.field, error.message)
        return _render_edit(audit, form, 400)

    # The button's own step runs in a savepoint: if it is refused, the draft just saved stays.
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
        db.session.commit()
        return redirect(url_for("audits.edit", audit_id=audit.id))
    except DomainError as error:
        form.show_error(error.field, error.message)
    else:
        db.session.commit()
        flash(message, "success")
        return redirect(target)
    db.session.commit()
    audit = services.get_audit(audit_id)
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
    kind, _, raw_id = op.partition(":")
    item_id = _optional_int(raw_id)
    if kind == "remove_feedback" and item_id is not None:
        services.remove_feedback(current_user, audit, item_id)
        return "The conversation has been removed", f"{edit_url}#feedback"
    if kind == "remove_action" and item_id is not None:
        services.remove_action(current_user, audit, item_id)
        return "The action has been removed", f"{edit_url}#actions"
    abort(400)


@bp.route("/<int:audit_id>/autosave", methods=["POST"])
@login_required
def autosave(audit_id: int):  # type: ignore[no-untyped-def]
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
    try:
        changed = services.save_draft(
            current_user, audit, form.expected_version(), form.draft_data()
        )
    except ConcurrentEdit as error:
        db.session.rollback()
        return jsonify(
            error="stale",
            message=f"{error.message} Reload the page to see the latest version; anything you "
            "typed here since your last save is still on this page, so copy it first.",
        ), 409
    except DomainError as error:
        db.session.rollback()
        return jsonify(
            error="invalid", message=error.message, errors={error.field or "": error.message}
        ), 400
    db.session.commit()
    now = local_now()
    return jsonify(
        version=audit.version,
        saved_at=now.isoformat(timespec="seconds"),
        saved_at_text=now.strftime("%H:%M"),
        changed=changed,
    )
