"""The administrators' list of dormant accounts, each with a button to deactivate it."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.auth import services as accounts
from qa_audit.auth.dormant import dormant_accounts, dormant_days
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.clock import LOCAL_TZ
from qa_audit.core.transaction import button_step
from qa_audit.core.views import found_or_404

bp = Blueprint("admin_accounts", __name__, url_prefix="/admin")


@bp.route("/dormant-accounts")
@roles_required(Role.ADMIN)
def dormant() -> ResponseReturnValue:
    listed = [
        (
            account,
            account.last_sign_in_at.astimezone(LOCAL_TZ).strftime("%-d %B %Y")
            if account.last_sign_in_at
            else "Never",
        )
        for account in dormant_accounts()
    ]
    return render_template("admin/dormant_accounts.html", accounts=listed, days=dormant_days())


@bp.route("/dormant-accounts/<int:user_id>/deactivate", methods=["POST"])
@roles_required(Role.ADMIN)
def deactivate(user_id: int) -> ResponseReturnValue:
    user = found_or_404(accounts.get_user, user_id)
    return button_step(
        lambda: accounts.set_active(current_user, user, False),
        f"{user.name} has been deactivated",
        url_for("admin_accounts.dormant"),
    )
