"""Setting up and running calibration rounds: who may be invited, creating a round, closing it
early, the reference grades and the discussion's notes (the QA lead's), and who sees a round."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.models import Audit, AuditStatus
from qa_audit.auth.models import User, UserRole
from qa_audit.auth.roles import Role
from qa_audit.calibration.models import (
    OVERALL,
    CalibrationInvitation,
    CalibrationReference,
    CalibrationRound,
    RoundStatus,
)
from qa_audit.changelog.services import record_added, record_change, snapshot
from qa_audit.core.case_refs import case_ref_problem
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.extensions import db
from qa_audit.core.months import long_date
from qa_audit.core.records import get_or_not_found

# Who grades in a round: the people who grade or review grades in their work.
INVITED_ROLES = (Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER)
MIN_INVITED = 2
# A round runs for weeks, not years: a deadline further off is a typing slip.
LONGEST_ROUND = timedelta(days=366)
SHOWN_AUDIT_STATUSES = (AuditStatus.SUBMITTED.value, AuditStatus.CLOSED.value)
ROUND_FIELDS = ["title", "audit_id", "case_ref", "instructions", "tool_id", "domain_keys"]
ROUND_FIELDS += ["deadline", "status", "closed_at", "discussion_notes"]


@dataclass
class RoundDraft:
    """What the QA lead asks for: an audit's reference, or a case reference with a tool."""

    title: str
    deadline: date | None
    invitee_ids: list[int]
    domain_keys: list[str]
    audit_reference: str = ""
    case_ref: str = ""
    tool_id: int | None = None
    instructions: str = ""
    today: date = field(default_factory=local_today)


def people_to_invite() -> list[User]:
    """Active people who grade or review grades, by name."""
    holders = select(UserRole.user_id).where(UserRole.role.in_([r.value for r in INVITED_ROLES]))
    query = (
        select(User).where(User.id.in_(holders), User.active.is_(True)).order_by(User.name, User.id)
    )
    return list(db.session.scalars(query))


def get_round(round_id: int) -> CalibrationRound:
    return get_or_not_found(CalibrationRound, round_id, "calibration round")


def all_rounds() -> list[CalibrationRound]:
    """Every round, newest deadline first (the QA lead's index)."""
    query = select(CalibrationRound).order_by(
        CalibrationRound.deadline.desc(), CalibrationRound.id.desc()
    )
    return list(db.session.scalars(query).unique())


def may_see(user: Any, calibration_round: CalibrationRound) -> bool:
    """The QA lead sees every round; anyone else only a round they were invited to."""
    if user.has_role(Role.QA_LEAD):
        return True
    return calibration_round.invitation_of(user.id) is not None


def _check_qa_lead(actor: User) -> None:
    if not actor.has_role(Role.QA_LEAD):
        raise Forbidden("Only the QA lead runs calibration rounds")


def _check_deadline(deadline: date | None, today: date) -> date:
    if deadline is None:
        raise DomainError("Enter the deadline", "deadline")
    if deadline < today:
        raise DomainError("The deadline must be today or in the future", "deadline")
    latest = today + LONGEST_ROUND
    if deadline > latest:
        raise DomainError(
            f"The deadline must be within a year: {long_date(latest)} or earlier", "deadline"
        )
    return deadline


def _what_is_read(draft: RoundDraft) -> tuple[Audit | None, str | None, AuditTool]:
    """The submitted audit named, or the case and its tool."""
    reference = draft.audit_reference.strip()
    if reference:
        audit = db.session.scalars(select(Audit).where(Audit.reference == reference)).first()
        if audit is None or audit.status not in SHOWN_AUDIT_STATUSES:
            raise DomainError(f"There is no submitted audit {reference}", "audit_reference")
        if audit.anonymised_at is not None:
            # Its evidence is gone, and a round's own text made now would outlive the
            # retention schedule, which clears a round with its audit only once.
            raise DomainError(
                f"Audit {reference} is past the retention period: its evidence has been "
                "removed, so it cannot be read in a calibration round",
                "audit_reference",
            )
        return audit, None, audit.tool
    case_ref = draft.case_ref.strip()
    if not case_ref:
        raise DomainError("Enter the reference of the audit or of the case to read", "source")
    problem = case_ref_problem(case_ref)
    if problem:
        raise DomainError(problem, "case_ref")
    tool = db.session.get(AuditTool, draft.tool_id) if draft.tool_id else None
    if tool is None:
        raise DomainError("Select the audit tool to grade the case against", "tool_id")
    return None, case_ref, tool


def _domains(tool: AuditTool, chosen: list[str]) -> list[str]:
    if not chosen:
        raise DomainError("Select at least one domain to grade", "domain_keys")
    missing = [key for key in chosen if tool.domain(key) is None]
    if missing:
        raise DomainError(f"{tool.name} has no domain '{missing[0]}'", "domain_keys")
    return [d.key for d in tool.domains if d.key in chosen]


