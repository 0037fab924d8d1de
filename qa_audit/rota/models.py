"""The monthly rota: audits allotted to auditors, their due dates, completions and exemptions."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.auth.models import User
from qa_audit.core.clock import local_today
from qa_audit.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin
from qa_audit.core.enums import LabelledEnum, sql_values
from qa_audit.organisation.models import ServiceArea, Team

if TYPE_CHECKING:
    from qa_audit.audits.models import Audit


class AllocationStatus(LabelledEnum):
    ALLOTTED = "allotted"
    COMPLETED = "completed"
    EXEMPTED = "exempted"


# The allowed transitions, in one place (the CheckConstraint below keeps the values honest).
# completed -> allotted happens when the audit that completed it is returned to its auditor.
ALLOCATION_TRANSITIONS: dict[AllocationStatus, frozenset[AllocationStatus]] = {
    AllocationStatus.ALLOTTED: frozenset({AllocationStatus.COMPLETED, AllocationStatus.EXEMPTED}),
    AllocationStatus.COMPLETED: frozenset({AllocationStatus.ALLOTTED}),
    AllocationStatus.EXEMPTED: frozenset({AllocationStatus.COMPLETED}),
}

STATUS_VALUES_SQL = sql_values(AllocationStatus)


class Allocation(VersionedMixin, TimestampMixin, Base):
    """One audit allotted to an auditor for a month (a named case where the case is known)."""

    __tablename__ = "allocation"
    __table_args__ = (
        CheckConstraint(f"status IN ({STATUS_VALUES_SQL})", name="status_known"),
        CheckConstraint(
            "(status != 'exempted') OR (exemption_reason IS NOT NULL AND exemption_approved_by "
            "IS NOT NULL)",
            name="exemption_explained",
        ),
        CheckConstraint(
            "(status != 'completed') OR (completed_at IS NOT NULL)", name="completed_at"
        ),
        Index("ix_allocation_month_auditor", "month", "auditor_id"),
        Index("ix_allocation_status_due", "status", "due_on"),
        # The period report's rota figures, from the index alone (docs/benchmark.md).
        Index(
            "ix_allocation_report", "month", "service_area_id", "team_id", "auditor_id", "status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    auditor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_area.id"), index=True)
    # The case's team where it is known (it drives the own-team warning).
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    case_ref: Mapped[str | None] = mapped_column(String(30), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=AllocationStatus.ALLOTTED.value)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    exemption_reason: Mapped[str | None] = mapped_column(Text)
    # Who approved an exemption: always a name; the account too where they have one.
    exemption_approved_by: Mapped[str | None] = mapped_column(String(200))
    exemption_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    last_reminded_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The bulk allotment that made it, so that a whole allotment can be undone at once.
    batch_id: Mapped[str | None] = mapped_column(String(32), index=True)
    # Why the due date is past the month's window (a later date is refused without one).
    due_on_reason: Mapped[str | None] = mapped_column(Text)

    auditor: Mapped[User] = relationship(foreign_keys=[auditor_id], lazy="joined")
    service_area: Mapped[ServiceArea] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")
    approver: Mapped[User | None] = relationship(foreign_keys=[exemption_approved_by_id])
    # The audits started from this allocation (Audit.allocation_id); read-only from here.
    # No foreign key: adding one to the populated audit table would mean rebuilding it on SQLite.
    audits: Mapped[list[Audit]] = relationship(
        "Audit",
        primaryjoin="Allocation.id == foreign(Audit.allocation_id)",
        viewonly=True,
        order_by="Audit.id",
    )

    @property
    def status_enum(self) -> AllocationStatus:
        return AllocationStatus(self.status)

    @property
    def open(self) -> bool:
        return self.status == AllocationStatus.ALLOTTED.value

    def overdue(self, today: date | None = None) -> bool:
        return self.open and self.due_on < (today or local_today())

    def due_within(self, days: int, today: date | None = None) -> bool:
        today = today or local_today()
        return self.open and today <= self.due_on and (self.due_on - today).days <= days
