"""The change log: who changed which record, when, from what to what."""

from __future__ import annotations

from flask import Flask

from qa_audit.changelog import chain, presentation
from qa_audit.changelog.commands import logs_group


def init_app(app: Flask) -> None:
    """The logs' hash chain and the ``logs verify`` command; other parts record their changes
    through ``record_change``."""
    chain.init_app(app)
    presentation.init_app(app)
    app.cli.add_command(logs_group)
