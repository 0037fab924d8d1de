"""SCIM 2.0 provisioning: the identity provider creates, updates and deactivates accounts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register yet."""
