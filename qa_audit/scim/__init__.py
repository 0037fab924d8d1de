"""SCIM 2.0 provisioning: the identity provider creates, updates and deactivates accounts."""

from __future__ import annotations

from flask import Flask

from qa_audit.auth.sessions import token_only
from qa_audit.scim.cli import scim_group
from qa_audit.scim.views import bp


def init_app(app: Flask) -> None:
    """/scim/v2 and the ``scim`` command."""
    app.register_blueprint(bp)
    token_only(app, bp.name)
    app.cli.add_command(scim_group)
