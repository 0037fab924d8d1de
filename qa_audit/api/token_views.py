"""Admin pages: issue an API token (shown once) and revoke one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from qa_audit.api import services
from qa_audit.api.forms import IssueTokenForm
from qa_audit.auth import services as accounts
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.forms import apply_domain_error

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")


def _form() -> IssueTokenForm:
    return IssueTokenForm(accounts.list_users(include_inactive=False))


@bp.route("", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def index():  # type: ignore[no-untyped-def]
    form = _form()
    if form.validate_on_submit():
        try:
            user = accounts.get_user(form.user_id.data)
            token, secret = services.issue_token(current_user, user, form.name.data or "")
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error, "name")
        else:
            db.session.commit()
            # Shown this once: only its hash is kept.
            return render_template("api/issued.html", token=token, secret=secret)
    return (
        render_template("api/tokens.html", form=form, tokens=services.list_tokens()),
        400 if form.errors else 200,
    )


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@roles_required(Role.ADMIN)
def revoke(token_id: int):  # type: ignore[no-untyped-def]
    try:
        token = services.get_token(token_id)
    except NotFound:
        abort(404)
    try:
        services.revoke_token(current_user, token)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"The token '{token.name}' of {token.user.name} has been revoked", "success")
    return redirect(url_for("api_tokens.index"))
