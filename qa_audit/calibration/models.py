"""Calibration rounds: one case graded independently by a group before a deadline, then the
spread of their grades, each person against a reference grade, and the discussion's notes.

A round reads either a submitted audit's evidence (shown without the auditor's grades) or a
case named by its reference and read in the case-management system. An invitee saves their
grades as often as they like until they submit; submitting is final. Results open the day
after the deadline, or when the QA lead closes the round early."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.audit_tools.grades import GRADE_VALUES_SQL, Grade
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.core.clock import local_today
from qa_audit.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin
from qa_audit.core.enums import LabelledEnum, sql_values

# The overall judgement is kept beside the domains under this key (no tool's domain has it).
OVERALL = "overall"


class RoundStatus(LabelledEnum):
    OPEN = "open"
    CLOSED = "closed"


class CalibrationRound(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "calibration_round"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_values(RoundStatus)})", name="status_known"),
        CheckConstraint(
            "(audit_id IS NOT NULL AND case_ref IS NULL) "
            "OR (audit_id IS NULL AND case_ref IS NOT NULL)",
            name="an_audit_or_a_case",
        ),
        CheckConstraint(
            "status != 'closed' OR (closed_at IS NOT NULL AND closed_by_id IS NOT NULL)",
            name="closed_has_who",
        ),
        Index("ix_calibration_round_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # A submitted audit whose evidence is read, or (audit_id None) a case to be read.
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"), index=True)
    case_ref: Mapped[str | None] = mapped_column(String(30))
    instructions: Mapped[str] = mapped_column(Text, default="")
    tool_id: Mapped[int] = mapped_column(ForeignKey("audit_tool.id"))
    # The tool's domains graded in this round, in the tool's order.
    domain_keys: Mapped[list[str]] = mapped_column(JSON)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=RoundStatus.OPEN.value)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    discussion_notes: Mapped[str] = mapped_column(Text, default="")

    audit: Mapped[Audit | None] = relationship(lazy="joined")
    tool: Mapped[AuditTool] = relationship(lazy="joined")
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    invitations: Mapped[list[CalibrationInvitation]] = relationship(
        back_populates="round",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CalibrationInvitation.id",
    )
    references: Mapped[list[CalibrationReference]] = relationship(
        back_populates="round", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def shown_case_ref(self) -> str:
        """The case read: the audit's (as it stands, anonymised or not) or the one given."""
        if self.audit is not None:
            return self.audit.case_ref
        return self.case_ref or ""

    @property
    def keys(self) -> list[str]:
        """The graded domains and the overall judgement, in the order shown."""
        return [*self.domain_keys, OVERALL]

    def title_of(self, key: str) -> str:
        if key == OVERALL:
            return "Overall"
        domain = self.tool.domain(key)
        return domain.title if domain is not None else key

    def results_open(self, today: date | None = None) -> bool:
        """Closed early by the QA lead, or past its deadline (the deadline day is for grading)."""
        return self.status == RoundStatus.CLOSED.value or (today or local_today()) > self.deadline

    def invitation_of(self, person_id: int) -> CalibrationInvitation | None:
        return next((i for i in self.invitations if i.person_id == person_id), None)

    def reference_for(self, key: str) -> CalibrationReference | None:
        return next((r for r in self.references if r.domain_key == key), None)


class CalibrationInvitation(VersionedMixin, TimestampMixin, Base):
    """One person's grading of a round: saved as they go, final once submitted."""

    __tablename__ = "calibration_invitation"
    __table_args__ = (
        UniqueConstraint("round_id", "person_id", name="calibration_invitation_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_round.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[CalibrationRound] = relationship(back_populates="invitations")
    person: Mapped[User] = relationship(lazy="joined")
    grades: Mapped[list[CalibrationGrade]] = relationship(
        back_populates="invitation", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def grade_for(self, key: str) -> CalibrationGrade | None:
        return next((g for g in self.grades if g.domain_key == key), None)


class CalibrationGrade(Base):
    """An invitee's grade for one domain (or the overall judgement), with a short rationale."""

    __tablename__ = "calibration_grade"
    __table_args__ = (
        UniqueConstraint("invitation_id", "domain_key", name="calibration_grade_domain"),
        CheckConstraint(f"grade IN ({GRADE_VALUES_SQL})", name="grade_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("calibration_invitation.id"), index=True)
    domain_key: Mapped[str] = mapped_column(String(80))
    grade: Mapped[str] = mapped_column(String(30))
    rationale: Mapped[str] = mapped_column(Text, default="")

    invitation: Mapped[CalibrationInvitation] = relationship(back_populates="grades")

    @property
    def grade_enum(self) -> Grade:
        return Grade(self.grade)


class CalibrationReference(TimestampMixin, Base):
    """The reference grade the QA lead set (or overrode the moderator's with), and why."""

    __tablename__ = "calibration_reference"
    __table_args__ = (
        UniqueConstraint("round_id", "domain_key", name="calibration_reference_domain"),
        CheckConstraint(f"grade IN ({GRADE_VALUES_SQL})", name="grade_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_round.id"), index=True)
    domain_key: Mapped[str] = mapped_column(String(80))
    grade: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    set_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    round: Mapped[CalibrationRound] = relationship(back_populates="references")
    set_by: Mapped[User] = relationship(lazy="joined")
