"""Accounts: signing in, creating users, roles, deactivation. Every change is logged."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from qa_audit.auth import break_glass, signins
from qa_audit.auth.models import User, UserRole
from qa_audit.auth.notices import tell_password_reset, tell_roles_changed
from qa_audit.auth.passwords import hash_password, password_problem, verify_password
from qa_audit.auth.roles import CASE_LEVEL_ROLES, Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core import signals
from qa_audit.core.clock import utcnow
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.notifications import smtp_configured
from qa_audit.core.records import get_or_not_found
from qa_audit.organisation.models import ServiceArea, Team

SIGN_IN_FAILED = "Enter a correct e-mail address and password"


def _user_snapshot(user: User) -> dict:
    data = snapshot(user, ["email", "name", "active", "service_area_id", "team_id"])
    data["roles"] = sorted(r.value for r in user.roles)
    return data


def normalise_email(email: str) -> str:
    """A checked, lower-case e-mail address; DomainError if it is not one."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(
            "Enter an e-mail address in the correct format, like name@example.gov.uk", "email"
        ) from exc


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def get_user(user_id: int) -> User:
    return get_or_not_found(User, user_id, "user")


def authenticate(email: str, password: str) -> User:
    """The user with these credentials; DomainError with one message whatever went wrong.

    Failed attempts are throttled by the caller (qa_audit.auth.throttle), never by a lock
    kept on the account."""
    user = find_user_by_email(email) if email else None
    break_glass.check_password_sign_in(user, email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        raise DomainError(SIGN_IN_FAILED, "email")
    user.last_sign_in_at = utcnow()
    return user


def _check_org(service_area_id: int | None, team_id: int | None) -> None:
    if service_area_id is not None and db.session.get(ServiceArea, service_area_id) is None:
        raise DomainError("Select a service area from the list", "service_area_id")
    if team_id is not None:
        team = db.session.get(Team, team_id)
        if team is None:
            raise DomainError("Select a team from the list", "team_id")
        if service_area_id is not None and team.service_area_id != service_area_id:
            raise DomainError("Select a team in the chosen service area", "team_id")


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    roles: Iterable[Role | str],
    password: str | None,
    service_area_id: int | None = None,
    team_id: int | None = None,
    active: bool = True,
) -> User:
    """Create an account. Without a password it cannot sign in until one is set."""
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise DomainError("Enter the person's name", "name")
    if find_user_by_email(email) is not None:
        raise DomainError("A user with this e-mail address already exists", "email")
    role_set = {Role(r) for r in roles}
    if not role_set:
        raise DomainError("Select at least one role", "roles")
    if password is not None and actor is not None:
        # Whoever knows a password can sign in as its holder: nobody chooses one for another.
        raise DomainError(
            "You cannot choose another person's password: send them a one-time password",
            "password",
        )
    if password is not None:
        problem = password_problem(password, email)
        if problem:
            raise DomainError(problem, "password")
    _check_org(service_area_id, team_id)
    user = User(
        email=email,
        name=name,
        password_hash=hash_password(password) if password else None,
        active=active,
        service_area_id=service_area_id,
        team_id=team_id,
        role_rows=[UserRole(role=r.value) for r in sorted(role_set)],
    )
    db.session.add(user)
    db.session.flush()
    record_change(actor, "user.created", user, None, _user_snapshot(user))
    return user


def update_user(
    actor: User,
    user: User,
    *,
    name: str,
    roles: Iterable[Role | str],
    service_area_id: int | None,
    team_id: int | None,
) -> User:
    """Change a user's name, roles, service area and team."""
    before = _user_snapshot(user)
    name = name.strip()
    if not name:
        raise DomainError("Enter the person's name", "name")
    role_set = {Role(r) for r in roles}
    if not role_set:
        raise DomainError("Select at least one role", "roles")
    if user.id == actor.id and Role.ADMIN in user.roles and Role.ADMIN not in role_set:
        raise DomainError("You cannot remove your own administrator role", "roles")
    if user.id == actor.id and (role_set - user.roles) & CASE_LEVEL_ROLES:
        # Separation of duties: case data is reached through a role someone else gave.
        raise DomainError(
            "You cannot give yourself a role that sees case records: ask another administrator",
            "roles",
        )
    _check_org(service_area_id, team_id)
    user.name = name
    user.service_area_id = service_area_id
    user.team_id = team_id
    current = {r.role: r for r in user.role_rows}
    for value in set(current) - {r.value for r in role_set}:
        user.role_rows.remove(current[value])
    for role in role_set:
        if role.value not in current:
            user.role_rows.append(UserRole(role=role.value))
    db.session.flush()
    db.session.expire(user, ["role_rows"])
    after = _user_snapshot(user)
    # The change log's entry holds the roles before and after; the person is told too.
    record_change(actor, "user.updated", user, before, after)
    if before["roles"] != after["roles"]:
        tell_roles_changed(user, before["roles"], after["roles"])
    return user


