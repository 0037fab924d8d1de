"""Provisioning by SCIM (RFC 7644): the identity provider creates, finds, updates and
deactivates accounts. Rows are never deleted (children's case records name their auditors):
SCIM's DELETE deactivates. Accounts it makes hold no roles until an administrator (or the
single sign-on group mapping) gives them some, and no password. Every change is in the
change log, made by nobody (the system) as the identity provider has no account here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from qa_audit.auth.models import User
from qa_audit.auth.services import find_user_by_email, normalise_email, set_active
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.scim.models import ScimIdentity
from qa_audit.scim.resources import MAX_PAGE, ScimError

FIELDS = ["email", "name", "active"]
# The one filter form Entra ID sends (and its externalId twin): attribute eq "value".
FILTER = re.compile(r'^\s*(userName|externalId)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)
TRUE_WORDS = {"true": True, "false": False}


@dataclass
class Changes:
    """What a SCIM request asks to set; None: left as it is."""

    email: str | None = None
    name: str | None = None
    active: bool | None = None
    external_id: str | None = None
    clear_external_id: bool = False


def _boolean(value: Any) -> bool:
    """Entra ID sends active as a JSON boolean or as the string "True"/"False"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS:
        return TRUE_WORDS[value.strip().lower()]
    raise ScimError(400, "active must be true or false", "invalidValue")


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScimError(400, f"{what} must be a non-empty string", "invalidValue")
    return value.strip()


def _name_of(body: dict[str, Any]) -> str | None:
    """displayName, else name.formatted, else given and family names."""
    if body.get("displayName"):
        return _text(body["displayName"], "displayName")
    name = body.get("name")
    if isinstance(name, dict):
        if name.get("formatted"):
            return _text(name["formatted"], "name.formatted")
        parts = [name.get("givenName"), name.get("familyName")]
        joined = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
        return joined or None
    return None


def changes_from_resource(body: dict[str, Any]) -> Changes:
    """The attributes of a whole User (POST and PUT); userName is required."""
    if "userName" not in body:
        raise ScimError(400, "userName is required", "invalidValue")
    changes = Changes(email=_text(body["userName"], "userName"), name=_name_of(body))
    if "active" in body:
        changes.active = _boolean(body["active"])
    if body.get("externalId") is not None:
        changes.external_id = _text(body["externalId"], "externalId")
    else:
        changes.clear_external_id = True
    return changes


def _apply_path(changes: Changes, path: str, value: Any, op: str) -> None:
    key = path.strip().lower()
    if op == "remove":
        if key == "externalid":
            changes.clear_external_id = True
        return  # nothing else of ours may be emptied: the rest is kept
    if key == "active":
        changes.active = _boolean(value)
    elif key == "username":
        changes.email = _text(value, "userName")
    elif key in ("displayname", "name.formatted"):
        changes.name = _text(value, path)
    elif key == "externalid":
        changes.external_id = _text(value, "externalId")
    # Anything else Entra ID maps (title, addresses, given and family names, e-mails, which
    # are the userName here) is not kept by qa-audit and is let pass, as provisioning expects.


def changes_from_patch(body: dict[str, Any]) -> Changes:
    """The Operations of a PatchOp. Entra ID writes "Replace" and "Add" capitalised, and sends
    replace operations either with a path or with a value object holding the attributes."""
    operations = body.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PatchOp needs a list of Operations", "invalidSyntax")
    changes = Changes()
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation must be an object", "invalidSyntax")
        op = str(operation.get("op", "")).strip().lower()
        if op not in ("add", "replace", "remove"):
            raise ScimError(400, f"Unknown operation {operation.get('op')!r}", "invalidSyntax")
        path, value = operation.get("path"), operation.get("value")
        if path:
            _apply_path(changes, str(path), value, op)
        elif op != "remove" and isinstance(value, dict):
            for name, item in value.items():
                _apply_path(changes, name, item, op)
        else:
            raise ScimError(400, "An operation without a path needs an object value", "noTarget")
    return changes


def identity_of(user: User) -> ScimIdentity | None:
    return db.session.get(ScimIdentity, user.id)


def _email(text: str, user: User | None) -> str:
    try:
        email = normalise_email(text)
    except DomainError as error:
        raise ScimError(
            400, f"userName must be an e-mail address: {error.message}", "invalidValue"
        ) from error
    other = find_user_by_email(email)
    if other is not None and (user is None or other.id != user.id):
        raise ScimError(409, "A user with this userName already exists", "uniqueness")
    return email


def create(changes: Changes) -> User:
    """A new account from the identity provider: no roles, no password."""
    email = _email(changes.email or "", None)
    name = (changes.name or email)[:200]
    user = User(email=email, name=name, password_hash=None, active=True, role_rows=[])
    if changes.active is False:
        user.active = False
    db.session.add(user)
    db.session.flush()
    identity = ScimIdentity(user_id=user.id, external_id=changes.external_id, created_by_scim=True)
    db.session.add(identity)
    after = snapshot(user, FIELDS) | {"roles": [], "external_id": changes.external_id}
    record_change(None, "user.provisioned", user, None, after)
    return user


def update(user: User, changes: Changes) -> User:
    """Apply what the identity provider sent to an existing account."""
    identity = identity_of(user)
    if identity is None:
        # An account an administrator made, now matched by the identity provider.
        identity = ScimIdentity(user_id=user.id, created_by_scim=False)
        db.session.add(identity)
    before = snapshot(user, ["email", "name"]) | {"external_id": identity.external_id}
    if changes.email is not None:
        user.email = _email(changes.email, user)
    if changes.name is not None:
        user.name = changes.name[:200]
    if changes.external_id is not None:
        identity.external_id = changes.external_id
    elif changes.clear_external_id:
        identity.external_id = None
    db.session.flush()
    after = snapshot(user, ["email", "name"]) | {"external_id": identity.external_id}
    record_change(None, "user.provisioning_updated", user, before, after)
    if changes.active is not None and changes.active != user.active:
        # Deactivation ends the person's sessions and API tokens at once.
        set_active(None, user, changes.active)
    return user


def deactivate(user: User) -> User:
    """SCIM's DELETE: the account is deactivated, never removed."""
    if user.active:
        set_active(None, user, False)
    return user


def get(user_id: str) -> User:
    if not user_id.isdigit() or len(user_id) > 18:
        raise ScimError(404, "No such user")
    user = db.session.get(User, int(user_id))
    if user is None:
        raise ScimError(404, "No such user")
    return user


def search(filter_text: str | None, start: int, count: int) -> tuple[list[User], int]:
    """One page of users, filtered by ``userName eq "…"`` (or externalId); (page, total)."""
    query = select(User)
    if filter_text:
        match = FILTER.match(filter_text)
        if match is None:
            raise ScimError(
                400, 'Only filters of the form userName eq "value" are supported', "invalidFilter"
            )
        attribute, value = match.group(1).lower(), re.sub(r"\\(.)", r"\1", match.group(2))
        if attribute == "username":
            query = query.where(func.lower(User.email) == value.strip().lower())
        else:
            query = query.join(ScimIdentity, ScimIdentity.user_id == User.id).where(
                ScimIdentity.external_id == value
            )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    count = max(0, min(count, MAX_PAGE))
    page = db.session.scalars(query.order_by(User.id).offset(start - 1).limit(count))
    return list(page), total
