"""Actions pages: My actions, marking one done, and the QA lead's actions centre."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from qa_audit.access_log.declarations import case_level
from qa_audit.actions import services
from qa_audit.actions.forms import ActionFilterForm, CompleteActionForm
from qa_audit.actions.models import ActionSource
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.errors import DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.forms import apply_domain_error
from qa_audit.core.paging import page_number
from qa_audit.organisation.services import list_service_areas

bp = Blueprint("actions", __name__)


@bp.route("/my-actions")
@case_level("action")
@login_required
def mine():  # type: ignore[no-untyped-def]
    rows = services.my_actions(current_user)
    return render_template(
        "actions/my_actions.html",
        open_rows=[r for r in rows if not r.done],
        done_rows=[r for r in rows if r.done],
    )


@bp.route("/actions/<int:action_id>/done", methods=["GET", "POST"])
@case_level("action", "action_id")
@login_required
def complete(action_id: int):  # type: ignore[no-untyped-def]
    try:
        action = services.get_action(action_id)
    except NotFound:
        abort(404)
    if not services.may_complete(current_user, action):
        abort(403)
    form = CompleteActionForm()
    if request.method == "GET":
        form.version.data = str(action.version)
    elif form.validate_on_submit():
        try:
            services.complete_action(
                current_user, action, form.note.data or "", int(form.version.data)
            )
        except Forbidden:
            db.session.rollback()
            abort(403)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error, "note")
            action = services.get_action(action_id)
            form.version.data = str(action.version)
        else:
            db.session.commit()
            flash("The action has been marked as done", "success")
            if action.owner_id == current_user.id:
                return redirect(url_for("actions.mine"))
            return redirect(url_for("actions.centre"))
    return (
        render_template(
            "actions/complete.html",
            form=form,
            action=action,
            source_label=ActionSource(action.source).label,
            today=services.local_today(),
        ),
        400 if form.errors else 200,
    )


def _filter_form() -> ActionFilterForm:
    areas = [(str(a.id), a.name) for a in list_service_areas()]
    form = ActionFilterForm(services.owner_choices(), areas, formdata=request.args)
    form.validate()
    return form


@bp.route("/actions")
@case_level("action")
@roles_required(Role.QA_LEAD)
def centre():  # type: ignore[no-untyped-def]
    form = _filter_form()
    rows, paging = services.actions_centre(form.filters(), page_number(request.args.get("page")))
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    pagination = paging.govuk_params(
        lambda n: url_for("actions.centre", **query, page=n), "Pages of actions"
    )
    return (
        render_template(
            "actions/centre.html",
            form=form,
            rows=rows,
            paging=paging,
            pagination=pagination,
            export_href=url_for("actions.export", **query),
        ),
        400 if form.errors else 200,
    )


@bp.route("/actions/export.csv")
@roles_required(Role.QA_LEAD)
def export():  # type: ignore[no-untyped-def]
    form = _filter_form()
    if form.errors:
        abort(400)
    today = services.local_today()
    text = services.export_actions_csv(current_user, form.filters(), today=today)
    db.session.commit()
    return Response(
        "\ufeff" + text,  # a BOM, so Excel reads the UTF-8 correctly
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="actions-{today:%Y-%m-%d}.csv"',
            "Cache-Control": "no-store",
        },
    )
