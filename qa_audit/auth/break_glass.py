"""Password sign-in switched off for everyone but named break-glass administrators
(QA_AUDIT_PASSWORD_SIGN_IN=break-glass-only): the council's identity provider is then the way
in, and a password is kept only for the day it is down."""

from __future__ import annotations

import hashlib
import logging

from flask import current_app

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.errors import DomainError

log = logging.getLogger(__name__)

# The GOV.UK error shown whatever the password was, so a refusal says nothing about it.
USE_COUNCIL_ACCOUNT = "Sign in with your council account"
PASSWORD_OFF = (
    "Passwords are not used for this account: it signs in with its council account, "
    "whose password is changed as the council's IT service says"
)


def break_glass_only() -> bool:
    return bool(current_app.config.get("PASSWORD_SIGN_IN", "on") == "break-glass-only")


def is_break_glass(user: User) -> bool:
    """An administrator named in QA_AUDIT_BREAK_GLASS_ADMINS."""
    named = user.email.strip().lower() in current_app.config.get("BREAK_GLASS_ADMINS", [])
    return named and user.has_role(Role.ADMIN)


def password_allowed(user: User | None) -> bool:
    """Whether ``user`` may sign in with, or be given, a password."""
    if not break_glass_only():
        return True
    return user is not None and is_break_glass(user)


def check_password_sign_in(user: User | None, email: str) -> None:
    """Refuse a password sign-in when passwords are off for this person, before the password
    is looked at (the answer must not tell whether it was right); the refusal is logged."""
    if password_allowed(user):
        return
    # The address typed is logged as a hash: the log holds no personal data of strangers.
    typed = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]
    log.warning(
        "password sign-in refused: break-glass only (account %s, typed address %s)",
        user.id if user is not None else "none",
        typed,
    )
    raise DomainError(USE_COUNCIL_ACCOUNT, "email")


def check_password_change(user: User) -> None:
    """Password changes and one-time passwords are off with password sign-in."""
    if not password_allowed(user):
        raise DomainError(PASSWORD_OFF, "password")
