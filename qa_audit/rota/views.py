"""Rota pages (QA lead): the month's allocations and completion, allotting one audit, and
changing one allocation (reassign, extend, exempt). Allotting and reassigning show the
warnings first (warning_step). Bulk allotments: bulk_views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.auth.models import User
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.core.forms import form_status
from qa_audit.core.months import MONTH_PATTERN, add_months, long_date, month_label
from qa_audit.core.transaction import attempt
from qa_audit.core.url_ids import query_id
from qa_audit.core.views import found_or_404
from qa_audit.organisation import services as organisation
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.rota import services as rota
from qa_audit.rota.forms import (
    AllocationForm,
    AllotOneForm,
    ExemptForm,
    ExtendForm,
    ReassignForm,
)
from qa_audit.rota.home import due_tag
from qa_audit.rota.models import Allocation
from qa_audit.rota.warning_step import Step, changing, read_first, warning_page

bp = Blueprint("rota", __name__, url_prefix="/rota")


def month_arg() -> str:
    month = request.args.get("month", "")
    return month if MONTH_PATTERN.match(month) else local_today().strftime("%Y-%m")


def keep_warnings(warnings: list[str]) -> None:
    """Carry the service's warnings over the redirect, shown once as GOV.UK warning text."""
    if warnings:
        session["rota_warnings"] = warnings


def _kept_warnings() -> list[str]:
    return list(session.pop("rota_warnings", []))


@bp.app_template_global()
def rota_due_tag(allocation: Allocation, today: date | None = None) -> Markup:
    return due_tag(allocation, today or local_today())


@bp.route("")
@case_level("allocation")
@roles_required(Role.QA_LEAD)
def index() -> ResponseReturnValue:
    month = month_arg()
    area_id = request.args.get("service_area", type=query_id)
    today = local_today()
    allocations = rota.month_allocations(month, area_id)
    return render_template(
        "rota/index.html",
        month=month,
        month_label=month_label,
        previous_month=add_months(month, -1),
        next_month=add_months(month, 1),
        completion=rota.rota_completion(month, service_area_id=area_id, today=today),
        allocations=allocations,
        warnings={a.id: rota.allocation_warnings(a) for a in allocations},
        overdue=rota.overdue_allocations(today),
        areas=organisation.list_service_areas(),
        area_id=area_id,
        today=today,
        long_date=long_date,
        new_warnings=_kept_warnings(),
        batches=rota.month_batches(month),
    )


@bp.route("/allot", methods=["GET", "POST"])
@case_level("allocation")
@roles_required(Role.QA_LEAD)
def allot_one() -> ResponseReturnValue:
    """The choices; the warnings, before anything is saved, when any apply ("Allot anyway"
    allots, "Change" shows the choices again); then allotting. The warnings name the case
    and any recent audit of it, so the page is access-logged with the case."""
    month = month_arg()
    areas = organisation.list_service_areas()
    # The team list is narrowed to the service area chosen: the one posted, or ?service_area=.
    area_id = (
        request.form.get("service_area_id", type=query_id)
        if request.method == "POST"
        else request.args.get("service_area", type=query_id)
    )
    form = AllotOneForm(rota.active_auditors(), areas, month, area_id=area_id)
    if request.method == "GET":
        form.month.data = month
        form.service_area_id.data = area_id
    if not changing() and form.validate_on_submit():
        choices = _allotment(form)
        with attempt(form) as outcome:
            warnings = rota.allotment_warnings(**choices)
            result = (
                None
                if read_first(warnings)
                else rota.allot(current_user, **choices, warnings_read=warnings)
            )
        if outcome.ok and result is None:
            note_listed([choices["case_ref"]])
            return warning_page(_allot_step(choices), warnings)
        if outcome.ok and result is not None:
            allocation = result.allocations[0]
            flash(f"Audit allotted to {allocation.auditor.name}", "success")
            return redirect(url_for("rota.allocation", allocation_id=allocation.id))
    return (
        render_template("rota/allot_one.html", form=form, month=month, month_label=month_label),
        form_status(form),
    )


def _allotment(form: AllotOneForm) -> dict[str, Any]:
    return {
        "month": form.month.data or "",
        "auditor": db.session.get(User, form.auditor_id.data),
        "service_area": db.session.get(ServiceArea, form.service_area_id.data),
        "team": db.session.get(Team, form.team_id.data) if form.team_id.data else None,
        "case_ref": form.case_ref.data,
        "due_on": form.due_on.data,
        "due_on_reason": form.due_on_reason.data,
    }


def _allot_step(choices: dict[str, Any]) -> Step:
    case = (
        f"case {choices['case_ref'].strip()}"
        if (choices["case_ref"] or "").strip()
        else ("a case they choose")
    )
    return Step(
        title="Check the warnings before allotting",
        caption=f"Rota: {month_label(choices['month'])}",
        summary=f"{choices['auditor'].name} would be allotted an audit of {case} in "
        f"{choices['service_area'].name}, due {long_date(choices['due_on'])}.",
        button="Allot anyway",
        change="Change the allotment",
        back=url_for("rota.index", month=choices["month"]),
        back_text="Back to the rota",
    )


