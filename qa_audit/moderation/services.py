"""Moderating a selected audit: the queue, assigning and taking, agreeing or regrading each
judgement with a rationale. The auditor's grades are never touched: the moderator's sit
beside them in ModerationGrade and Moderation.overall_grade. What the auditor is told of the
outcome: qa_audit.moderation.outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, select

from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.audits.models import Audit, AuditDomainGrade, AuditStatus
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import users_with_role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.extensions import db
from qa_audit.core.records import get_or_not_found
from qa_audit.moderation.models import (
    Moderation,
    ModerationGrade,
    ModerationPriority,
    ModerationStatus,
    outcome_of,
)
from qa_audit.moderation.quality import QualityAnswer, apply_ratings
from qa_audit.moderation.reflective import open_reflective_conversation

OVERALL = "overall"
BLIND_FIRST = "This audit is moderated blind: save your own grades first, on the blind grading page"
CONCURRENT_MESSAGE = (
    "Someone else saved this moderation while you had it open, so nothing of yours was saved. "
    "What they decided is shown below, with your own entries kept in the form: check them "
    "and save again."
)


@dataclass(frozen=True)
class Judgement:
    """A moderator's view of one judgement: agree (None: not decided yet) or a new grade."""

    agree: bool | None = None
    grade: Grade | None = None
    rationale: str = ""


def get_moderation(moderation_id: int) -> Moderation:
    return get_or_not_found(Moderation, moderation_id, "moderation")


def moderation_for_audit(audit: Audit) -> Moderation:
    """The audit's moderation; DomainError when the audit has not been selected."""
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
    if moderation is None:
        raise DomainError(
            f"Audit {audit.reference} has not been selected for moderation, so it cannot be "
            "moderated. The QA lead can add it to the moderation queue by hand."
        )
    return moderation


def _priority_first() -> Any:
    return case((Moderation.priority == ModerationPriority.HIGH.value, 0), else_=1)


def queue() -> list[Moderation]:
    """Moderations waiting: high priority first, then the earliest deadline."""
    return list(
        db.session.scalars(
            select(Moderation)
            .where(Moderation.status == ModerationStatus.SELECTED.value)
            .order_by(
                _priority_first(), Moderation.due_on.is_(None), Moderation.due_on, Moderation.id
            )
        ).unique()
    )


def recently_completed(limit: int = 20) -> list[Moderation]:
    return list(
        db.session.scalars(
            select(Moderation)
            .where(Moderation.status == ModerationStatus.COMPLETED.value)
            .order_by(Moderation.moderated_on.desc(), Moderation.id.desc())
            .limit(limit)
        ).unique()
    )


def moderators() -> list[User]:
    """Active users holding the moderator role, by name."""
    return users_with_role(Role.MODERATOR)


def own_audit_message(audit: Audit) -> str:
    return (
        f"You cannot moderate audit {audit.reference}: you are its auditor. "
        "No one moderates their own audit."
    )


def _check_open(moderation: Moderation) -> None:
    """Refuse work on a moderation that is not waiting, or whose audit is not submitted."""
    if moderation.status == ModerationStatus.COMPLETED.value:
        who = moderation.moderator.name if moderation.moderator else "a moderator"
        when = f" on {_day(moderation.moderated_on)}" if moderation.moderated_on else ""
        raise DomainError(
            f"This audit has already been moderated by {who}{when}: the outcome stands"
        )
    if moderation.status == ModerationStatus.WITHDRAWN.value:
        raise DomainError(
            "This audit was withdrawn from moderation"
            + (f": {moderation.withdrawn_reason}" if moderation.withdrawn_reason else "")
        )
    status = moderation.audit.status
    if status == AuditStatus.RETURNED.value:
        raise DomainError(
            "This audit has been returned to its auditor: it can be moderated once resubmitted"
        )
    if status != AuditStatus.SUBMITTED.value:
        raise DomainError(f"This audit is {status}: only a submitted audit can be moderated")


def check_may_moderate(actor: User, moderation: Moderation) -> None:
    """Raise unless ``actor`` may record judgements on this moderation now."""
    if not actor.has_role(Role.MODERATOR):
        raise Forbidden("Only moderators can moderate an audit")
    if moderation.audit.auditor_id == actor.id:
        raise DomainError(own_audit_message(moderation.audit))
    _check_open(moderation)


