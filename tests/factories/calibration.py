"""Calibration rounds: a round on a submitted audit (or a case to be read) and its invitees."""

from __future__ import annotations

from datetime import date, timedelta

from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.calibration.grading import Entry, save_grades
from qa_audit.calibration.models import CalibrationRound
from qa_audit.calibration.rounds import RoundDraft, create_round
from qa_audit.core.clock import local_today
from tests.factories.audit_tools import tool
from tests.factories.audits import audit as an_audit
from tests.factories.auth import user

DOMAINS = ["assessment", "plans_and_planning"]


def calibration_round(
    *,
    qa_lead: User | None = None,
    audit: Audit | None = None,
    case_ref: str | None = None,
    invitees: list[User] | None = None,
    domains: list[str] | None = None,
    deadline: date | None = None,
    title: str = "Spring calibration",
) -> CalibrationRound:
    """A round open for grading (deadline a week away unless told), on ``audit`` (a new
    submitted audit unless a ``case_ref`` to read is given), inviting three new auditors."""
    qa_lead = qa_lead or user(Role.QA_LEAD)
    invitees = invitees or [user(Role.AUDITOR) for _ in range(3)]
    if audit is None and case_ref is None:
        audit = an_audit(overall="good")
    draft = RoundDraft(
        title=title,
        deadline=deadline or local_today() + timedelta(days=7),
        invitee_ids=[p.id for p in invitees],
        domain_keys=domains or list(DOMAINS),
        audit_reference=audit.reference if audit is not None else "",
        case_ref=case_ref or "",
        tool_id=audit.tool_id if audit is not None else _tool_id(),
    )
    return create_round(qa_lead, draft)


def _tool_id() -> int:
    return tool("practice-principles-2024").id


def graded(
    calibration_round: CalibrationRound,
    person: User,
    grade: str,
    *,
    submit: bool = True,
    **by_key: str,
) -> None:
    """``person`` grades every domain and the overall judgement ``grade`` (or as given by key)."""
    invitation = calibration_round.invitation_of(person.id)
    assert invitation is not None
    entries = {
        key: Entry(Grade(by_key.get(key, grade)), f"{person.name} on {key}")
        for key in calibration_round.keys
    }
    save_grades(person, calibration_round, invitation.version, entries, submit=submit)
