"""Dormant accounts: active accounts nobody has signed in to for QA_AUDIT_DORMANT_DAYS days
(90 by default; an account never signed in to counts from when it was made). Councils'
access reviews ask for them; they are listed for an administrator, and may be deactivated
one by one, all at once from the command line, or by the scheduled run when
QA_AUDIT_DORMANT_AUTO_DEACTIVATE is set. Break-glass administrators are listed but never
deactivated in bulk: the day the identity provider is down is the day they are needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from qa_audit.auth.break_glass import is_break_glass
from qa_audit.auth.models import User
from qa_audit.auth.services import set_active
from qa_audit.core.clock import utcnow
from qa_audit.core.extensions import db


@dataclass(frozen=True)
class DormantAccount:
    user: User
    last_sign_in_at: datetime | None
    days: int  # since the last sign-in, or since the account was made
    break_glass: bool


def dormant_days() -> int:
    return int(current_app.config.get("DORMANT_DAYS", 90))


def dormant_accounts(now: datetime | None = None) -> list[DormantAccount]:
    """Active accounts without a sign-in for the configured days, longest idle first. A
    setting of 0 days finds none (the check is off)."""
    days = dormant_days()
    if days <= 0:
        return []
    now = now or utcnow()
    found = []
    # Few hundred accounts at most: compared here, the same on SQLite and PostgreSQL.
    for user in db.session.scalars(select(User).where(User.active.is_(True))):
        since = user.last_sign_in_at or user.created_at
        idle = (now - since).days
        if idle >= days:
            found.append(DormantAccount(user, user.last_sign_in_at, idle, is_break_glass(user)))
    return sorted(found, key=lambda a: (-a.days, a.user.name, a.user.id))


def deactivate_dormant(actor: User | None, now: datetime | None = None) -> list[User]:
    """Deactivate every dormant account but the break-glass administrators' (and the actor's
    own); each deactivation ends its sessions and API tokens and is in the change log."""
    done = []
    for account in dormant_accounts(now):
        if account.break_glass or (actor is not None and account.user.id == actor.id):
            continue
        set_active(actor, account.user, False)
        done.append(account.user)
    return done
