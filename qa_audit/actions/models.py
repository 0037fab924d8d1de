"""Actions set by audits, dip samples and reflective conversations: followed up, not forgotten."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.auth.models import User
from qa_audit.core.clock import local_today
from qa_audit.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin
from qa_audit.core.enums import LabelledEnum, sql_values

if TYPE_CHECKING:
    from qa_audit.audits.models import Audit


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class ActionSource(LabelledEnum):
    AUDIT = "audit"
    DIP_SAMPLE = "dip_sample"
    REFLECTIVE_CONVERSATION = "reflective_conversation"


class PractitionerRole(LabelledEnum):
    """A practitioner who does an action without being a user: named by their part in the
    child's case, with a user (the action's owner) responsible for seeing it done."""

    SOCIAL_WORKER = "social_worker"
    TEAM_MANAGER = "team_manager"
    REVIEWING_OFFICER = "reviewing_officer"
    CHILD_PROTECTION_CHAIR = "child_protection_chair"
    PERSONAL_ADVISER = "personal_adviser"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PRACTITIONER_LABELS[self]


PRACTITIONER_LABELS = {
    PractitionerRole.SOCIAL_WORKER: "The child's social worker",
    PractitionerRole.TEAM_MANAGER: "The social worker's team manager",
    PractitionerRole.REVIEWING_OFFICER: "The independent reviewing officer",
    PractitionerRole.CHILD_PROTECTION_CHAIR: "The child protection chair",
    PractitionerRole.PERSONAL_ADVISER: "The young person's personal adviser",
    PractitionerRole.OTHER: "Another practitioner",
}
PRACTITIONER_NAME_MAX = 120


class Action(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'done')", name="status_known"),
        CheckConstraint(
            "source IN ('audit', 'dip_sample', 'reflective_conversation')", name="source_known"
        ),
        CheckConstraint(
            "(status = 'open') OR (completed_at IS NOT NULL)", name="done_has_completion"
        ),
        CheckConstraint(
            f"practitioner_role IS NULL OR practitioner_role IN ({sql_values(PractitionerRole)})",
            name="practitioner_role_known",
        ),
        CheckConstraint(
            "practitioner_name IS NULL OR practitioner_role IS NOT NULL",
            name="practitioner_has_role",
        ),
        Index("ix_action_owner_status", "owner_id", "status"),
        Index("ix_action_status_due", "status", "due_on"),
        # The period report's action counts, from the index alone (docs/benchmark.md).
        Index("ix_action_report", "audit_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(30), default=ActionSource.AUDIT.value)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"), index=True)
    dip_sample_id: Mapped[int | None] = mapped_column(ForeignKey("dip_sample.id"), index=True)
    reflective_conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("reflective_conversation.id"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    # The user who owns the action: does it, or is responsible for the practitioner who does.
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    practitioner_role: Mapped[str | None] = mapped_column(String(30))
    practitioner_name: Mapped[str | None] = mapped_column(String(PRACTITIONER_NAME_MAX))
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=ActionStatus.OPEN.value)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    completion_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    # For reading the audit's reference, case and area; Audit.actions is the side that writes.
    audit: Mapped[Audit | None] = relationship("Audit", viewonly=True)

    @property
    def practitioner(self) -> str:
        """Who does the action when not its owner: "The child's social worker (Sam Lee)"."""
        if not self.practitioner_role:
            return ""
        role = PractitionerRole(self.practitioner_role).label
        return f"{role} ({self.practitioner_name})" if self.practitioner_name else role

    @property
    def done(self) -> bool:
        return self.status == ActionStatus.DONE.value

    def overdue(self, today: date | None = None) -> bool:
        return not self.done and self.due_on < (today or local_today())
