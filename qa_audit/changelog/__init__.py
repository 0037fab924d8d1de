"""The change log: who changed which record, when, from what to what."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register: other parts record their changes through ``record_change``."""
