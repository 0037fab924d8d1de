"""Moderation: a second look at a sample of submitted audits. The auditor's grades are never
overwritten; the moderator's grades sit beside them and become the final grades."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.actions.models import Action
from qa_audit.audit_tools.grades import GRADE_VALUES_SQL, Grade
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin
from qa_audit.organisation.models import ServiceArea


class ModerationStatus(StrEnum):
    SELECTED = "selected"  # waiting in the queue (assigned or not)
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class ModerationOutcome(StrEnum):
    UPHELD = "upheld"
    UPGRADED = "upgraded"
    DOWNGRADED = "downgraded"


class ModerationPriority(StrEnum):
    HIGH = "high"
    NORMAL = "normal"


def outcome_of(original: Grade, moderated: Grade) -> ModerationOutcome:
    """Upheld, upgraded or downgraded: the overall grade compared on the scale."""
    if original.score is None or moderated.score is None or original.score == moderated.score:
        return ModerationOutcome.UPHELD
    return (
        ModerationOutcome.UPGRADED
        if moderated.score > original.score
        else ModerationOutcome.DOWNGRADED
    )


class Moderation(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "moderation"
    __table_args__ = (
        CheckConstraint("status IN ('selected', 'completed', 'withdrawn')", name="status_known"),
        CheckConstraint("priority IN ('high', 'normal')", name="priority_known"),
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('upheld', 'upgraded', 'downgraded')",
            name="outcome_known",
        ),
        CheckConstraint(
            f"overall_grade IS NULL OR overall_grade IN ({GRADE_VALUES_SQL})", name="overall_known"
        ),
        CheckConstraint(
            "status != 'completed' OR (overall_grade IS NOT NULL AND outcome IS NOT NULL "
            "AND moderated_on IS NOT NULL AND moderator_id IS NOT NULL)",
            name="completed_is_complete",
        ),
        CheckConstraint(
            f"blind_overall_grade IS NULL OR blind_overall_grade IN ({GRADE_VALUES_SQL})",
            name="blind_overall_known",
        ),
        # A blind moderation is completed only after the moderator's blind grades.
        CheckConstraint(
            "status != 'completed' OR blind = false OR blind_overall_grade IS NOT NULL",
            name="blind_graded_before_completed",
        ),
        # Covers the period report's join of a completed moderation (docs/benchmark.md).
        Index("ix_moderation_report", "audit_id", "status", "id", "overall_grade", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=ModerationStatus.SELECTED.value)
    priority: Mapped[str] = mapped_column(String(10), default=ModerationPriority.NORMAL.value)
    selection_reason: Mapped[str] = mapped_column(Text)
    selected_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    selected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_on: Mapped[date | None] = mapped_column(Date)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    overall_grade: Mapped[str | None] = mapped_column(String(30))
    overall_rationale: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(20))
    moderated_on: Mapped[date | None] = mapped_column(Date)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(10), default="app")
    # Blind: the moderator grades before the auditor's grades are shown (docs/moderation.md).
    # The blind grades are kept beside the final decision and never changed once saved.
    blind: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    blind_overall_grade: Mapped[str | None] = mapped_column(String(30))
    blind_overall_rationale: Mapped[str] = mapped_column(Text, default="", server_default="")
    blind_graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    audit: Mapped[Audit] = relationship(lazy="joined")
    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id], lazy="joined")
    selected_by: Mapped[User | None] = relationship(foreign_keys=[selected_by_id])
    grades: Mapped[list[ModerationGrade]] = relationship(
        back_populates="moderation", cascade="all, delete-orphan", lazy="selectin"
    )
    quality_ratings: Mapped[list[AuditQualityRating]] = relationship(
        back_populates="moderation",
        cascade="all, delete-orphan",
        order_by="AuditQualityRating.position",
    )  # read when asked for: only the decision and its form use them (not every page's moderation)

    def grade_for(self, key: str) -> ModerationGrade | None:
        return next((g for g in self.grades if g.domain_key == key), None)

    @property
    def status_enum(self) -> ModerationStatus:
        return ModerationStatus(self.status)

    @property
    def overall(self) -> Grade | None:
        return Grade(self.overall_grade) if self.overall_grade else None

    def blind_grade_for(self, key: str) -> Grade | None:
        """The moderator's blind grade of one domain (blind moderation only)."""
        row = self.grade_for(key)
        return Grade(row.blind_grade) if row is not None and row.blind_grade else None

    @property
    def blind_overall(self) -> Grade | None:
        return Grade(self.blind_overall_grade) if self.blind_overall_grade else None

    @property
    def awaiting_blind_grades(self) -> bool:
        """Blind and not yet graded blind: the auditor's grades must stay hidden."""
        return self.blind and self.blind_graded_at is None

    @property
    def in_progress(self) -> bool:
        """Selected, with some of the moderator's judgements saved but not completed."""
        return self.status == ModerationStatus.SELECTED.value and (
            bool(self.grades) or self.overall_grade is not None
        )

    def overdue(self, today: date | None = None) -> bool:
        return (
            self.status == ModerationStatus.SELECTED.value
            and self.due_on is not None
            and self.due_on < (today or local_today())
        )


