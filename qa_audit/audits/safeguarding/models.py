"""A safeguarding concern's workflow (raised, acknowledged, resolved), the outcomes it may be
resolved with, and the interim notes written while it is open. The concern itself is
qa_audit.audits.models.SafeguardingConcern, beside the audit it belongs to."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.auth.models import User
from qa_audit.core.clock import utcnow
from qa_audit.core.db import Base, TimestampMixin, UTCDateTime
from qa_audit.core.enums import LabelledEnum

if TYPE_CHECKING:
    from qa_audit.audits.models import SafeguardingConcern


class ConcernStatus(LabelledEnum):
    RAISED = "raised"  # waiting for a service manager (or QA lead) to acknowledge it
    ACKNOWLEDGED = "acknowledged"  # someone has taken it on; interim notes may follow
    RESOLVED = "resolved"  # only ever by an explicit resolution with an outcome


# The allowed transitions, in one place (a CheckConstraint keeps the values honest).
CONCERN_TRANSITIONS: dict[ConcernStatus, frozenset[ConcernStatus]] = {
    ConcernStatus.RAISED: frozenset({ConcernStatus.ACKNOWLEDGED}),
    ConcernStatus.ACKNOWLEDGED: frozenset({ConcernStatus.RESOLVED}),
    ConcernStatus.RESOLVED: frozenset(),
}


class ConcernOutcome(LabelledEnum):
    """How a concern was resolved (docs/domain.md, "Safeguarding concerns")."""

    REFERRED = "referred"
    STRATEGY_DISCUSSION = "strategy_discussion"
    PLAN_UPDATED = "plan_updated"
    MANAGEMENT_DIRECTION = "management_direction"
    ALREADY_KNOWN = "already_known"
    NOT_A_CONCERN = "not_a_concern"
    OTHER = "other"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    ConcernOutcome.REFERRED: "Referred to the MASH (the front door) for a new assessment",
    ConcernOutcome.STRATEGY_DISCUSSION: "Strategy discussion held",
    ConcernOutcome.PLAN_UPDATED: "The child's plan updated to address the risk",
    ConcernOutcome.MANAGEMENT_DIRECTION: "Management direction recorded on the child's file",
    ConcernOutcome.ALREADY_KNOWN: "No further action: already known and being acted on",
    ConcernOutcome.NOT_A_CONCERN: "No further action: not a safeguarding concern on review",
    ConcernOutcome.OTHER: "Other",
}


class SafeguardingNote(TimestampMixin, Base):
    """An interim note on an acknowledged concern: what has happened so far."""

    __tablename__ = "safeguarding_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("safeguarding_concern.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    concern: Mapped[SafeguardingConcern] = relationship(back_populates="notes")
    author: Mapped[User] = relationship(lazy="joined")
