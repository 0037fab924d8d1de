"""The QA lead's closing-the-loop pages: every prompt (filtered, paged), and for each one
scheduling its closing-the-loop audit on the rota or dismissing it with a reason."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.auth.models import User
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.core.forms import form_status
from qa_audit.core.months import long_date, month_label
from qa_audit.core.transaction import attempt
from qa_audit.core.views import filtered_list_page, found_or_404, requested_page
from qa_audit.organisation.services import list_service_areas
from qa_audit.rota import closing_the_loop as loops
from qa_audit.rota import services as rota
from qa_audit.rota.closing_the_loop_forms import DismissForm, PromptFilterForm, ScheduleForm
from qa_audit.rota.warning_step import Step, changing, read_first, warning_page

bp = Blueprint("closing_the_loop", __name__, url_prefix="/closing-the-loop")


@bp.route("")
@case_level("audit")
@roles_required(Role.QA_LEAD)
def index() -> ResponseReturnValue:
    form = PromptFilterForm(list_service_areas(), formdata=request.args)
    form.validate()
    state = form.prompt_state()
    rows, paging = loops.prompts(state, form.given_id("service_area_id"), requested_page())
    note_listed(r.case_ref for r in rows)
    return filtered_list_page(
        "rota/closing_the_loop.html",
        form,
        rows,
        paging,
        ("closing_the_loop.index", "Pages of closing-the-loop prompts"),
        state=state,
        states=loops.PromptState,
    )


def _undecided_or_list(audit_id: int) -> loops.Prompt | ResponseReturnValue:
    prompt = found_or_404(loops.prompt_for, audit_id)
    if prompt.decision is not None:
        flash(
            f"The closing-the-loop audit for audit {prompt.reference} has already been "
            f"{prompt.decision}",
            "info",
        )
        return redirect(url_for("closing_the_loop.index", state=prompt.decision))
    return prompt


@bp.route("/<int:audit_id>/schedule", methods=["GET", "POST"])
@case_level("audit", "audit_id")
@roles_required(Role.QA_LEAD)
def schedule(audit_id: int) -> ResponseReturnValue:
    prompt = _undecided_or_list(audit_id)
    if not isinstance(prompt, loops.Prompt):
        return prompt
    month = local_today().strftime("%Y-%m")
    form = ScheduleForm(rota.active_auditors(), month)
    if request.method == "GET":
        form.month.data = month
    if not changing() and form.validate_on_submit():
        choices = {
            "auditor": db.session.get(User, form.auditor_id.data),
            "month": form.month.data or "",
            "due_on": form.due_on.data,
            "due_on_reason": form.due_on_reason.data,
        }
        # The warnings first, before anything is saved, when any apply ("Schedule anyway").
        with attempt(form, "auditor_id") as outcome:
            warnings = loops.schedule_warnings(audit_id, **choices)
            result = (
                None
                if read_first(warnings)
                else loops.schedule(current_user, audit_id, **choices, warnings_read=warnings)
            )
        if outcome.ok and result is None:
            return warning_page(_schedule_step(prompt, choices), warnings)
        if outcome.ok and result is not None:
            allocation = result.allocations[0]
            flash(
                f"Closing-the-loop audit of case {prompt.case_ref} allotted to "
                f"{allocation.auditor.name} for {month_label(allocation.month)}",
                "success",
            )
            return redirect(url_for("closing_the_loop.index"))
    return render_template("rota/closing_the_loop_schedule.html", form=form, prompt=prompt), (
        form_status(form)
    )


def _schedule_step(prompt: loops.Prompt, choices: dict[str, Any]) -> Step:
    return Step(
        title="Check the warnings before scheduling",
        caption="Closing the loop",
        summary=f"The closing-the-loop audit of case {prompt.case_ref} would be allotted to "
        f"{choices['auditor'].name} for {month_label(choices['month'])}, due "
        f"{long_date(choices['due_on'])}.",
        button="Schedule anyway",
        change="Change the choices",
        back=url_for("closing_the_loop.index"),
        back_text="Back to closing-the-loop audits",
    )


@bp.route("/<int:audit_id>/dismiss", methods=["GET", "POST"])
@case_level("audit", "audit_id")
@roles_required(Role.QA_LEAD)
def dismiss(audit_id: int) -> ResponseReturnValue:
    prompt = _undecided_or_list(audit_id)
    if not isinstance(prompt, loops.Prompt):
        return prompt
    form = DismissForm()
    if form.validate_on_submit():
        with attempt(form, "reason") as outcome:
            loops.dismiss(current_user, audit_id, form.reason.data or "")
        if outcome.ok:
            flash(
                f"The closing-the-loop prompt for audit {prompt.reference} is dismissed", "success"
            )
            return redirect(url_for("closing_the_loop.index"))
    return render_template("rota/closing_the_loop_dismiss.html", form=form, prompt=prompt), (
        form_status(form)
    )
