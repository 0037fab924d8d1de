"""The council's retention schedule: audits, rota allocations and dip samples past it lose
their case references and free text, keeping the grades and counts the reports are made of
(docs/retention.md)."""

from __future__ import annotations

from flask import Flask

from qa_audit.retention.cli import retention_group


def init_app(app: Flask) -> None:
    """The ``retention`` command."""
    app.cli.add_command(retention_group)
