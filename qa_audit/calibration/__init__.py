"""Calibration rounds: one case graded independently by a group, then compared with a reference
grade and discussed."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing to register yet."""
