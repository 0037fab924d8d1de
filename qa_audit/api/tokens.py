"""API tokens: each person issues their own (never one in another's name), shown once and
stored as a SHA-256 hash; a token expires, and is revoked by its holder, by an administrator,
or when its holder's account is deactivated (and stays revoked if it is re-activated)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from qa_audit.api.models import ApiToken
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_added, record_change, snapshot
from qa_audit.core.clock import utcnow
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.records import get_or_not_found

TOKEN_PREFIX = "qaa_"
TOKEN_FIELDS = [
    "user_id",
    "name",
    "prefix",
    "created_by_id",
    "expires_at",
    "revoked_at",
    "revoked_by_id",
]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lifetime() -> timedelta:
    return timedelta(days=int(current_app.config.get("API_TOKEN_DAYS", 90)))


def expiry_of(token: ApiToken) -> datetime:
    """When the token stops working (one issued before tokens expired: its issue plus the
    configured lifetime)."""
    return token.expires_at or token.created_at + _lifetime()


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``, issued by them; returns the row and the token, which is never
    stored. The token reads what ``user``'s roles allow, so nobody issues one for another."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter a name for the token, for example 'Power BI dashboard'", "name")
    if len(name) > 100:
        raise DomainError("The name must be 100 characters or fewer", "name")
    if not user.active:
        raise DomainError(f"{user.name}'s account is deactivated", "name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=token_hash(token),
        prefix=token[:10],
        created_by_id=user.id,
        expires_at=utcnow() + _lifetime(),
    )
    record_added(user, "api_token.issued", row, TOKEN_FIELDS)
    return row, token


def may_manage(actor: User, token: ApiToken) -> bool:
    """Its holder, or an administrator (who may revoke anyone's)."""
    return token.user_id == actor.id or actor.has_role(Role.ADMIN)


def revoke_token(actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token at once; it is kept (revoked), not deleted. ``actor`` None: the system,
    when the holder's account is deactivated."""
    if actor is not None and not may_manage(actor, token):
        raise NotFound("No such API token")
    if token.revoked:
        raise DomainError("This token has already been revoked")
    before = snapshot(token, TOKEN_FIELDS)
    token.revoked_at = utcnow()
    token.revoked_by_id = actor.id if actor is not None else None
    db.session.flush()
    record_change(actor, "api_token.revoked", token, before, snapshot(token, TOKEN_FIELDS))
    return token


def revoke_on_deactivation(sender: User, **kw: object) -> None:
    """core.signals.user_deactivated: the person's live tokens are revoked for good."""
    actor = kw.get("actor")
    live = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == sender.id, ApiToken.revoked_at.is_(None))
    )
    for token in live:
        revoke_token(actor if isinstance(actor, User) else None, token)


def list_tokens(actor: User) -> list[ApiToken]:
    """Everyone's tokens for an administrator; otherwise the person's own."""
    query = select(ApiToken).order_by(ApiToken.id.desc())
    if not actor.has_role(Role.ADMIN):
        query = query.where(ApiToken.user_id == actor.id)
    return list(db.session.scalars(query))


def get_token(actor: User, token_id: int) -> ApiToken:
    """A token the actor may manage; NotFound for anyone else's (as for a missing one)."""
    token = get_or_not_found(ApiToken, token_id, "API token")
    if not may_manage(actor, token):
        raise NotFound("No such API token")
    return token


def live_token(token: str) -> ApiToken | None:
    """The live, unexpired token of an active user; notes when it was last used."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    now = utcnow()
    if row is None or row.revoked or not row.user.active or expiry_of(row) <= now:
        return None
    # One write a minute at most, however often a dashboard refreshes.
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now
    return row
