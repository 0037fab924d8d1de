"""Service areas and their teams."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register: the admin part has the pages for service areas and teams."""
