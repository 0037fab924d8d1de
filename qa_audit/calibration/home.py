"""The home-page section of someone invited to calibration rounds they have still to grade."""

from __future__ import annotations

from typing import Any

from flask import url_for

from qa_audit.auth.models import User
from qa_audit.calibration.rounds import INVITED_ROLES, open_invitations
from qa_audit.core.home import Link, Section
from qa_audit.core.months import long_date


def rounds_to_grade(user: User, rounds: list[Any]) -> Section:
    return Section(
        title="Calibration rounds to grade",
        head=["Round", "Deadline"],
        rows=[[r.title, long_date(r.deadline)] for r in rounds],
        links=[
            Link(f"Grade {r.title}", url_for("calibration.grade", round_id=r.id)) for r in rounds
        ]
        + [Link("My calibration results", url_for("calibration.mine"))],
        count=len(rounds),
    )


def home_sections(user: User, **_: Any) -> list[tuple[Any, Section]]:
    """One section, under the first of the person's roles that grades, when they have rounds
    to grade (nothing otherwise: most weeks there is no round)."""
    role = next((r for r in INVITED_ROLES if r in user.roles), None)
    if role is None:
        return []
    rounds = open_invitations(user)
    return [(role, rounds_to_grade(user, rounds))] if rounds else []
