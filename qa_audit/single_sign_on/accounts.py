"""Who may come in through the provider: the account linked to the provider's subject; the
first time, the active account whose e-mail address the provider vouches for; optionally a new
account whose roles come from the provider's groups. A deactivated account never comes in.
Every sign-in, link and refusal is written to the change log."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import current_app
from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.services import create_user, find_user_by_email
from qa_audit.changelog.services import record_change
from qa_audit.core.clock import utcnow
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.single_sign_on.models import GroupRole, ProviderLink
from qa_audit.single_sign_on.provider import SignInRefused

ASK_ADMINISTRATOR = (
    "You do not have an account on this service. Ask your system administrator to give you one"
)
DEACTIVATED = "Your account on this service has been deactivated. Ask your system administrator"
UNVERIFIED = (
    "Your council account did not confirm your e-mail address, so it cannot be matched to an "
    "account on this service. Ask your system administrator"
)


def _claim(claims: dict[str, Any], setting: str) -> Any:
    return claims.get(current_app.config[setting])


def _verified_email(claims: dict[str, Any]) -> str | None:
    """The e-mail address, if the provider vouches for it (or is trusted to: Entra ID)."""
    email = _claim(claims, "OIDC_EMAIL_CLAIM")
    if not isinstance(email, str) or not email.strip():
        return None
    verified = _claim(claims, "OIDC_EMAIL_VERIFIED_CLAIM")
    if (
        verified is True
        or str(verified).lower() == "true"
        or current_app.config["OIDC_TRUST_EMAIL"]
    ):
        return email.strip().lower()
    return None


def _log(actor: User | None, action: str, record: Any, details: dict[str, Any]) -> None:
    record_change(actor, action, record, None, details)


def log_refusal(claims: dict[str, Any] | None, reason: str, user: User | None = None) -> None:
    """Write a refused sign-in to the change log (on the account when one is known)."""
    claims = claims or {}
    details = {
        "reason": reason,
        "issuer": current_app.config["OIDC_ISSUER"],
        "subject": str(_claim(claims, "OIDC_SUBJECT_CLAIM") or ""),
        "email": str(_claim(claims, "OIDC_EMAIL_CLAIM") or ""),
    }
    # An unsaved link names the attempt when no account does (the log needs a kind of record).
    record = user if user is not None else ProviderLink()
    _log(user, "single_sign_on.refused", record, details)


def refuse(
    claims: dict[str, Any] | None, reason: str, message: str, user: User | None = None
) -> NoReturn:
    """Refuse the sign-in: the page says so and the change log records it."""
    raise SignInRefused(reason, message, claims, user)


def _linked(issuer: str, subject: str) -> User | None:
    query = select(User).join(ProviderLink, ProviderLink.user_id == User.id)
    return db.session.scalar(
        query.where(ProviderLink.issuer == issuer, ProviderLink.subject == subject)
    )


def _link(user: User, issuer: str, subject: str, how: str) -> None:
    link = ProviderLink(user_id=user.id, issuer=issuer, subject=subject, linked_at=utcnow())
    db.session.add(link)
    db.session.flush()
    _log(user, "single_sign_on.linked", link, {"issuer": issuer, "subject": subject, "by": how})


def _mapped_groups(claims: dict[str, Any]) -> list[GroupRole]:
    groups = _claim(claims, "OIDC_GROUPS_CLAIM")
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list) or not groups:
        return []
    query = select(GroupRole).where(GroupRole.group_id.in_([str(g) for g in groups]))
    return list(db.session.scalars(query.order_by(GroupRole.id)))


def _create(claims: dict[str, Any], email: str) -> User | None:
    """A new account with the roles its groups are mapped to; None when none is mapped."""
    mapped = _mapped_groups(claims)
    if not mapped:
        return None
    # The first mapping that names a place decides the person's service area and team.
    placed = next((m for m in mapped if m.service_area_id is not None), None)
    name = _claim(claims, "OIDC_NAME_CLAIM")
    try:
        return create_user(
            None,
            email=email,
            name=name if isinstance(name, str) and name.strip() else email,
            roles={m.role for m in mapped},
            password=None,
            service_area_id=placed.service_area_id if placed else None,
            team_id=placed.team_id if placed else None,
        )
    except DomainError as error:
        refuse(claims, f"account not created: {error.message}", ASK_ADMINISTRATOR)
    return None


def _why_no_group(claims: dict[str, Any]) -> str:
    # Entra ID leaves the groups out of a token for someone in more than 200 of them (the
    # "overage"), naming a Graph query instead: docs/deployment.md says how to avoid it.
    overage = claims.get("_claim_names")
    if isinstance(overage, dict) and current_app.config["OIDC_GROUPS_CLAIM"] in overage:
        return "no account, and the token left out the groups (too many: group overage)"
    return "no account, and no group mapped to a role"


def account_for(claims: dict[str, Any]) -> User:
    """The account these verified claims sign in, linked or created as the settings allow."""
    issuer = current_app.config["OIDC_ISSUER"]
    subject = _claim(claims, "OIDC_SUBJECT_CLAIM")
    if not isinstance(subject, str) or not subject:
        refuse(claims, "no subject claim", ASK_ADMINISTRATOR)
    user = _linked(issuer, subject)
    if user is None:
        user = _first_sign_in(claims, issuer, subject)
    if not user.active:
        refuse(claims, "account deactivated", DEACTIVATED, user)
    user.last_sign_in_at = utcnow()
    _log(user, "single_sign_on.signed_in", user, {"issuer": issuer, "subject": subject})
    return user


def _first_sign_in(claims: dict[str, Any], issuer: str, subject: str) -> User:
    email = _verified_email(claims)
    if email is None:
        refuse(claims, "e-mail address not verified", UNVERIFIED)
    user = find_user_by_email(email)
    if user is not None:
        if not user.active:
            refuse(claims, "account deactivated", DEACTIVATED, user)
        _link(user, issuer, subject, "e-mail address")
        return user
    if not current_app.config["OIDC_CREATE_ACCOUNTS"]:
        refuse(claims, "no account with this e-mail address", ASK_ADMINISTRATOR)
    user = _create(claims, email)
    if user is None:
        refuse(claims, _why_no_group(claims), ASK_ADMINISTRATOR)
    _link(user, issuer, subject, "account created from groups")
    return user
