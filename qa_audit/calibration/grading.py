"""An invitee's grading of a round: each domain and the overall judgement, with an optional
short rationale; saved as often as they like until the deadline, and final once submitted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.models import User
from qa_audit.calibration.models import (
    CalibrationGrade,
    CalibrationInvitation,
    CalibrationRound,
    RoundStatus,
)
from qa_audit.calibration.rounds import grades_for
from qa_audit.changelog.services import record_change
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.months import long_date

RATIONALE_MAX = 1000
WHAT = "grading"


@dataclass(frozen=True)
class Entry:
    """One domain's grade as entered (None: not graded yet) and its rationale."""

    grade: Grade | None
    rationale: str = ""


def field_for(key: str) -> str:
    """The form field a domain's grade is entered in (the service names it in its refusals)."""
    return f"d_{key}_grade"


def invitation_for(person: User, calibration_round: CalibrationRound) -> CalibrationInvitation:
    """The person's invitation to the round; NotFound when they were not invited."""
    invitation = calibration_round.invitation_of(person.id)
    if invitation is None:
        raise NotFound("No such calibration round")
    return invitation


def refusal(
    invitation: CalibrationInvitation, status: str, deadline: date, today: date
) -> str | None:
    """Why the invitee may not change their grades now, if they may not."""
    if invitation.submitted:
        return "You have submitted your grades for this round. They can no longer be changed."
    if status == RoundStatus.CLOSED.value:
        return "The QA lead has closed this round. Grades can no longer be saved."
    if today > deadline:
        return (
            f"The deadline for this round was {long_date(deadline)}. Grades can no longer be saved."
        )
    return None


def _round_as_committed(calibration_round: CalibrationRound) -> tuple[str, date]:
    """The round's status and deadline as last committed. On PostgreSQL the shared lock waits
    for a close that is being committed at this moment, then reads it; SQLite's web requests
    take the write lock when they begin (core.db), so a close cannot slip in between."""
    row = db.session.execute(
        select(CalibrationRound.status, CalibrationRound.deadline)
        .where(CalibrationRound.id == calibration_round.id)
        .with_for_update(read=True)
    ).one()
    return row.status, row.deadline


def _check_entries(
    calibration_round: CalibrationRound, entries: dict[str, Entry], submit: bool
) -> None:
    for key in calibration_round.keys:
        entry = entries.get(key, Entry(None))
        title = calibration_round.title_of(key)
        if entry.grade is None:
            if submit:
                raise DomainError(f"Select your grade for {title}", field_for(key))
            continue
        if entry.grade not in grades_for(calibration_round, key):
            raise DomainError(f"Select a grade for {title} from the list", field_for(key))
        if len(entry.rationale.strip()) > RATIONALE_MAX:
            raise DomainError(
                f"The rationale for {title} must be {RATIONALE_MAX} characters or fewer",
                f"d_{key}_rationale",
            )


def _snapshot(invitation: CalibrationInvitation) -> dict[str, object]:
    grades = {g.domain_key: [g.grade, g.rationale] for g in invitation.grades}
    return {
        "grades": dict(sorted(grades.items())),
        "submitted_at": invitation.submitted_at.isoformat() if invitation.submitted_at else None,
    }


def save_grades(
    actor: User,
    calibration_round: CalibrationRound,
    version: int | None,
    entries: dict[str, Entry],
    *,
    submit: bool = False,
    today: date | None = None,
) -> CalibrationInvitation:
    """Save the invitee's grades (those entered so far); with ``submit``, every one is needed
    and they become final."""
    invitation = invitation_for(actor, calibration_round)
    status, deadline = _round_as_committed(calibration_round)
    refused = refusal(invitation, status, deadline, today or local_today())
    if refused:
        raise DomainError(refused)
    check_version(invitation, version, WHAT)
    _check_entries(calibration_round, entries, submit)
    before = _snapshot(invitation)
    for key in calibration_round.keys:
        _keep(invitation, key, entries.get(key, Entry(None)))
    if submit:
        invitation.submitted_at = utcnow()
    invitation.updated_at = utcnow()  # a save always moves the invitation's version
    flush_or_conflict(WHAT)
    action = "calibration_invitation.submitted" if submit else "calibration_invitation.saved"
    record_change(actor, action, invitation, before, _snapshot(invitation))
    return invitation


def _keep(invitation: CalibrationInvitation, key: str, entry: Entry) -> None:
    saved = invitation.grade_for(key)
    if entry.grade is None:
        if saved is not None:
            invitation.grades.remove(saved)
        return
    if saved is None:
        saved = CalibrationGrade(domain_key=key)
        invitation.grades.append(saved)
    saved.grade = entry.grade.value
    saved.rationale = entry.rationale.strip()
