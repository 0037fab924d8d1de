"""Service areas and their teams."""

from __future__ import annotations

from flask import Flask

from qa_audit.organisation import history_labels


def init_app(app: Flask) -> None:
    """How histories name service areas and teams; the admin part has their pages."""
    history_labels.register(app)
