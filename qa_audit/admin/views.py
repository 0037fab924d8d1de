"""Admin pages: users and their roles, service areas and teams, the change log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.admin.forms import RenameForm, ServiceAreaForm, SetPasswordForm, TeamForm, UserForm
from qa_audit.auth import services as accounts
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.changelog import services as changelog
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.forms import apply_domain_error
from qa_audit.organisation import services as organisation

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


def _or_404(fn, *args):  # type: ignore[no-untyped-def]
    from flask import abort

    try:
        return fn(*args)
    except NotFound:
        abort(404)


def _status(form) -> int:  # type: ignore[no-untyped-def]
    return 400 if form.errors else 200


@bp.route("/users")
@roles_required(Role.ADMIN)
def users():  # type: ignore[no-untyped-def]
    return render_template("admin/users.html", users=accounts.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user():  # type: ignore[no-untyped-def]
    form = UserForm(organisation.list_service_areas())
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                current_user,
                email=form.email.data or "",
                name=form.name.data or "",
                roles=form.roles.data or [],
                password=form.password.data or None,
                service_area_id=form.service_area_id.data,
                team_id=form.team_id.data,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(f"{user.name} has been added", "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None), _status(form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int):  # type: ignore[no-untyped-def]
    user = _or_404(accounts.get_user, user_id)
    form = UserForm(organisation.list_service_areas(), editing=True)
    if request.method == "GET":
        form.email.data = user.email
        form.name.data = user.name
        form.roles.data = sorted(r.value for r in user.roles)
        form.service_area_id.data = user.service_area_id
        form.team_id.data = user.team_id
    if form.validate_on_submit():
        try:
            accounts.update_user(
                current_user,
                user,
                name=form.name.data or "",
                roles=form.roles.data or [],
                service_area_id=form.service_area_id.data,
                team_id=form.team_id.data,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(f"{user.name}'s details have been saved", "success")
            return redirect(url_for("admin.users"))
    return (
        render_template(
            "admin/user_form.html",
            form=form,
            user=user,
            history=changelog.history(user),
            password_form=SetPasswordForm(formdata=None),
        ),
        _status(form),
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required(Role.ADMIN)
def set_active(user_id: int):  # type: ignore[no-untyped-def]
    user = _or_404(accounts.get_user, user_id)
    active = request.form.get("active") == "1"
    try:
        accounts.set_active(current_user, user, active)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"{user.name} has been {'re-activated' if active else 'deactivated'}", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@roles_required(Role.ADMIN)
def set_password(user_id: int):  # type: ignore[no-untyped-def]
    user = _or_404(accounts.get_user, user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(current_user, user, form.password.data or "")
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error, "password")
        else:
            db.session.commit()
            flash(f"A new password has been set for {user.name}", "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return (
        render_template("admin/set_password.html", form=form, user=user),
        _status(form),
    )


@bp.route("/service-areas", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def service_areas():  # type: ignore[no-untyped-def]
    form = ServiceAreaForm()
    if form.validate_on_submit():
        try:
            area = organisation.create_service_area(
                current_user, form.key.data or "", form.name.data or ""
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(f"{area.name} has been added", "success")
            return redirect(url_for("admin.service_areas"))
    return (
        render_template(
            "admin/service_areas.html", areas=organisation.list_service_areas(), form=form
        ),
        _status(form),
    )


@bp.route("/service-areas/<int:area_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def service_area(area_id: int):  # type: ignore[no-untyped-def]
    area = _or_404(organisation.get_service_area, area_id)
    rename = RenameForm(prefix="rename")
    team = TeamForm(prefix="team")
    if request.method == "GET":
        rename.name.data = area.name
    elif rename.submit.data and rename.validate():
        try:
            organisation.rename_service_area(current_user, area, rename.name.data or "")
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(rename, error, "name")
        else:
            db.session.commit()
            flash("The service area has been renamed", "success")
            return redirect(url_for("admin.service_area", area_id=area.id))
    elif team.submit.data and team.validate():
        try:
            organisation.create_team(current_user, area, team.name.data or "")
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(team, error, "name")
        else:
            db.session.commit()
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
def team(team_id: int):  # type: ignore[no-untyped-def]
    team = _or_404(organisation.get_team, team_id)
    form = RenameForm()
    if request.method == "GET":
        form.name.data = team.name
    if form.validate_on_submit():
        try:
            organisation.rename_team(current_user, team, form.name.data or "")
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error, "name")
        else:
            db.session.commit()
            flash("The team has been renamed", "success")
            return redirect(url_for("admin.service_area", area_id=team.service_area_id))
    return render_template("admin/team.html", team=team, form=form), _status(form)


@bp.route("/change-log")
@case_level("change_log")
@roles_required(Role.ADMIN, Role.QA_LEAD)
def change_log():  # type: ignore[no-untyped-def]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
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
