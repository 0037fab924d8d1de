"""Agreement between auditors and moderators, and how far the grades can be trusted: exact and
within-one agreement, weighted kappa and Gwet's AC2 with their intervals, optimism and
drift."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register yet."""
