"""Which submitted audits are moderated: every Inadequate at once, the others by a sampling rate
per grade that the QA lead sets. The draw is deterministic (a hash of the audit reference and a
salt fixed for the installation) and every decision is recorded with its reason in plain
English, so anyone can later see why an audit was or was not chosen."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import Audit, AuditStatus
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.extensions import db
from qa_audit.core.working_days import add_working_days
from qa_audit.moderation.models import (
    Moderation,
    ModerationPriority,
    ModerationStatus,
    SamplingDecision,
    SamplingSettings,
)

QUEUED_FIELDS = ["audit_id", "status", "priority", "due_on", "selection_reason", "blind"]


def get_settings() -> SamplingSettings:
    """The sampling rules (the migration inserts the defaults; made here if ever missing)."""
    settings = db.session.get(SamplingSettings, 1)
    if settings is None:
        settings = SamplingSettings(id=1, salt=secrets.token_hex(16))
        db.session.add(settings)
        db.session.flush()
    return settings


def draw_for(reference: str, salt: str) -> float:
    """A number in [0, 1) fixed by the audit reference and the salt: the same audit always
    draws the same number, and nobody can see it in advance without the salt."""
    digest = hashlib.sha256(f"{salt}\x1f{reference}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


@dataclass(frozen=True)
class Decision:
    """What the rule decides for one audit, and why."""

    selected: bool
    grade: Grade | None
    rate: float | None
    draw: float | None
    priority: ModerationPriority
    due_on: date | None
    reason: str


def decide(audit: Audit, settings: SamplingSettings, start: date) -> Decision:
    """Apply the sampling rule to a submitted audit; deadlines count working days from start."""
    grade = audit.overall
    if grade is None or grade.score is None:
        return Decision(
            False,
            grade,
            None,
            None,
            ModerationPriority.NORMAL,
            None,
            "No overall grade: not sampled",
        )
    if grade is Grade.INADEQUATE:
        days = settings.inadequate_deadline_days
        due = add_working_days(start, days)
        return Decision(
            True,
            grade,
            1.0,
            None,
            ModerationPriority.HIGH,
            due,
            f"Inadequate: every overall Inadequate is moderated at once; selected, high "
            f"priority, due {_day(due)} ({days} working days)",
        )
    rate = settings.rate_for(grade)
    assert rate is not None
    draw = draw_for(audit.reference, settings.salt)
    if draw < rate:
        days = settings.normal_deadline_days
        due = add_working_days(start, days)
        return Decision(
            True,
            grade,
            rate,
            draw,
            ModerationPriority.NORMAL,
            due,
            f"{grade.short}: draw {draw:.3f} < rate {rate:.2f}, selected, "
            f"due {_day(due)} ({days} working days)",
        )
    return Decision(
        False,
        grade,
        rate,
        draw,
        ModerationPriority.NORMAL,
        None,
        f"{grade.short}: draw {draw:.3f} ≥ rate {rate:.2f}, not selected",
    )


def _record(
    audit: Audit,
    decision_reason: str,
    selected: bool,
    *,
    grade: Grade | None = None,
    rate: float | None = None,
    draw: float | None = None,
    by: User | None = None,
) -> SamplingDecision:
    row = SamplingDecision(
        audit_id=audit.id,
        grade=grade.value if grade else None,
        rate=rate,
        draw=draw,
        selected=selected,
        reason=decision_reason,
        decided_by_id=by.id if by else None,
    )
    db.session.add(row)
    return row


def moderation_of(audit: Audit) -> Moderation | None:
    """The audit's moderation in any status, or None.

    Read with its grades and its moderator's name, not with the audit again: the joined
    audit brought its whole graph back with it, a dozen statements on every audit's page
    (make bench). ``moderation.audit`` is the audit given, found in the session."""
    return db.session.scalar(
        select(Moderation)
        .where(Moderation.audit_id == audit.id)
        .options(lazyload(Moderation.audit), joinedload(Moderation.moderator).lazyload("*"))
    )


def select_on_submission(actor: User | None, audit: Audit) -> SamplingDecision:
    """Run when an audit is submitted or resubmitted: select it or not, and record why.

    A resubmission after a return keeps an existing moderation; a withdrawn one comes back
    only if the audit is now overall Inadequate (every Inadequate is moderated)."""
    settings = get_settings()
    start = audit.submitted_on or local_today()
    decision = decide(audit, settings, start)
    existing = moderation_of(audit)
    if existing is not None and not (
        existing.status == ModerationStatus.WITHDRAWN.value and decision.grade is Grade.INADEQUATE
    ):
        return _keep_existing(actor, audit, existing, decision, settings, start)
    if decision.selected:
        _queue(
            actor,
            audit,
            existing,
            priority=decision.priority,
            reason=decision.reason,
            due_on=decision.due_on,
            events=("moderation.selected", "moderation.reselected"),
            blind=settings.blind_for(decision.grade),
        )
    return _record(
        audit,
        decision.reason,
        decision.selected,
        grade=decision.grade,
        rate=decision.rate,
        draw=decision.draw,
    )


def _queue(
    actor: User | None,
    audit: Audit,
    existing: Moderation | None,
    *,
    priority: ModerationPriority,
    reason: str,
    due_on: date | None,
    events: tuple[str, str],
    selected_by: User | None = None,
    blind: bool = False,
) -> Moderation:
    """Put the audit in the moderation queue: a new moderation, or its withdrawn one again.
    ``events`` names the change-log entry for each of the two; ``blind``: the moderator grades
    before seeing the auditor's grades (qa_audit.moderation.blind)."""
    if existing is None:
        moderation = Moderation(
            blind=blind,
            audit_id=audit.id,
            status=ModerationStatus.SELECTED.value,
            priority=priority.value,
            selection_reason=reason,
            selected_by_id=selected_by.id if selected_by else None,
            due_on=due_on,
            source="app",
        )
        db.session.add(moderation)
        record_change(actor, events[0], moderation, None, snapshot(moderation, QUEUED_FIELDS))
        return moderation
    before = snapshot(existing)
    existing.status = ModerationStatus.SELECTED.value
    existing.priority = priority.value
    existing.selection_reason = reason
    if selected_by is not None:
        existing.selected_by_id = selected_by.id
    existing.due_on = due_on
    existing.withdrawn_reason = None
    if existing.blind_graded_at is None:  # blind grades once saved stay what they were
        existing.blind = blind
    record_change(actor, events[1], existing, before, snapshot(existing))
    return existing


