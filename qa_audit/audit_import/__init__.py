"""The CSV import of historical audits (with their moderation): the QA lead's upload page and
the `qa-audit import audits` command."""

from __future__ import annotations

from flask import Flask

from qa_audit.audit_import.commands import import_group
from qa_audit.audit_import.views import bp


def init_app(app: Flask) -> None:
    """The upload page and the command."""
    app.register_blueprint(bp)
    app.cli.add_command(import_group)