def _allocation_page(
    allocation: Allocation, failed: FlaskForm | None = None, **forms: FlaskForm
) -> ResponseReturnValue:
    auditors = rota.active_auditors()
    reassign = forms.get("reassign") or ReassignForm(
        auditors, allocation.auditor_id, prefix="reassign", formdata=None
    )
    extend = forms.get("extend") or ExtendForm(prefix="extend", formdata=None)
    exempt = forms.get("exempt") or ExemptForm(prefix="exempt", formdata=None)
    for form in (reassign, extend, exempt):
        form.version.data = str(allocation.version)
    return (
        render_template(
            "rota/allocation.html",
            allocation=allocation,
            warnings=rota.allocation_warnings(allocation),
            audits=allocation.audits,
            reassign_form=reassign,
            extend_form=extend,
            exempt_form=exempt,
            form=failed,
            history=history(allocation),
            month_label=month_label,
            long_date=long_date,
            today=local_today(),
        ),
        400 if failed is not None else 200,
    )


@bp.route("/allocations/<int:allocation_id>")
@case_level("allocation", "allocation_id")
@roles_required(Role.QA_LEAD)
def allocation(allocation_id: int) -> ResponseReturnValue:
    return _allocation_page(found_or_404(rota.get_allocation, allocation_id))


@bp.route("/allocations/<int:allocation_id>/reassign", methods=["POST"])
@case_level("allocation", "allocation_id")
@roles_required(Role.QA_LEAD)
def reassign(allocation_id: int) -> ResponseReturnValue:
    """Reassigning: the warnings first, before anything is saved, when any apply for the new
    auditor ("Reassign anyway" reassigns)."""
    allocation = found_or_404(rota.get_allocation, allocation_id)
    form = ReassignForm(rota.active_auditors(), allocation.auditor_id, prefix="reassign")
    warnings: list[str] = []
    if form.validate_on_submit():
        auditor = db.session.get(User, form.auditor_id.data)
        with attempt(form, "auditor_id") as outcome:
            warnings = rota.reassign_warnings(allocation, auditor, form.version_number())
        if not outcome.ok:
            db.session.refresh(allocation)
            return _allocation_page(allocation, form, reassign=form)
        if read_first(warnings) and auditor is not None:
            return warning_page(_reassign_step(allocation, auditor), warnings)
    return _change(
        allocation,
        form,
        "auditor_id",
        lambda: rota.reassign(
            current_user,
            allocation,
            db.session.get(User, form.auditor_id.data),
            expected_version=form.version_number(),
            warnings_read=warnings,
        ),
        lambda: f"The audit has been reassigned to {allocation.auditor.name}",
    )


def _reassign_step(allocation: Allocation, auditor: User) -> Step:
    page = url_for("rota.allocation", allocation_id=allocation.id)
    return Step(
        title="Check the warnings before reassigning",
        caption=f"Rota, {month_label(allocation.month)}",
        summary=f"The audit allotted to {allocation.auditor.name} would be reassigned to "
        f"{auditor.name}.",
        button="Reassign anyway",
        change=None,
        back=page,
        back_text="Do not reassign: back to the allocation",
    )


@bp.route("/allocations/<int:allocation_id>/extend", methods=["POST"])
@case_level("allocation", "allocation_id")
@roles_required(Role.QA_LEAD)
def extend(allocation_id: int) -> ResponseReturnValue:
    allocation = found_or_404(rota.get_allocation, allocation_id)
    form = ExtendForm(prefix="extend")
    return _change(
        allocation,
        form,
        "due_on",
        lambda: rota.extend(
            current_user,
            allocation,
            form.due_on.data,
            expected_version=form.version_number(),
            due_on_reason=form.due_on_reason.data,
        ),
        lambda: f"The due date is now {long_date(allocation.due_on)}",
    )


@bp.route("/allocations/<int:allocation_id>/exempt", methods=["POST"])
@case_level("allocation", "allocation_id")
@roles_required(Role.QA_LEAD)
def exempt(allocation_id: int) -> ResponseReturnValue:
    allocation = found_or_404(rota.get_allocation, allocation_id)
    form = ExemptForm(prefix="exempt")
    return _change(
        allocation,
        form,
        "reason",
        lambda: rota.exempt(
            current_user,
            allocation,
            reason=form.reason.data,
            approved_by=form.approved_by.data,
            expected_version=form.version_number(),
        ),
        lambda: "The exemption has been recorded",
    )


def _change(
    allocation: Allocation,
    form: AllocationForm,
    field: str,
    change: Callable[[], object],
    done: Callable[[], str],
) -> ResponseReturnValue:
    """One change to an allocation from its page: made and told (``done``, read after the
    change), or the page shown again as the allocation now stands, with the form's errors
    (a refusal goes on ``field`` unless it names its own)."""
    if form.validate_on_submit():
        with attempt(form, field) as outcome:
            change()
        if outcome.ok:
            flash(done(), "success")
            return redirect(url_for("rota.allocation", allocation_id=allocation.id))
    db.session.refresh(allocation)
    return _allocation_page(allocation, form, **{form.form_name: form})