def _snapshot(moderation: Moderation) -> dict[str, Any]:
    data = snapshot(
        moderation,
        [
            "status",
            "moderator_id",
            "overall_grade",
            "overall_rationale",
            "outcome",
            "moderated_on",
            "due_on",
            "priority",
        ],
    )
    data["grades"] = {g.domain_key: [g.grade, g.rationale] for g in moderation.grades}
    if moderation.quality_ratings:
        data["quality"] = {r.item_key: [r.rating, r.comment] for r in moderation.quality_ratings}
    return data


def _flush() -> None:
    """Write now; a row someone else changed meanwhile (stale version) becomes ConcurrentEdit."""
    flush_or_conflict("moderation", message=CONCURRENT_MESSAGE)


def _give(actor: User, moderation: Moderation, moderator: User, event: str) -> Moderation:
    before = _snapshot(moderation)
    moderation.moderator_id = moderator.id
    moderation.moderator = moderator
    _flush()
    record_change(actor, event, moderation, before, _snapshot(moderation))
    return moderation


def assign(actor: User, moderation: Moderation, moderator: User) -> Moderation:
    """The QA lead gives a waiting moderation to a moderator."""
    if not actor.has_role(Role.QA_LEAD):
        raise Forbidden("Only the QA lead can assign moderations")
    _check_open(moderation)
    if not moderator.has_role(Role.MODERATOR) or not moderator.active:
        raise DomainError(f"{moderator.name} is not an active moderator", "moderator_id")
    if moderation.audit.auditor_id == moderator.id:
        raise DomainError(
            f"{moderator.name} is the auditor of audit {moderation.audit.reference}: "
            "no one moderates their own audit",
            "moderator_id",
        )
    return _give(actor, moderation, moderator, "moderation.assigned")


def check_assignee(actor: User, moderation: Moderation) -> None:
    """Refuse a moderator other than the one the moderation is assigned to (if any)."""
    if moderation.moderator_id not in (None, actor.id):
        assert moderation.moderator is not None
        raise DomainError(
            f"This moderation is assigned to {moderation.moderator.name}: "
            "ask the QA lead to reassign it"
        )


def take(actor: User, moderation: Moderation) -> Moderation:
    """A moderator takes a waiting moderation for themself."""
    check_may_moderate(actor, moderation)
    check_assignee(actor, moderation)
    return _give(actor, moderation, actor, "moderation.taken")


def domain_title(grade_row: AuditDomainGrade) -> str:
    return grade_row.tool_domain.title if grade_row.tool_domain else grade_row.domain_key


def resolve_judgement(
    judgement: Judgement,
    original: Grade | None,
    title: str,
    prefix: str,
    allowed: list[Grade],
    complete: bool,
    blind: Grade | None = None,
) -> Grade | None:
    """The moderator's grade for one judgement, or a DomainError naming the field at fault.

    ``blind``: the moderator's own blind grade, when there is one; a final grade that differs
    from it needs a rationale even when it agrees with the auditor."""
    grade = _resolve(judgement, original, title, prefix, allowed, complete)
    changed = grade is not None and blind is not None and grade != blind
    if changed and not judgement.rationale.strip():
        assert blind is not None
        raise DomainError(
            f"Give your rationale for changing {title} from your blind grade ({blind.label})",
            f"{prefix}_rationale",
        )
    return grade


def _resolve(
    judgement: Judgement,
    original: Grade | None,
    title: str,
    prefix: str,
    allowed: list[Grade],
    complete: bool,
) -> Grade | None:
    if judgement.agree is None:
        if complete:
            raise DomainError(f"Choose Agree or Regrade for {title}", f"{prefix}_decision")
        return None
    if judgement.agree:
        if original is None:
            raise DomainError(
                f"The auditor gave no grade for {title}: choose Regrade and give a grade",
                f"{prefix}_decision",
            )
        return original
    if judgement.grade is None:
        raise DomainError(f"Choose the new grade for {title}", f"{prefix}_grade")
    if judgement.grade not in allowed:
        raise DomainError(f"{judgement.grade.label} is not a grade for {title}", f"{prefix}_grade")
    if judgement.grade == original:
        raise DomainError(
            f"The new grade for {title} is the auditor's grade: choose Agree, or a different grade",
            f"{prefix}_grade",
        )
    if not judgement.rationale.strip():
        raise DomainError(f"Give your rationale for regrading {title}", f"{prefix}_rationale")
    return judgement.grade


