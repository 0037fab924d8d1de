"""The committee report: drafts the QA lead writes around a period report, and finals."""

from __future__ import annotations

from flask import Flask

from qa_audit.committee_reports import models  # noqa: F401  (the tables, for migrations)


def init_app(app: Flask) -> None:
    """The committee report pages."""