def _invitees(ids: list[int]) -> list[User]:
    chosen = {p.id: p for p in people_to_invite() if p.id in set(ids)}
    if len(set(ids)) != len(chosen):
        raise DomainError("Select people from the list", "invitee_ids")
    if len(chosen) < MIN_INVITED:
        raise DomainError(f"Invite at least {MIN_INVITED} people", "invitee_ids")
    return list(chosen.values())


def create_round(actor: User, draft: RoundDraft) -> CalibrationRound:
    """A new round, open for grading by the people invited until its deadline."""
    _check_qa_lead(actor)
    title = " ".join(draft.title.split())
    if not title:
        raise DomainError("Enter a name for the round", "title")
    audit, case_ref, tool = _what_is_read(draft)
    invitees = _invitees(draft.invitee_ids)
    calibration_round = CalibrationRound(
        title=title,
        audit=audit,
        case_ref=case_ref,
        instructions=draft.instructions.strip(),
        tool=tool,
        domain_keys=_domains(tool, draft.domain_keys),
        deadline=_check_deadline(draft.deadline, draft.today),
        status=RoundStatus.OPEN.value,
        created_by_id=actor.id,
    )
    record_added(actor, "calibration_round.created", calibration_round, ROUND_FIELDS)
    for person in invitees:
        invitation = CalibrationInvitation(round=calibration_round, person=person)
        record_added(actor, "calibration_invitation.invited", invitation, ["person_id"])
    return calibration_round


def close_round(
    actor: User, calibration_round: CalibrationRound, version: int | None
) -> CalibrationRound:
    """Close the round before its deadline: no more grading; the results open."""
    _check_qa_lead(actor)
    check_version(calibration_round, version, "calibration round")
    if calibration_round.status == RoundStatus.CLOSED.value:
        raise DomainError("This round is already closed")
    before = snapshot(calibration_round, ROUND_FIELDS)
    calibration_round.status = RoundStatus.CLOSED.value
    calibration_round.closed_at = utcnow()
    calibration_round.closed_by_id = actor.id
    flush_or_conflict("calibration round")
    record_change(
        actor, "calibration_round.closed", calibration_round, before, snapshot(calibration_round)
    )
    return calibration_round


def save_discussion(
    actor: User, calibration_round: CalibrationRound, version: int | None, notes: str
) -> CalibrationRound:
    """The notes of the group's discussion of the results."""
    _check_qa_lead(actor)
    check_version(calibration_round, version, "calibration round")
    before = snapshot(calibration_round, ["discussion_notes"])
    calibration_round.discussion_notes = notes.strip()
    flush_or_conflict("calibration round")
    after = snapshot(calibration_round, ["discussion_notes"])
    record_change(actor, "calibration_round.discussed", calibration_round, before, after)
    return calibration_round


def grades_for(calibration_round: CalibrationRound, key: str) -> list[Grade]:
    """The grades a domain of the round may take (the overall judgement: the four grades)."""
    if key == OVERALL:
        return list(GRADED)
    domain = calibration_round.tool.domain(key)
    return domain.grade_choices if domain is not None else list(GRADED)


def set_reference(
    actor: User, calibration_round: CalibrationRound, key: str, grade: Grade | None, note: str
) -> CalibrationReference:
    """Set (or override the moderator's) reference grade of one domain, with the reason."""
    _check_qa_lead(actor)
    if key not in calibration_round.keys:
        raise DomainError("Select a domain of this round", "domain_key")
    if grade is None:
        raise DomainError("Select the reference grade", "grade")
    if grade not in grades_for(calibration_round, key):
        title = calibration_round.title_of(key)
        raise DomainError(f"{title} cannot be graded {grade.label}", "grade")
    if not note.strip():
        raise DomainError("Enter why this is the reference grade", "note")
    reference = calibration_round.reference_for(key)
    fields = ["domain_key", "grade", "note"]
    if reference is None:
        reference = CalibrationReference(
            round=calibration_round, domain_key=key, grade=grade.value, note=note.strip()
        )
        reference.set_by_id = actor.id
        record_added(actor, "calibration_reference.set", reference, fields)
        return reference
    before = snapshot(reference, fields)
    reference.grade = grade.value
    reference.note = note.strip()
    reference.set_by_id = actor.id
    db.session.flush()
    record_change(
        actor, "calibration_reference.changed", reference, before, snapshot(reference, fields)
    )
    return reference


def open_invitations(person: User, today: date | None = None) -> list[CalibrationRound]:
    """Rounds the person is invited to, still open for grading, not yet submitted by them."""
    today = today or local_today()
    query = (
        select(CalibrationRound)
        .join(CalibrationInvitation)
        .where(
            CalibrationInvitation.person_id == person.id,
            CalibrationInvitation.submitted_at.is_(None),
            CalibrationRound.status == RoundStatus.OPEN.value,
            CalibrationRound.deadline >= today,
        )
        .order_by(CalibrationRound.deadline, CalibrationRound.id)
    )
    return list(db.session.scalars(query).unique())
