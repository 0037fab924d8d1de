"""Everyone's own API tokens: issue one (shown once), see when each was last used and when it
expires, revoke it. An administrator sees and may revoke anyone's, but issues only their own."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.api import tokens
from qa_audit.api.forms import IssueTokenForm
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.forms import form_status
from qa_audit.core.transaction import attempt, button_step
from qa_audit.core.views import found_or_404

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")


@bp.route("", methods=["GET", "POST"])
@roles_required(*Role)
def index() -> ResponseReturnValue:
    form = IssueTokenForm()
    if form.validate_on_submit():
        # Always the signed-in person's own: a user_id sent with the form is not read.
        with attempt(form, "name") as outcome:
            token, secret = tokens.issue_token(current_user, form.name.data or "")
        if outcome.ok:
            # Shown this once: only its hash is kept.
            return render_template(
                "api/issued.html", token=token, secret=secret, expires=tokens.expiry_of(token)
            )
    return (
        render_template(
            "api/tokens.html",
            form=form,
            tokens=tokens.list_tokens(current_user),
            expiry_of=tokens.expiry_of,
        ),
        form_status(form),
    )


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@roles_required(*Role)
def revoke(token_id: int) -> ResponseReturnValue:
    token = found_or_404(tokens.get_token, current_user, token_id)
    return button_step(
        lambda: tokens.revoke_token(current_user, token),
        f"The token '{token.name}' of {token.user.name} has been revoked",
        url_for("api_tokens.index"),
    )
