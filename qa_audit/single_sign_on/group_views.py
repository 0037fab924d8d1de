"""The administrator's page of group-to-role mappings."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.forms import form_status
from qa_audit.core.transaction import attempt
from qa_audit.core.views import found_or_404
from qa_audit.organisation.services import list_service_areas
from qa_audit.single_sign_on import groups
from qa_audit.single_sign_on.forms import GroupRoleForm
from qa_audit.single_sign_on.views import bp


@bp.route("/admin/single-sign-on/groups", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def group_roles() -> ResponseReturnValue:
    form = GroupRoleForm(list_service_areas())
    if form.validate_on_submit():
        with attempt(form) as outcome:
            groups.add_mapping(
                current_user,
                group_id=form.group_id.data or "",
                role=form.role.data or "",
                service_area_id=form.service_area_id.data,
                team_id=form.team_id.data,
            )
        if outcome.ok:
            flash("The group has been mapped to the role", "success")
            return redirect(url_for("single_sign_on.group_roles"))
    config = current_app.config
    return (
        render_template(
            "single_sign_on/group_roles.html",
            mappings=groups.list_mappings(),
            form=form,
            creates_accounts=config["OIDC_CREATE_ACCOUNTS"],
            groups_claim=config["OIDC_GROUPS_CLAIM"],
        ),
        form_status(form),
    )


@bp.route("/admin/single-sign-on/groups/<int:mapping_id>/remove", methods=["POST"])
@roles_required(Role.ADMIN)
def remove_group_role(mapping_id: int) -> ResponseReturnValue:
    mapping = found_or_404(groups.get_mapping, mapping_id)
    groups.remove_mapping(current_user, mapping)
    flash("The mapping has been removed", "success")
    return redirect(url_for("single_sign_on.group_roles"))