def set_active(actor: User | None, user: User, active: bool) -> User:
    """Deactivate (every session ends at once, and through the signal the API's tokens are
    revoked) or re-activate an account. ``actor`` None: the system (the dormant-account run,
    SCIM provisioning, the command line)."""
    if actor is not None and user.id == actor.id and not active:
        raise DomainError("You cannot deactivate your own account")
    before = _user_snapshot(user)
    user.active = active
    if not active:
        signins.end_all(user)
        signals.user_deactivated.send(user, actor=actor)
    record_change(
        actor,
        "user.activated" if active else "user.deactivated",
        user,
        before,
        _user_snapshot(user),
    )
    return user


def set_password(
    actor: User | None, user: User, password: str, *, to_be_changed: bool = False
) -> User:
    """The person's own new password (``actor`` None: the command line); other sessions end.

    ``to_be_changed``: someone else (an administrator on the server) chose it and so knows it;
    like a one-time password it lets the person do nothing but choose their own at the next
    sign-in."""
    if actor is not None and actor.id != user.id:
        raise DomainError(
            "You cannot choose another person's password: send them a one-time password",
            "password",
        )
    problem = password_problem(password, user.email)
    if problem is None and verify_password(user.password_hash, password):
        problem = "Password must not be your current password"
    if problem:
        raise DomainError(problem, "password")
    break_glass.check_password_change(user)
    _replace_password(user, password, must_change=to_be_changed)
    record_change(
        actor,
        "user.password_set",
        user,
        None,
        {"password": "set on the server, to be changed" if to_be_changed else "changed"},
    )
    return user


def reset_password(actor: User, user: User) -> User:
    """A one-time password, e-mailed to the person alone (never shown to ``actor``): it lets
    them do nothing but choose a new password at the next sign-in. Their sessions end."""
    if not user.active:
        raise DomainError(f"{user.name}'s account is deactivated: re-activate it first")
    break_glass.check_password_change(user)
    if not smtp_configured():
        raise DomainError(
            "A one-time password cannot be sent because e-mail is not set up "
            "(QA_AUDIT_SMTP_HOST). The person can be given a password on the server with "
            "'qa-audit users set-password'"
        )
    one_time = secrets.token_urlsafe(12)
    _replace_password(user, one_time, must_change=True)
    record_change(actor, "user.password_reset", user, None, {"password": "one-time, e-mailed"})
    tell_password_reset(user, one_time)
    return user


def _replace_password(user: User, password: str, *, must_change: bool) -> None:
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    signins.end_all(user)


def list_users(include_inactive: bool = True) -> list[User]:
    query = select(User).order_by(User.active.desc(), User.name)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    return list(db.session.scalars(query))


def active_holders(roles: Iterable[Role]) -> list[User]:
    """Active users holding any of ``roles``, in name order."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.id.in_(
                    select(UserRole.user_id).where(UserRole.role.in_([r.value for r in roles]))
                ),
            )
            .order_by(User.name, User.id)
        )
    )


def users_with_role(role: Role, service_area_id: int | None = None) -> list[User]:
    """Active users holding a role (in a service area, if given)."""
    query = (
        select(User)
        .join(UserRole)
        .where(UserRole.role == role.value, User.active.is_(True))
        .order_by(User.name)
    )
    if service_area_id is not None:
        query = query.where(User.service_area_id == service_area_id)
    return list(db.session.scalars(query))