def save_moderation(
    actor: User,
    moderation: Moderation,
    version: int | None,
    domains: dict[str, Judgement],
    overall: Judgement,
    *,
    complete: bool,
    quality: dict[str, QualityAnswer] | None = None,
) -> Moderation:
    """Save the moderator's judgements (``complete``: every one decided, outcome derived).

    ``version`` is the moderation's version when the form was opened: if someone has saved
    since, nothing is saved and ConcurrentEdit is raised."""
    check_may_moderate(actor, moderation)
    check_version(moderation, version, "moderation", message=CONCURRENT_MESSAGE)
    check_assignee(actor, moderation)
    if moderation.awaiting_blind_grades:
        raise DomainError(BLIND_FIRST)
    audit = moderation.audit
    decided: dict[str, tuple[Grade | None, str]] = {}
    for row in audit.grades:
        judgement = domains.get(row.domain_key, Judgement())
        allowed = row.tool_domain.grade_choices if row.tool_domain else list(GRADED)
        grade = resolve_judgement(
            judgement,
            row.grade_enum,
            domain_title(row),
            f"d_{row.domain_key}",
            allowed,
            complete,
            moderation.blind_grade_for(row.domain_key),
        )
        decided[row.domain_key] = (grade, judgement.rationale.strip())
    overall_grade = resolve_judgement(
        overall,
        audit.overall,
        "the overall grade",
        OVERALL,
        list(GRADED),
        complete,
        moderation.blind_overall,
    )
    overall_rationale = overall.rationale.strip()
    if complete and not overall_rationale:
        raise DomainError("Give your rationale for the overall grade", f"{OVERALL}_rationale")

    before = _snapshot(moderation)
    for key, (grade, rationale) in decided.items():
        row_mg = moderation.grade_for(key)
        if grade is None:
            # A blind grade is kept (it is the decision's starting point, never removed).
            if row_mg is not None and row_mg.blind_grade is None:
                moderation.grades.remove(row_mg)
            continue
        if row_mg is None:
            moderation.grades.append(
                ModerationGrade(domain_key=key, grade=grade.value, rationale=rationale)
            )
        else:
            row_mg.grade = grade.value
            row_mg.rationale = rationale
    if overall_grade is not None or moderation.blind_overall_grade is None:
        moderation.overall_grade = overall_grade.value if overall_grade else None
    moderation.overall_rationale = overall_rationale
    if quality is not None:  # None: leave any ratings as they are
        apply_ratings(moderation, quality)
    moderation.moderator_id = actor.id
    moderation.moderator = actor
    # Always an UPDATE of the moderation row, so the version check covers every save,
    # even one that changed only the domain judgements.
    moderation.updated_at = utcnow()
    if complete:
        assert overall_grade is not None
        assert audit.overall is not None
        moderation.status = ModerationStatus.COMPLETED.value
        moderation.outcome = outcome_of(audit.overall, overall_grade).value
        moderation.moderated_on = local_today()
        moderation.completed_at = utcnow()
    _flush()
    record_change(
        actor,
        "moderation.completed" if complete else "moderation.saved",
        moderation,
        before,
        _snapshot(moderation),
    )
    if complete and overall_grade is Grade.INADEQUATE:
        open_reflective_conversation(actor, moderation)
    return moderation


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def decision_summary(moderation: Moderation) -> list[str]:
    """What the moderator decided, line by line, in plain English (for the stale-form notice)."""
    audit = moderation.audit
    who = moderation.moderator.name if moderation.moderator else "Someone"
    state = "completed the moderation" if moderation.status == "completed" else "saved progress"
    when = moderation.updated_at.strftime("%H:%M") if moderation.updated_at else ""
    lines = [f"{who} {state}{f' at {when} (UTC)' if when else ''}."]

    def line(title: str, original: Grade | None, moderated: str | None, rationale: str) -> str:
        if moderated is None:
            return f"{title}: not decided yet"
        grade = Grade(moderated)
        if grade == original:
            text = f"{title}: agreed ({grade.label})"
        else:
            before = original.label if original else "no grade"
            text = f"{title}: regraded from {before} to {grade.label}"
        return f"{text} – “{rationale}”" if rationale else text

    for row in audit.grades:
        mg = moderation.grade_for(row.domain_key)
        lines.append(
            line(
                domain_title(row),
                row.grade_enum,
                mg.grade if mg else None,
                mg.rationale if mg else "",
            )
        )
    lines.append(
        line("Overall", audit.overall, moderation.overall_grade, moderation.overall_rationale)
    )
    return lines
