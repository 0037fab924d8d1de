"""The audit's editing journey after the task list: one page per section (a domain, the
overall judgement, feedback, learning themes, actions), each saved on its own, and Check your
answers before the submission that cannot be undone."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_shown
from qa_audit.audits import services, task_list
from qa_audit.audits.editing import editable_audit, form_for
from qa_audit.audits.form_fields import optional_int
from qa_audit.audits.forms import AuditFormBase
from qa_audit.audits.models import Audit
from qa_audit.audits.views import FEEDBACK_LABELS
from qa_audit.core.errors import ConcurrentEdit, DomainError, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.transaction import attempt, keep_work

bp = Blueprint("audit_tasks", __name__, url_prefix="/audits")

# The pages whose own step (adding or removing) comes after the draft is saved.
ITEM_SECTIONS = {
    "feedback": "audits/section_feedback.html",
    "actions": "audits/section_actions.html",
}


@bp.context_processor
def feedback_labels() -> dict[str, Any]:
    return FEEDBACK_LABELS


class _FormInvalid(Exception):
    """The button's own part of the form (a conversation or an action) has format errors."""


def section_url(audit: Audit, key: str | None) -> str:
    """A section's page; Check your answers after the last section."""
    if key is None:
        return url_for("audit_tasks.check", audit_id=audit.id)
    return url_for("audit_tasks.section", audit_id=audit.id, section=key)


def _render_section(
    audit: Audit, section: str, form: AuditFormBase, status: int = 200, **extra: Any
) -> ResponseReturnValue:
    note_shown("audit", audit.id, audit.reference, audit.case_ref)
    template = ITEM_SECTIONS.get(section, "audits/section.html")
    domain = next((d for d in form.domains if d.key == section), None)
    task = next(t for t in task_list.tasks(audit) if t.key == section)
    return render_template(
        template,
        audit=audit,
        form=form,
        section=section,
        domain=domain,
        task=task,
        following_section=task_list.following,
        **extra,
    ), status


@bp.route("/<int:audit_id>/sections/<section>", methods=["GET", "POST"])
@case_level("audit", "audit_id")
@login_required
def section(audit_id: int, section: str) -> ResponseReturnValue:
    audit = editable_audit(audit_id)
    if not isinstance(audit, Audit):
        return audit
    if section not in task_list.section_keys(audit):
        abort(404)
    form = form_for(audit)
    if request.method == "GET":
        form.fill_from(audit)
        return _render_section(audit, section, form)
    # Every box is checked; those refused are left as stored and the rest saved.
    formats_ok = form.validate_draft(section)
    if form.version.errors:
        return _render_section(audit, section, form, 400)
    data = form.draft_data(section)
    with attempt(form, (form.draft_field_names(section) or ["overall_grade"])[0]) as saved:
        services.save_draft(current_user, audit, form.version_number(), data)
    if isinstance(saved.error, ConcurrentEdit):
        form.version.errors = []
        audit = services.get_audit(audit_id)
        # What the user typed stays in the form; the next save deliberately replaces the
        # version saved elsewhere, which they have now been told about.
        form.version.data = str(audit.version)
        stale = services.differences(audit, data)
        return _render_section(audit, section, form, 409, stale=stale)
    if not saved.ok:
        return _render_section(audit, section, form, 400)
    if not formats_ok:
        keep_work()
        form.version.data = str(audit.version)
        return _render_section(audit, section, form, 400, draft_saved=True)
    return _after_saving(request.form.get("op", "save"), audit, section, form)


def _after_saving(op: str, audit: Audit, section: str, form: AuditFormBase) -> ResponseReturnValue:
    """The pressed button's own step, in a savepoint: if it is refused, the draft just saved
    stays (and the page says so)."""
    try:
        with db.session.begin_nested():
            message, target = _button_step(op, audit, section, form)
    except _FormInvalid:
        pass
    except NotFound as error:
        flash(error.message, "info")
        return redirect(section_url(audit, section))
    except DomainError as error:
        form.show_error(error.field, error.message)
    else:
        if message:
            flash(message, "success")
        return redirect(target)
    keep_work()
    form.version.data = str(audit.version)
    return _render_section(audit, section, form, 400)


def _button_step(op: str, audit: Audit, section: str, form: AuditFormBase) -> tuple[str, str]:
    """Do what the pressed button asks, after the draft has been saved."""
    if op == "continue":
        return "", section_url(audit, task_list.following(audit, section))
    if op == "return":
        return "Your answers have been saved", url_for("audits.edit", audit_id=audit.id)
    if op == "save":
        return "Your answers have been saved", section_url(audit, section)
    if op == "add_feedback" and section == "feedback":
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
        return "The conversation has been added", section_url(audit, section)
    if op == "add_action" and section == "actions":
        if not form.validate_action():
            raise _FormInvalid
        services.add_action(
            current_user,
            audit,
            form["action-description"].data,
            form["action-owner_id"].data,
            form["action-due_on"].data,
            practitioner_role=form["action-practitioner_role"].data,
            practitioner_name=form["action-practitioner_name"].data,
        )
        return "The action has been added", section_url(audit, section)
    return _removal_step(op, audit, section)


def _removal_step(op: str, audit: Audit, section: str) -> tuple[str, str]:
    kind, _, raw_id = op.partition(":")
    item_id = optional_int(raw_id)
    if kind == "remove_feedback" and section == "feedback" and item_id is not None:
        services.remove_feedback(current_user, audit, item_id)
        return "The conversation has been removed", section_url(audit, section)
    if kind == "remove_action" and section == "actions" and item_id is not None:
        services.remove_action(current_user, audit, item_id)
        return "The action has been removed", section_url(audit, section)
    abort(400)


def _problem_links(audit: Audit, problems: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The error summary of Check your answers: each problem links to its field's page."""
    keys = task_list.section_keys(audit)
    links = []
    for field, message in problems:
        key = field.split("-", 1)[0] if "-" in field else field
        key = {"overall_grade": "overall", "overall_rationale": "overall"}.get(key, key)
        page = section_url(audit, key if key in keys else "overall")
        anchor = "action-description" if field == "actions" else field
        links.append({"text": message, "href": f"{page}#{anchor}"})
    return links


def _render_check(audit: Audit, status: int = 200, **extra: Any) -> ResponseReturnValue:
    note_shown("audit", audit.id, audit.reference, audit.case_ref)
    problems = services.completeness_problems(audit)
    return render_template(
        "audits/check.html",
        audit=audit,
        problems=_problem_links(audit, problems),
        tasks=task_list.tasks(audit),
        **extra,
    ), status


@bp.route("/<int:audit_id>/check", methods=["GET", "POST"])
@case_level("audit", "audit_id")
@login_required
def check(audit_id: int) -> ResponseReturnValue:
    audit = editable_audit(audit_id)
    if not isinstance(audit, Audit):
        return audit
    if request.method == "GET":
        return _render_check(audit)
    version = optional_int(request.form.get("version"))
    with attempt() as outcome:
        services.submit(current_user, audit, expected_version=version)
    if isinstance(outcome.error, ConcurrentEdit):
        return _render_check(services.get_audit(audit_id), 409)
    if outcome.error is not None:
        audit = services.get_audit(audit_id)
        return _render_check(audit, 400)
    flash(f"Audit {audit.reference} has been submitted", "success")
    return redirect(url_for("audits.show", audit_id=audit.id))
