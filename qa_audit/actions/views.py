"""Actions pages: My actions, marking one done, the QA lead's actions centre and changing an
open action."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.actions import lists, services
from qa_audit.actions.forms import ActionFilterForm, ChangeActionForm, CompleteActionForm
from qa_audit.actions.models import ActionSource
from qa_audit.actions.visibility import may_see
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.auth.services import list_users
from qa_audit.core.clock import local_today
from qa_audit.core.errors import Forbidden
from qa_audit.core.forms import form_status
from qa_audit.core.transaction import attempt
from qa_audit.core.views import filtered_list_page, list_query, permitted_or_abort, requested_page
from qa_audit.organisation.services import list_service_areas

bp = Blueprint("actions", __name__)


@bp.route("/my-actions")
@case_level("action")
@login_required
def mine() -> ResponseReturnValue:
    rows = lists.my_actions(current_user)
    note_listed(r.case_ref for r in rows)
    return render_template(
        "actions/my_actions.html",
        open_rows=[r for r in rows if not r.done],
        done_rows=[r for r in rows if r.done],
    )


@bp.route("/actions/<int:action_id>/done", methods=["GET", "POST"])
@case_level("action", "action_id")
@login_required
def complete(action_id: int) -> ResponseReturnValue:
    action = permitted_or_abort(services.get_action, action_id, services.may_complete)
    form = CompleteActionForm()
    if request.method == "GET":
        form.version.data = str(action.version)
    elif form.validate_on_submit():
        with attempt(form, "note") as outcome:
            services.complete_action(
                current_user, action, form.note.data or "", form.version_number()
            )
        if outcome.ok:
            flash("The action has been marked as done", "success")
            if action.owner_id == current_user.id:
                return redirect(url_for("actions.mine"))
            return redirect(url_for("actions.centre"))
        if isinstance(outcome.error, Forbidden):
            abort(403)
        action = services.get_action(action_id)
        form.version.data = str(action.version)
    return (
        render_template(
            "actions/complete.html",
            form=form,
            action=action,
            source_label=ActionSource(action.source).label,
            today=local_today(),
        ),
        form_status(form),
    )


@bp.route("/actions/<int:action_id>/change", methods=["GET", "POST"])
@case_level("action", "action_id")
@roles_required(Role.QA_LEAD)
def change(action_id: int) -> ResponseReturnValue:
    """The QA lead changes an open action's wording, owner or due date: an owner who has left
    or moved would otherwise leave the action with nobody to do it."""
    action = services.get_action(action_id)
    owners = [u for u in list_users(include_inactive=False) if may_see(u, action)]
    form = ChangeActionForm(owners)
    if request.method == "GET":
        form.description.data = action.description
        form.owner_id.data = action.owner_id
        form.due_on.data = action.due_on
        form.version.data = str(action.version)
    elif form.validate_on_submit():
        with attempt(form, "description") as outcome:
            services.update_action(
                current_user,
                action,
                description=form.description.data or "",
                owner_id=form.owner_id.data,
                due_on=form.due_on.data,
                expected_version=form.version_number() or 0,
            )
        if outcome.ok:
            flash("The action has been changed", "success")
            return redirect(url_for("actions.centre"))
        action = services.get_action(action_id)
        form.version.data = str(action.version)
    return (
        render_template("actions/change.html", form=form, action=action, today=local_today()),
        form_status(form),
    )


def _filter_form() -> ActionFilterForm:
    areas = [(str(a.id), a.name) for a in list_service_areas()]
    form = ActionFilterForm(lists.owner_choices(), areas, formdata=request.args)
    form.validate()
    return form


@bp.route("/actions")
@case_level("action")
@roles_required(Role.QA_LEAD)
def centre() -> ResponseReturnValue:
    form = _filter_form()
    rows, paging = lists.actions_centre(form.filters(), requested_page())
    note_listed(r.case_ref for r in rows)
    return filtered_list_page(
        "actions/centre.html",
        form,
        rows,
        paging,
        ("actions.centre", "Pages of actions"),
        export_href=url_for("actions.export", **list_query()),
    )


@bp.route("/actions/export.csv")
@roles_required(Role.QA_LEAD)
def export() -> ResponseReturnValue:
    form = _filter_form()
    if form.errors:
        abort(400)
    today = local_today()
    text = lists.export_actions_csv(current_user, form.filters(), today=today)
    return Response(
        "\ufeff" + text,  # a BOM, so Excel reads the UTF-8 correctly
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="actions-{today:%Y-%m-%d}.csv"',
            "Cache-Control": "no-store",
        },
    )