class ModerationGrade(Base):
    """The moderator's judgement of one domain: agree (same grade) or regrade with rationale."""

    __tablename__ = "moderation_grade"
    __table_args__ = (
        UniqueConstraint("moderation_id", "domain_key", name="moderation_domain"),
        CheckConstraint(f"grade IN ({GRADE_VALUES_SQL})", name="grade_known"),
        CheckConstraint(
            f"blind_grade IS NULL OR blind_grade IN ({GRADE_VALUES_SQL})", name="blind_grade_known"
        ),
        # Covers the period report's join of the moderator's domain grades (docs/benchmark.md).
        Index("ix_moderation_grade_report", "moderation_id", "domain_key", "grade"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    moderation_id: Mapped[int] = mapped_column(ForeignKey("moderation.id"), index=True)
    domain_key: Mapped[str] = mapped_column(String(80))
    grade: Mapped[str] = mapped_column(String(30))
    rationale: Mapped[str] = mapped_column(Text, default="")
    # The moderator's grade before seeing the auditor's (blind moderation only).
    blind_grade: Mapped[str | None] = mapped_column(String(30))

    moderation: Mapped[Moderation] = relationship(back_populates="grades")


class SamplingDecision(Base):
    """Why an audit was or was not chosen for moderation when it was submitted."""

    __tablename__ = "moderation_sampling_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    grade: Mapped[str | None] = mapped_column(String(30))
    rate: Mapped[float | None] = mapped_column(Float)
    draw: Mapped[float | None] = mapped_column(Float)
    selected: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    # None when the rule decided at submission; the QA lead when added or withdrawn by hand.
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    audit: Mapped[Audit] = relationship(lazy="joined")
    decided_by: Mapped[User | None] = relationship(lazy="joined")


class SamplingSettings(VersionedMixin, TimestampMixin, Base):
    """The QA lead's sampling rules: one row. Inadequate is always moderated (rate 1, fixed)."""

    __tablename__ = "moderation_sampling_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint(
            "rate_outstanding >= 0 AND rate_outstanding <= 1 AND rate_good >= 0 AND rate_good <= 1 "
            "AND rate_requires_improvement >= 0 AND rate_requires_improvement <= 1",
            name="rates_between_0_and_1",
        ),
        CheckConstraint(
            "inadequate_deadline_days >= 1 AND normal_deadline_days >= 1 "
            "AND reflective_deadline_days >= 1",
            name="deadlines_positive",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    rate_outstanding: Mapped[float] = mapped_column(Float, default=0.5)
    rate_good: Mapped[float] = mapped_column(Float, default=0.5)
    rate_requires_improvement: Mapped[float] = mapped_column(Float, default=0.2)
    inadequate_deadline_days: Mapped[int] = mapped_column(Integer, default=5)
    normal_deadline_days: Mapped[int] = mapped_column(Integer, default=20)
    reflective_deadline_days: Mapped[int] = mapped_column(Integer, default=10)
    # Per grade: whether a moderation chosen by sampling for an audit of that grade is blind.
    blind_outstanding: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    blind_good: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    blind_requires_improvement: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    blind_inadequate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Mixed into every draw so that nobody can pick an audit reference to dodge the sample.
    salt: Mapped[str] = mapped_column(String(64))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    updated_by: Mapped[User | None] = relationship(lazy="joined")

    def rate_for(self, grade: Grade) -> float | None:
        """The chance an audit with this overall grade is selected (None: never sampled)."""
        return {
            Grade.OUTSTANDING: self.rate_outstanding,
            Grade.GOOD: self.rate_good,
            Grade.REQUIRES_IMPROVEMENT: self.rate_requires_improvement,
            Grade.INADEQUATE: 1.0,
        }.get(grade)

    def blind_for(self, grade: Grade | None) -> bool:
        """Whether a sampled audit with this overall grade is moderated blind."""
        return (
            {
                Grade.OUTSTANDING: self.blind_outstanding,
                Grade.GOOD: self.blind_good,
                Grade.REQUIRES_IMPROVEMENT: self.blind_requires_improvement,
                Grade.INADEQUATE: self.blind_inadequate,
            }.get(grade, False)
            if grade is not None
            else False
        )


class QualityRating(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class AuditQualityRating(Base):
    """The moderator's rating of the audit against one item of its tool's quality checklist
    (development feedback for the auditor). The item's text is kept as it was shown."""

    __tablename__ = "audit_quality_rating"
    __table_args__ = (
        UniqueConstraint("moderation_id", "item_key", name="moderation_item"),
        CheckConstraint("rating IN ('yes', 'partly', 'no')", name="rating_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    moderation_id: Mapped[int] = mapped_column(ForeignKey("moderation.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(80))
    item_text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    rating: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")

    moderation: Mapped[Moderation] = relationship(back_populates="quality_ratings")

    @property
    def rating_enum(self) -> QualityRating:
        return QualityRating(self.rating)


class ReflectiveStatus(StrEnum):
    DUE = "due"
    HELD = "held"


class ReflectiveConversation(VersionedMixin, TimestampMixin, Base):
    """Due when Inadequate is maintained after moderation; held by the area's service manager."""

    __tablename__ = "reflective_conversation"
    __table_args__ = (
        CheckConstraint("status IN ('due', 'held')", name="status_known"),
        CheckConstraint(
            "status != 'held' OR (held_on IS NOT NULL AND participants IS NOT NULL "
            "AND learning IS NOT NULL AND recorded_by_id IS NOT NULL)",
            name="held_is_recorded",
        ),
        # The period report's counts, from the index alone (docs/benchmark.md).
        Index("ix_reflective_conversation_report", "audit_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    moderation_id: Mapped[int] = mapped_column(ForeignKey("moderation.id"), unique=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_area.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=ReflectiveStatus.DUE.value)
    due_on: Mapped[date] = mapped_column(Date)
    held_on: Mapped[date | None] = mapped_column(Date)
    participants: Mapped[str | None] = mapped_column(Text)
    learning: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    moderation: Mapped[Moderation] = relationship(lazy="joined")
    audit: Mapped[Audit] = relationship(lazy="joined")
    service_area: Mapped[ServiceArea] = relationship(lazy="joined")
    recorded_by: Mapped[User | None] = relationship(lazy="joined")
    actions: Mapped[list[Action]] = relationship(
        primaryjoin="Action.reflective_conversation_id == ReflectiveConversation.id",
        foreign_keys="Action.reflective_conversation_id",
        order_by="Action.id",
        viewonly=True,
    )

    @property
    def held(self) -> bool:
        return self.status == ReflectiveStatus.HELD.value

    @property
    def moderation_result(self) -> str:
        """What moderation did to the overall grade: a conversation follows a downgrade to
        Inadequate as well as an Inadequate kept, and the two are different conversations."""
        audited = self.audit.overall
        if audited is None or audited is Grade.INADEQUATE:
            return "Inadequate maintained at moderation"
        return f"Downgraded to Inadequate at moderation (audited as {audited.label})"

    def overdue(self, today: date | None = None) -> bool:
        return not self.held and self.due_on < (today or local_today())
