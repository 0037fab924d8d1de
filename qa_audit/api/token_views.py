"""Admin pages: issue an API token (shown once) and revoke one."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.api import services
from qa_audit.api.forms import IssueTokenForm
from qa_audit.auth import services as accounts
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.forms import form_status
from qa_audit.core.transaction import attempt, button_step
from qa_audit.core.views import found_or_404

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")


def _form() -> IssueTokenForm:
    return IssueTokenForm(accounts.list_users(include_inactive=False))


@bp.route("", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    form = _form()
    if form.validate_on_submit():
        with attempt(form, "name") as outcome:
            user = accounts.get_user(form.user_id.data)
            token, secret = services.issue_token(current_user, user, form.name.data or "")
        if outcome.ok:
            # Shown this once: only its hash is kept.
            return render_template("api/issued.html", token=token, secret=secret)
    return (
        render_template("api/tokens.html", form=form, tokens=services.list_tokens()),
        form_status(form),
    )


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@roles_required(Role.ADMIN)
def revoke(token_id: int) -> ResponseReturnValue:
    token = found_or_404(services.get_token, token_id)
    return button_step(
        lambda: services.revoke_token(current_user, token),
        f"The token '{token.name}' of {token.user.name} has been revoked",
        url_for("api_tokens.index"),
    )
