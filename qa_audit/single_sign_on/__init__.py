"""Sign-in through the council's identity provider (OpenID Connect), linking accounts and
mapping its groups to roles."""

from __future__ import annotations

from flask import Flask

from qa_audit.changelog.presentation import describe_fields
from qa_audit.core.navigation import add_link
from qa_audit.single_sign_on import group_views, models, provider
from qa_audit.single_sign_on.views import bp, keep_onward, sign_out_onward, start_address

__all__ = ["group_views", "models"]


def init_app(app: Flask) -> None:
    """The sign-in routes, Authlib's client registry, and signing out at the provider."""
    provider.init_app(app)
    app.register_blueprint(bp)
    app.extensions["qa_audit.sign_out_onward"] = sign_out_onward
    app.after_request(keep_onward)
    app.context_processor(
        lambda: {
            "single_sign_on_offered": provider.configured(),
            "single_sign_on_start": start_address,
        }
    )
    if app.config.get("OIDC_ISSUER"):
        add_link(app, "single_sign_on.group_roles", "Sign-in groups", 46)
    describe_fields(
        app,
        "single_sign_on_group_role",
        "Sign-in group mapping",
        fields={"group_id": "Group id", "role": "Role", "service_area_id": "Service area"},
        actions={
            "single_sign_on.group_mapped": "Group mapped to a role",
            "single_sign_on.group_unmapped": "Group mapping removed",
        },
    )
    describe_fields(
        app,
        "single_sign_on_link",
        "Council account",
        fields={"issuer": "Identity provider", "subject": "Subject id", "reason": "Reason"},
        actions={
            "single_sign_on.linked": "Linked to a council account",
            "single_sign_on.refused": "Sign-in with a council account refused",
            "single_sign_on.signed_in": "Signed in with a council account",
        },
    )
