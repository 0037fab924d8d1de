"""Admin pages: users and their roles, service areas and teams, the change log."""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.admin.forms import RenameForm, ServiceAreaForm, TeamForm, UserForm
from qa_audit.auth import services as accounts
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.changelog import services as changelog
from qa_audit.core.forms import form_status
from qa_audit.core.transaction import attempt, button_step
from qa_audit.core.views import found_or_404, requested_page
from qa_audit.organisation import services as organisation

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50
T = TypeVar("T")


@bp.route("/users")
@roles_required(Role.ADMIN)
def users() -> ResponseReturnValue:
    return render_template("admin/users.html", users=accounts.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user() -> ResponseReturnValue:
    form = UserForm(organisation.list_service_areas())
    if form.validate_on_submit():
        with attempt(form) as outcome:
            user = accounts.create_user(
                current_user,
                email=form.email.data or "",
                name=form.name.data or "",
                roles=form.roles.data or [],
                password=None,
                service_area_id=form.service_area_id.data,
                team_id=form.team_id.data,
            )
        if outcome.ok:
            flash(
                f"{user.name} has been added. Send them a one-time password from their page",
                "success",
            )
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), form_status(form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int) -> ResponseReturnValue:
    user = found_or_404(accounts.get_user, user_id)
    form = UserForm(organisation.list_service_areas())
    if request.method == "GET":
        form.email.data = user.email
        form.name.data = user.name
        form.roles.data = sorted(r.value for r in user.roles)
        form.service_area_id.data = user.service_area_id
        form.team_id.data = user.team_id
    if form.validate_on_submit():
        with attempt(form) as outcome:
            accounts.update_user(
                current_user,
                user,
                name=form.name.data or "",
                roles=form.roles.data or [],
                service_area_id=form.service_area_id.data,
                team_id=form.team_id.data,
            )
        if outcome.ok:
            flash(f"{user.name}'s details have been saved", "success")
            return redirect(url_for("admin.users"))
    return (
        render_template(
            "admin/user_form.html",
            form=form,
            user=user,
            history=changelog.history(user),
        ),
        form_status(form),
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required(Role.ADMIN)
def set_active(user_id: int) -> ResponseReturnValue:
    user = found_or_404(accounts.get_user, user_id)
    active = request.form.get("active") == "1"
    return button_step(
        lambda: accounts.set_active(current_user, user, active),
        f"{user.name} has been {'re-activated' if active else 'deactivated'}",
        url_for("admin.edit_user", user_id=user.id),
    )


@bp.route("/users/<int:user_id>/password-reset", methods=["POST"])
@roles_required(Role.ADMIN)
def reset_password(user_id: int) -> ResponseReturnValue:
    user = found_or_404(accounts.get_user, user_id)
    return button_step(
        lambda: accounts.reset_password(current_user, user),
        f"A one-time password has been e-mailed to {user.name}; "
        "they must choose a new password when they sign in",
        url_for("admin.edit_user", user_id=user.id),
    )


@bp.route("/service-areas", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def service_areas() -> ResponseReturnValue:
    form = ServiceAreaForm()
    if form.validate_on_submit():
        with attempt(form) as outcome:
            area = organisation.create_service_area(
                current_user, form.key.data or "", form.name.data or ""
            )
        if outcome.ok:
            flash(f"{area.name} has been added", "success")
            return redirect(url_for("admin.service_areas"))
    return (
        render_template(
            "admin/service_areas.html", areas=organisation.list_service_areas(), form=form
        ),
        form_status(form),
    )


@bp.route("/service-areas/<int:area_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def service_area(area_id: int) -> ResponseReturnValue:
    area = found_or_404(organisation.get_service_area, area_id)
    rename = RenameForm(prefix="rename")
    team = TeamForm(prefix="team")
    if request.method == "GET":
        rename.name.data = area.name
    elif rename.submit.data and rename.validate():
        with attempt(rename, "name") as outcome:
            organisation.rename_service_area(current_user, area, rename.name.data or "")
        if outcome.ok:
            flash("The service area has been renamed", "success")
            return redirect(url_for("admin.service_area", area_id=area.id))
    elif team.submit.data and team.validate():
        with attempt(team, "name") as outcome:
            organisation.create_team(current_user, area, team.name.data or "")
        if outcome.ok:
            flash("The team has been added", "success")
            return redirect(url_for("admin.service_area", area_id=area.id))
    errors = rename.errors or team.errors
    return (
        render_template(
            "admin/service_area.html",
            area=area,
            rename=rename,
            team_form=team,
            form=rename if rename.errors else team,
        ),
        400 if errors else 200,
    )


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def team(team_id: int) -> ResponseReturnValue:
    team = found_or_404(organisation.get_team, team_id)
    form = RenameForm()
    if request.method == "GET":
        form.name.data = team.name
    if form.validate_on_submit():
        with attempt(form, "name") as outcome:
            organisation.rename_team(current_user, team, form.name.data or "")
        if outcome.ok:
            flash("The team has been renamed", "success")
            return redirect(url_for("admin.service_area", area_id=team.service_area_id))
    return render_template("admin/team.html", team=team, form=form), form_status(form)


@bp.route("/change-log")
@case_level("change_log")
@roles_required(Role.ADMIN, Role.QA_LEAD)
def change_log() -> ResponseReturnValue:
    page = requested_page()
    # An administrator sees no case data: only changes to records that hold none.
    case_data = current_user.has_role(Role.QA_LEAD)
    entries = changelog.recent(
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
        entity_types=None if case_data else changelog.NON_CASE_ENTITY_TYPES,
    )
    return render_template(
        "admin/change_log.html",
        entries=entries[:PAGE_SIZE],
        page=page,
        has_next=len(entries) > PAGE_SIZE,
        case_data=case_data,
    )
