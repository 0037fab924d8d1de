"""Blind moderation: the moderator grades each domain and the overall judgement before the
auditor's grades are shown to them. The blind grades are saved once and never changed; the
decision step then shows both and the final decision is made as in any moderation.

Who is kept blind: the moderator the moderation is assigned to, or, while it is unassigned,
every moderator who could take it (not its auditor, and not the QA lead, who chose it).
Everything that would reveal the auditor's grades to them is refused or left out until the
blind grades are saved: the decision page, the audit's pages, the API's record of the audit,
the selection reason and the sampling decisions (docs/moderation.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.clock import utcnow
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.moderation.models import Moderation, ModerationGrade, ModerationStatus
from qa_audit.moderation.services import (
    CONCURRENT_MESSAGE,
    OVERALL,
    check_assignee,
    check_may_moderate,
    domain_title,
)

BLIND_FIELDS = ["blind", "blind_overall_grade", "blind_overall_rationale", "blind_graded_at"]
HIDDEN_MESSAGE = (
    "This audit is being moderated blind: its grades are shown once you have saved your own "
    "blind grades on the moderation page"
)
ALREADY_GRADED = "Your blind grades are saved and cannot be changed"


def is_blinded(user: Any, moderation: Moderation | None) -> bool:
    """Whether ``user`` must not see this moderation's audit grades yet."""
    if moderation is None or not moderation.blind or moderation.blind_graded_at is not None:
        return False
    if moderation.status != ModerationStatus.SELECTED.value:
        return False
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.MODERATOR):
        return False
    if moderation.moderator_id is not None:
        return bool(moderation.moderator_id == user.id)
    return moderation.audit.auditor_id != user.id and not user.has_role(Role.QA_LEAD)


def waiting_blind(audit_id: int) -> Moderation | None:
    """The audit's moderation when it is waiting for blind grades (else None): one indexed
    read, so the request guard costs little on every audit page."""
    return db.session.scalar(
        select(Moderation).where(
            Moderation.audit_id == audit_id,
            Moderation.blind.is_(True),
            Moderation.blind_graded_at.is_(None),
            Moderation.status == ModerationStatus.SELECTED.value,
        )
    )


def hidden_audit_ids(user: Any) -> set[int]:
    """The audits whose grades are hidden from ``user`` now (usually none)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.MODERATOR):
        return set()
    waiting = db.session.scalars(
        select(Moderation).where(
            Moderation.blind.is_(True),
            Moderation.blind_graded_at.is_(None),
            Moderation.status == ModerationStatus.SELECTED.value,
        )
    )
    return {m.audit_id for m in waiting if is_blinded(user, m)}


def grades_hidden_from(user: Any, audit_id: int) -> bool:
    """Whether the audit's grades are hidden from ``user`` (blind moderation pending). Only a
    moderator can be kept blind, so nobody else's audit page pays for the read."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.MODERATOR):
        return False
    return is_blinded(user, waiting_blind(audit_id))


def _check_blind_open(moderation: Moderation) -> None:
    if not moderation.blind:
        raise DomainError("This moderation is not blind: record your decisions on its page")
    if moderation.blind_graded_at is not None:
        raise DomainError(ALREADY_GRADED)


def _grade(value: Grade | None, allowed: list[Grade], title: str, field: str) -> Grade:
    if value is None:
        raise DomainError(f"Choose your grade for {title}", field)
    if value not in allowed:
        raise DomainError(f"{value.label} is not a grade for {title}", field)
    return value


def save_blind_grades(
    actor: User,
    moderation: Moderation,
    version: int | None,
    domains: dict[str, Grade | None],
    overall: Grade | None,
    rationale: str,
) -> Moderation:
    """Save the moderator's blind grades (every domain and the overall), once.

    Each is also the starting point of the final decision: the decision step opens with the
    blind grade chosen, and a change from it needs a rationale (services.resolve_judgement)."""
    check_may_moderate(actor, moderation)
    check_version(moderation, version, "moderation", message=CONCURRENT_MESSAGE)
    check_assignee(actor, moderation)
    _check_blind_open(moderation)
    audit = moderation.audit
    chosen: dict[str, Grade] = {}
    for row in audit.grades:
        allowed = row.tool_domain.grade_choices if row.tool_domain else list(GRADED)
        chosen[row.domain_key] = _grade(
            domains.get(row.domain_key), allowed, domain_title(row), f"d_{row.domain_key}_grade"
        )
    overall_grade = _grade(overall, list(GRADED), "the overall grade", f"{OVERALL}_grade")
    before = snapshot(moderation, BLIND_FIELDS)
    before["blind_grades"] = {}
    moderation.grades.clear()
    db.session.flush()
    for key, grade in chosen.items():
        moderation.grades.append(
            ModerationGrade(domain_key=key, grade=grade.value, blind_grade=grade.value)
        )
    moderation.blind_overall_grade = overall_grade.value
    moderation.blind_overall_rationale = rationale.strip()
    moderation.overall_grade = overall_grade.value
    moderation.blind_graded_at = utcnow()
    moderation.moderator_id = actor.id
    moderation.moderator = actor
    flush_or_conflict("moderation", message=CONCURRENT_MESSAGE)
    after = snapshot(moderation, BLIND_FIELDS)
    after["blind_grades"] = {key: grade.value for key, grade in chosen.items()}
    record_change(actor, "moderation.blind_graded", moderation, before, after)
    return moderation
