"""Thematic dip samples: a question set, sampled cases, findings and actions."""

from __future__ import annotations

from flask import Flask

from qa_audit.core.navigation import add_link


def init_app(app: Flask) -> None:
    """The dip-sample pages."""
    from qa_audit.dip_samples.views import bp

    app.register_blueprint(bp)
    add_link(app, "dip_samples.index", "Dip samples", 140)
