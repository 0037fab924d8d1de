"""Sign-in through the council's identity provider (OpenID Connect), linking accounts and
mapping its groups to roles."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register yet."""