def select_submitted_audit(audit: Audit, actor: User | None) -> None:
    """Receiver of ``audit_submitted``: the sampling decision for the audit."""
    select_on_submission(actor, audit)


def _keep_existing(
    actor: User | None,
    audit: Audit,
    existing: Moderation,
    decision: Decision,
    settings: SamplingSettings,
    start: date,
) -> SamplingDecision:
    reason = f"Resubmitted after return: the existing moderation ({existing.status}) is kept"
    if (
        existing.status == ModerationStatus.SELECTED.value
        and decision.grade is Grade.INADEQUATE
        and existing.priority != ModerationPriority.HIGH.value
    ):
        before = snapshot(existing)
        existing.priority = ModerationPriority.HIGH.value
        existing.due_on = add_working_days(start, settings.inadequate_deadline_days)
        reason += (
            f"; overall now Inadequate, so raised to high priority, due {_day(existing.due_on)}"
        )
        record_change(actor, "moderation.priority_raised", existing, before, snapshot(existing))
    return _record(
        audit,
        reason,
        existing.status != ModerationStatus.WITHDRAWN.value,
        grade=decision.grade,
        rate=decision.rate,
        draw=decision.draw,
    )


def _require_qa_lead(actor: User) -> None:
    if not actor.has_role(Role.QA_LEAD):
        raise Forbidden("Only the QA lead can change which audits are moderated")


def _reason(text: str, what: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise DomainError(f"Give the reason for {what}", "reason")
    return text


def select_by_hand(actor: User, audit: Audit, reason: str, *, blind: bool = False) -> Moderation:
    """The QA lead adds a submitted audit to the moderation queue, with a reason; the QA lead
    chooses whether it is moderated blind (the sampling rules' choice applies to sampling)."""
    _require_qa_lead(actor)
    reason = _reason(reason, "adding this audit")
    if audit.status != AuditStatus.SUBMITTED.value:
        raise DomainError(
            f"Audit {audit.reference} is {audit.status}: only a submitted audit can be moderated",
            "reference",
        )
    existing = moderation_of(audit)
    if existing is not None and existing.status == ModerationStatus.SELECTED.value:
        raise DomainError(f"Audit {audit.reference} is already waiting for moderation", "reference")
    if existing is not None and existing.status == ModerationStatus.COMPLETED.value:
        raise DomainError(f"Audit {audit.reference} has already been moderated", "reference")
    settings = get_settings()
    inadequate = audit.overall is Grade.INADEQUATE
    days = settings.inadequate_deadline_days if inadequate else settings.normal_deadline_days
    due = add_working_days(local_today(), days)
    text = f"Added by hand by {actor.name}: {reason}"
    priority = ModerationPriority.HIGH if inadequate else ModerationPriority.NORMAL
    moderation = _queue(
        actor,
        audit,
        existing,
        priority=priority,
        reason=text,
        due_on=due,
        events=("moderation.added_by_hand", "moderation.added_by_hand"),
        selected_by=actor,
        blind=blind,
    )
    _record(audit, text, True, grade=audit.overall, by=actor)
    return moderation


def withdraw(actor: User, moderation: Moderation, reason: str) -> Moderation:
    """The QA lead takes an audit out of the moderation queue, with a reason."""
    _require_qa_lead(actor)
    reason = _reason(reason, "withdrawing this audit")
    if moderation.status != ModerationStatus.SELECTED.value:
        raise DomainError(
            f"This moderation is {moderation.status}: only one waiting in the queue can be "
            "withdrawn",
            "reason",
        )
    before = snapshot(moderation)
    moderation.status = ModerationStatus.WITHDRAWN.value
    moderation.withdrawn_reason = reason
    record_change(actor, "moderation.withdrawn", moderation, before, snapshot(moderation))
    _record(
        moderation.audit,
        f"Withdrawn by hand by {actor.name}: {reason}",
        False,
        grade=moderation.audit.overall,
        by=actor,
    )
    return moderation


def recent_decisions(limit: int = 200, audit: Audit | None = None) -> list[SamplingDecision]:
    """Sampling decisions, newest first (for one audit when given)."""
    query = select(SamplingDecision).order_by(SamplingDecision.id.desc()).limit(limit)
    if audit is not None:
        query = query.where(SamplingDecision.audit_id == audit.id)
    return list(db.session.scalars(query))
