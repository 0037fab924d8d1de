"""The quality of the audit itself ("audit of audits"): the moderator rates the audit against
the short checklist its tool defines (qa_audit/seed/audit_tools/*.yaml, ``quality_checklist``)
as part of completing the moderation. The auditor reads the ratings as development feedback
once the moderation is complete; the QA lead sees them counted per auditor over a period.
Viewers never see them: they are about one person's work."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.moderation.models import (
    AuditQualityRating,
    Moderation,
    ModerationStatus,
    QualityRating,
)

COMMENT_MAX = 2000


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    text: str
    hint: str = ""


@dataclass(frozen=True)
class QualityAnswer:
    """The moderator's rating of one item (None: not rated yet) and an optional comment."""

    rating: QualityRating | None = None
    comment: str = ""


def checklist_for(audit: Audit) -> list[ChecklistItem]:
    """The checklist of the audit's tool version (empty when the tool defines none)."""
    items = (audit.tool.quality_checklist or []) if audit.tool is not None else []
    return [ChecklistItem(i["key"], i["text"], i.get("hint", "")) for i in items]


def apply_ratings(moderation: Moderation, answers: dict[str, QualityAnswer]) -> None:
    """Keep the moderator's ratings. An item may be left unrated (the moderator may have
    nothing to say on it); the auditor is shown only what was rated."""
    for position, item in enumerate(checklist_for(moderation.audit)):
        answer = answers.get(item.key, QualityAnswer())
        existing = next((r for r in moderation.quality_ratings if r.item_key == item.key), None)
        if answer.rating is None:
            if existing is not None:
                moderation.quality_ratings.remove(existing)
            continue
        comment = answer.comment.strip()
        if existing is None:
            moderation.quality_ratings.append(
                AuditQualityRating(
                    item_key=item.key,
                    item_text=item.text,
                    position=position,
                    rating=answer.rating.value,
                    comment=comment,
                )
            )
        else:
            existing.rating = answer.rating.value
            existing.comment = comment


def feedback_for(user: User, audit: Audit) -> list[AuditQualityRating]:
    """The ratings the audit's auditor (or the QA lead) may read: only once the moderation is
    complete, and never for anyone else (viewers, service managers, other auditors)."""
    if not (audit.auditor_id == user.id or user.has_role(Role.QA_LEAD)):
        return []
    # The ratings alone, in one statement: loading the moderation again would bring its
    # people, their roles and teams with it (the audit page reads in a fixed few statements).
    return list(
        db.session.scalars(
            select(AuditQualityRating)
            .join(Moderation, Moderation.id == AuditQualityRating.moderation_id)
            .where(
                Moderation.audit_id == audit.id,
                Moderation.status == ModerationStatus.COMPLETED.value,
            )
            .order_by(AuditQualityRating.position, AuditQualityRating.id)
        )
    )


@dataclass
class AuditorQuality:
    """One auditor's ratings over the period: per item, the count of each rating."""

    auditor: str
    audits: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def count(self, item_key: str, rating: QualityRating) -> int:
        return self.counts.get(item_key, Counter())[rating.value]


@dataclass(frozen=True)
class QualitySummary:
    start: date
    end: date
    items: list[tuple[str, str]]  # (key, text), in checklist order
    auditors: list[AuditorQuality]


def summary(start: date, end: date) -> QualitySummary:
    """Counts of Yes / Partly / No per item and auditor, for moderations completed in the
    period (by the day they were completed)."""
    rows = db.session.execute(
        select(
            User.id,
            User.name,
            Moderation.id,
            AuditQualityRating.item_key,
            AuditQualityRating.item_text,
            AuditQualityRating.position,
            AuditQualityRating.rating,
        )
        .join(Moderation, AuditQualityRating.moderation_id == Moderation.id)
        .join(Audit, Moderation.audit_id == Audit.id)
        .join(User, Audit.auditor_id == User.id)
        .where(
            Moderation.status == ModerationStatus.COMPLETED.value,
            Moderation.moderated_on >= start,
            Moderation.moderated_on <= end,
        )
        .order_by(User.name, User.id, Moderation.id, AuditQualityRating.position)
    ).all()
    items: dict[str, tuple[int, str]] = {}
    auditors: dict[int, AuditorQuality] = {}
    seen: set[int] = set()
    for user_id, name, moderation_id, key, text, position, rating in rows:
        items.setdefault(key, (position, text))
        entry = auditors.setdefault(user_id, AuditorQuality(name))
        if moderation_id not in seen:
            seen.add(moderation_id)
            entry.audits += 1
        entry.counts.setdefault(key, Counter())[rating] += 1
    ordered = sorted(items.items(), key=lambda kv: (kv[1][0], kv[0]))
    return QualitySummary(
        start, end, [(key, text) for key, (_, text) in ordered], list(auditors.values())
    )
