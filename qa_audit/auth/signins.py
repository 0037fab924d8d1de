"""Server-side sign-in sessions: one record per sign-in, the browser's cookie holding only
its random token. Only a hash of the token is stored, so a copy of the database (a backup)
cannot be used to sign in; ending the record ends the session, whoever holds the cookie."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, defaultload, joinedload, mapped_column, relationship

from qa_audit.auth.models import User
from qa_audit.core.clock import utcnow
from qa_audit.core.db import Base, UTCDateTime
from qa_audit.core.extensions import db
from qa_audit.organisation.models import ServiceArea

if TYPE_CHECKING:
    from collections.abc import Sequence

# Last seen is written at most this often, not on every request; the server-side idle
# check allows for it.
LAST_SEEN_STEP = timedelta(minutes=1)


class SignInSession(Base):
    __tablename__ = "sign_in_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    client_address: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, client_address: str, user_agent: str) -> str:
    """Record a new sign-in of ``user``; the token for the browser's cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        SignInSession(
            user=user,
            token_hash=_hash(token),
            created_at=now,
            last_seen_at=now,
            client_address=client_address[:64],
            user_agent=user_agent[:300],
        )
    )
    return token


def _expired(record: SignInSession, now: datetime) -> bool:
    config = current_app.config
    idle = config["SESSION_IDLE_TIMEOUT"] + LAST_SEEN_STEP
    return (
        now - record.created_at > config["SESSION_ABSOLUTE_LIFETIME"]
        or now - record.last_seen_at > idle
    )


def load_user(token: str) -> User | None:
    """The user signed in by this token; None once the session was ended or ran out, or the
    account is inactive."""
    row = (
        db.session.execute(
            select(SignInSession, User)
            .join(User, SignInSession.user_id == User.id)
            .where(SignInSession.token_hash == _hash(token), SignInSession.revoked_at.is_(None))
            # Every request reads this: one statement with the roles joined, not a second
            # for them; the service area's teams only if a page asks (make bench).
            .options(
                joinedload(User.role_rows),
                defaultload(User.service_area).lazyload(ServiceArea.teams),
            )
        )
        .unique()
        .one_or_none()
    )
    if row is None:
        return None
    record, user = row
    now = utcnow()
    if _expired(record, now):
        record.revoked_at = now
        return None
    if not user.active:
        return None
    if now - record.last_seen_at > LAST_SEEN_STEP:
        record.last_seen_at = now
    return user


def end(token: str) -> None:
    """End the session this token names (signing out)."""
    db.session.execute(
        update(SignInSession)
        .where(SignInSession.token_hash == _hash(token), SignInSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def end_all(user: User) -> None:
    """End every session of ``user``: signing out everywhere, a new password, deactivation."""
    db.session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def is_current(record: SignInSession, token: str) -> bool:
    return secrets.compare_digest(record.token_hash, _hash(token))


def live_sessions(user: User) -> Sequence[SignInSession]:
    """``user``'s sessions that have not ended, newest first."""
    now = utcnow()
    records = db.session.scalars(
        select(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.revoked_at.is_(None))
        .order_by(SignInSession.created_at.desc(), SignInSession.id.desc())
    )
    return [r for r in records if not _expired(r, now)]
