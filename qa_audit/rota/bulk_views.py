"""Bulk allotment pages (QA lead): the choices, a preview of what would be allotted to each
auditor with the warnings, then allotting; and a bulk allotment's page, where it can be
undone while none of it has started."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.months import long_date, month_label
from qa_audit.core.transaction import attempt
from qa_audit.core.views import found_or_404
from qa_audit.organisation import services as organisation
from qa_audit.rota import services as rota
from qa_audit.rota.forms import BulkAllotForm
from qa_audit.rota.models import Allocation
from qa_audit.rota.views import bp, keep_warnings, month_arg

# What the preview page carries back, as entered (the buttons and token apart).
NOT_CARRIED = {"csrf_token", "confirm", "change"}


def _choices(form: BulkAllotForm, areas: list[Any]) -> dict[str, Any]:
    chosen = set(form.service_area_ids.data or [])
    return {
        "month": form.month.data or "",
        "roles": list(form.roles.data or []),
        "service_areas": [a for a in areas if a.id in chosen],
        "per_auditor": form.per_auditor.data,
        "due_on": form.due_on.data,
        "due_on_reason": form.due_on_reason.data,
        "exclude_own_area": form.excluding_own_area,
    }


@bp.route("/allot-bulk", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def allot_bulk() -> ResponseReturnValue:
    """The choices (GET, or "Change" from the preview), the preview (the choices posted), and
    allotting ("Allot audits" on the preview: the plan worked out again, so nothing doubles
    if the month changed meanwhile or the button is pressed twice)."""
    month = month_arg()
    areas = organisation.list_service_areas()
    form = BulkAllotForm(areas, month)
    if request.method == "GET":
        form.month.data = month
        form.roles.data = [Role.AUDITOR.value]
    elif "change" not in request.form and form.validate():
        if "confirm" in request.form:
            return _allot(form, areas)
        with attempt(form) as outcome:
            plan = rota.plan_bulk(**_choices(form, areas))
        if outcome.ok:
            return render_template(
                "rota/allot_bulk_preview.html",
                plan=plan,
                carried=[(k, v) for k, v in request.form.items(multi=True) if k not in NOT_CARRIED],
                month_label=month_label,
                long_date=long_date,
            )
    status = 400 if request.method == "POST" and form.errors else 200
    return (
        render_template("rota/allot_bulk.html", form=form, month=month, month_label=month_label),
        status,
    )


def _allot(form: BulkAllotForm, areas: list[Any]) -> ResponseReturnValue:
    with attempt(form) as outcome:
        result = rota.allot_bulk(current_user, **_choices(form, areas))
    if not outcome.ok:
        return (
            render_template(
                "rota/allot_bulk.html", form=form, month=form.month.data, month_label=month_label
            ),
            400,
        )
    count = len(result.allocations)
    auditors = len({a.auditor_id for a in result.allocations})
    flash(
        f"{count} audit{'s' if count != 1 else ''} allotted to {auditors} "
        f"auditor{'s' if auditors != 1 else ''} for {month_label(form.month.data or '')}",
        "success",
    )
    keep_warnings(result.warnings + result.independence)
    return redirect(url_for("rota.index", month=form.month.data))


@bp.route("/allotments/<allotment>")
@case_level("allocation")
@roles_required(Role.QA_LEAD)
def batch(allotment: str) -> ResponseReturnValue:
    """One bulk allotment (``allotment`` is its batch id)."""
    return _batch_page(allotment, found_or_404(rota.batch_allocations, allotment))


def _batch_page(
    batch_id: str, allocations: list[Allocation], problem: str | None = None
) -> ResponseReturnValue:
    note_listed(a.case_ref for a in allocations)
    return (
        render_template(
            "rota/batch.html",
            batch_id=batch_id,
            allocations=allocations,
            started=rota.started(allocations),
            month=allocations[0].month,
            month_label=month_label,
            long_date=long_date,
            problem=problem,
        ),
        400 if problem else 200,
    )


@bp.route("/allotments/<allotment>/undo", methods=["POST"])
@case_level("allocation")
@roles_required(Role.QA_LEAD)
def undo_batch(allotment: str) -> ResponseReturnValue:
    """Undo the allotment the page showed: the number of its allocations comes back, so that
    an allotment changed since (one reassigned away, say) is not undone unseen."""
    batch_id = allotment
    allocations = found_or_404(rota.batch_allocations, batch_id)
    month = allocations[0].month
    if request.form.get("count", type=int) != len(allocations):
        return _batch_page(
            batch_id,
            allocations,
            "This allotment changed since you opened the page: check it and undo it again",
        )
    with attempt() as outcome:
        removed = rota.undo_batch(current_user, batch_id)
    if not outcome.ok:
        return redirect(url_for("rota.batch", allotment=batch_id))
    flash(
        f"The allotment has been undone: {removed} audit{'s' if removed != 1 else ''} "
        f"taken off the rota for {month_label(month)}",
        "success",
    )
    return redirect(url_for("rota.index", month=month))
