"""What the QA lead decided about a closing-the-loop prompt: scheduled (an allocation on the
rota) or dismissed with a reason. A prompt with no decision is still to schedule."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qa_audit.core.clock import utcnow
from qa_audit.core.db import Base, UTCDateTime
from qa_audit.core.enums import LabelledEnum, sql_values


class LoopDecision(LabelledEnum):
    SCHEDULED = "scheduled"
    DISMISSED = "dismissed"


class ClosingTheLoopDecision(Base):
    """One decision per audit whose actions are all done (the audit is the prompt)."""

    __tablename__ = "closing_the_loop_decision"
    __table_args__ = (
        CheckConstraint(f"decision IN ({sql_values(LoopDecision)})", name="decision_known"),
        CheckConstraint(
            "(decision != 'dismissed') OR (reason IS NOT NULL)", name="dismissal_explained"
        ),
        CheckConstraint(
            "(decision != 'scheduled') OR (allocation_id IS NOT NULL)", name="schedule_allotted"
        ),
    )

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), primary_key=True)
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    allocation_id: Mapped[int | None] = mapped_column(ForeignKey("allocation.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
