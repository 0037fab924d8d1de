"""Calibration rounds: one case graded independently by a group, then compared with a reference
grade and discussed."""

from __future__ import annotations

from flask import Flask

from qa_audit.access_log.entities import register_entity
from qa_audit.calibration import blindness, history_labels, home
from qa_audit.calibration.models import CalibrationRound
from qa_audit.calibration.views import bp
from qa_audit.core import signals
from qa_audit.core.navigation import add_link
from qa_audit.moderation.blind_rules import register_rule


def init_app(app: Flask) -> None:
    """The calibration pages, their links, the home section, how the logs name rounds, and
    the rule keeping an invitee from the round's audit's grades until they have graded it."""
    app.register_blueprint(bp)
    add_link(app, "calibration.index", "Calibration", 105)
    add_link(app, "calibration.mine", "My calibration", 106)
    register_entity(
        app,
        "calibration_round",
        ("calibration round", "calibration rounds"),
        key=CalibrationRound.id,
        case_ref=CalibrationRound.case_ref,
    )
    history_labels.register(app)
    signals.home_sections.connect(home.home_sections)
    register_rule(blindness.RULE)
