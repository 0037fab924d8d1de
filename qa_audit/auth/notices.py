"""What a person is told by e-mail when someone else changes their account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from qa_audit.auth.roles import Role
from qa_audit.core.notifications import send_after_commit

if TYPE_CHECKING:
    from qa_audit.auth.models import User


def _labels(values: list[str]) -> str:
    return ", ".join(Role(v).label for v in values) or "none"


def _service() -> str:
    return str(current_app.config.get("SERVICE_NAME", "QA case audits"))


def tell_roles_changed(user: User, before: list[str], after: list[str]) -> None:
    """The person learns of every change to their roles, so that one made in their name
    without their knowledge is noticed."""
    send_after_commit(
        [user.email],
        f"{_service()}: your roles have changed",
        f"Your roles in {_service()} have changed.\n\n"
        f"Before: {_labels(before)}\nNow: {_labels(after)}\n\n"
        "If you did not expect this, tell your information governance lead.",
    )


def tell_password_reset(user: User, one_time: str) -> None:
    """The one-time password goes to the person alone; they must replace it at sign-in."""
    send_after_commit(
        [user.email],
        f"{_service()}: your one-time password",
        f"An administrator has reset your password for {_service()}.\n\n"
        f"Your one-time password is: {one_time}\n\n"
        "Sign in with it and you will be asked to choose a new password at once. "
        "If you did not ask for this, tell your information governance lead.",
    )
