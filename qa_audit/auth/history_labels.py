"""How change histories name people and read accounts' fields (qa_audit.changelog.presentation)."""

from __future__ import annotations

from collections.abc import Collection

from flask import Flask
from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.presentation import describe_fields, register_names
from qa_audit.core.extensions import db

# Fields, on any record, that hold a person's id.
PERSON_FIELDS = {
    "auditor_id": "Auditor",
    "moderator_id": "Moderator",
    "owner_id": "Owner",
    "recorded_by_id": "Recorded by",
    "created_by_id": "Created by",
    "selected_by_id": "Selected by",
    "imported_by_id": "Imported by",
    "exemption_approved_by_id": "Exemption approved by",
    "responsible_user_id": "Responsible person",
    "user_id": "Person",
}


def names_of_people(ids: Collection[int]) -> dict[int, str]:
    query = select(User.id, User.name).where(User.id.in_(ids))
    return {user_id: name for user_id, name in db.session.execute(query)}


def register(app: Flask) -> None:
    register_names(app, "user_account", names_of_people, fields=PERSON_FIELDS)
    describe_fields(
        app,
        "user_account",
        "Account",
        fields={
            "email": "E-mail address",
            "roles": "Roles",
            "active": "Can sign in",
            "external_id": "Identity provider's id",
        },
        actions={
            "user.created_by_import": "Created by an import",
            "user.password_set": "Password set",
            "user.password_reset": "One-time password sent",
            "user.provisioned": "Created by the council's identity provider (SCIM)",
            "user.provisioning_updated": "Updated by the council's identity provider (SCIM)",
        },
        values={"roles": {r.value: r.label for r in Role}},
    )
