"""A calibration round on a submitted audit keeps each person invited from that audit's grades
until they have submitted their own: otherwise an invitee could find the audit by the case
reference the grading page shows, and read the auditor's grades and the moderator's (the
round's default reference) before grading.

This is calibration's rule in the one mechanism that keeps people blind
(qa_audit.moderation.blind_rules, which blind moderation uses too); init_app registers it, and
the audit's pages, the All audits list, the API and the evidence explorer then keep the grades
from the invitee exactly as they do from a blind moderator. The QA lead, who runs the round,
and the audit's own auditor, whose grades they are, are never kept blind."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select

from qa_audit.audits.models import Audit
from qa_audit.auth.roles import Role
from qa_audit.calibration.models import CalibrationInvitation, CalibrationRound, RoundStatus
from qa_audit.calibration.rounds import INVITED_ROLES
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.moderation.blind_rules import BlindRule, Hidden

HIDDEN_MESSAGE = (
    "This audit is being graded in a calibration round you are invited to: its grades are "
    "shown once you have submitted your own grades for the round"
)


def _may_be_kept_blind(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or user.has_role(Role.QA_LEAD):
        return False
    return any(user.has_role(role) for role in INVITED_ROLES)


def _still_grading(user: Any) -> list[ColumnElement[bool]]:
    """Rounds on an audit (not the auditor's own) that ``user`` may still grade: invited, not
    submitted, the round open and its deadline not past (the day after it the results open)."""
    return [
        CalibrationInvitation.person_id == user.id,
        CalibrationInvitation.submitted_at.is_(None),
        CalibrationRound.status == RoundStatus.OPEN.value,
        CalibrationRound.deadline >= local_today(),
        Audit.auditor_id != user.id,
    ]


def _rounds() -> Any:
    return (
        select(CalibrationRound.id, CalibrationRound.audit_id)
        .join(CalibrationInvitation, CalibrationInvitation.round_id == CalibrationRound.id)
        .join(Audit, Audit.id == CalibrationRound.audit_id)
    )


def hidden_audit_ids(user: Any) -> set[int]:
    """The audits of rounds ``user`` has still to grade (usually none)."""
    if not _may_be_kept_blind(user):
        return set()
    return {row.audit_id for row in db.session.execute(_rounds().where(*_still_grading(user)))}


def hidden_from(user: Any, audit_id: int) -> Hidden | None:
    """Why this audit's grades are hidden from ``user``, with the round to grade, or None."""
    if not _may_be_kept_blind(user):
        return None
    found = db.session.execute(
        _rounds()
        .where(CalibrationRound.audit_id == audit_id, *_still_grading(user))
        .order_by(CalibrationRound.deadline, CalibrationRound.id)
        .limit(1)
    ).first()
    if found is None:
        return None
    return Hidden(
        title="This audit is being graded in a calibration round",
        explanation=(
            "You are invited to grade it in a calibration round. Its grades are shown to you "
            "once you have submitted your own grades for the round, or when the round's "
            "results open."
        ),
        message=HIDDEN_MESSAGE,
        link_text="Grade the calibration round",
        link=("calibration.grade", {"round_id": found.id}),
    )


RULE = BlindRule(
    name="calibration_round",
    hidden_ids=hidden_audit_ids,
    hidden_from=hidden_from,
    hint="In a calibration round",
)
