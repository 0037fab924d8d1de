"""Deep-dive audits: one child's case graded against the domains of an audit tool."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.actions.models import Action
from qa_audit.audit_tools.grades import GRADE_VALUES_SQL, Grade
from qa_audit.audit_tools.models import AuditTool, AuditToolDomain
from qa_audit.audits.safeguarding.models import ConcernOutcome, ConcernStatus, SafeguardingNote
from qa_audit.auth.models import User
from qa_audit.core.clock import utcnow
from qa_audit.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin
from qa_audit.core.enums import LabelledEnum, sql_values
from qa_audit.learning_themes.models import LearningTheme, audit_learning_theme
from qa_audit.organisation.models import ServiceArea, Team


class AuditStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    CLOSED = "closed"


# The allowed transitions, in one place (CheckConstraint below keeps the values honest).
AUDIT_TRANSITIONS: dict[AuditStatus, frozenset[AuditStatus]] = {
    AuditStatus.DRAFT: frozenset({AuditStatus.SUBMITTED}),
    AuditStatus.SUBMITTED: frozenset({AuditStatus.RETURNED, AuditStatus.CLOSED}),
    AuditStatus.RETURNED: frozenset({AuditStatus.SUBMITTED}),
    AuditStatus.CLOSED: frozenset(),
}


class AuditType(LabelledEnum):
    DEEP_DIVE = "deep_dive"
    CLOSING_THE_LOOP = "closing_the_loop"


class AuditSource(StrEnum):
    APP = "app"
    IMPORT = "import"


class Audit(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "audit"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_values(AuditStatus)})", name="status_known"),
        CheckConstraint(f"audit_type IN ({sql_values(AuditType)})", name="type_known"),
        CheckConstraint(f"source IN ({sql_values(AuditSource)})", name="source_known"),
        CheckConstraint(
            f"overall_grade IS NULL OR overall_grade IN ({GRADE_VALUES_SQL})", name="overall_known"
        ),
        CheckConstraint(
            "(status = 'draft') OR (submitted_on IS NOT NULL AND submitted_month IS NOT NULL)",
            name="submitted_has_date",
        ),
        Index("ix_audit_month_area", "submitted_month", "service_area_id"),
        Index("ix_audit_auditor_status", "auditor_id", "status"),
        # The period report's audits, read from the index alone (docs/benchmark.md).
        Index("ix_audit_report", "submitted_month", "status", "overall_grade", "id"),
        # The All audits list, newest first (docs/benchmark.md).
        Index("ix_audit_submitted_on_id", "submitted_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    case_ref: Mapped[str] = mapped_column(String(30), index=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_area.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    tool_id: Mapped[int] = mapped_column(ForeignKey("audit_tool.id"), index=True)
    audit_type: Mapped[str] = mapped_column(String(20), default=AuditType.DEEP_DIVE.value)
    previous_audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"), index=True)
    audit_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=AuditStatus.DRAFT.value)
    source: Mapped[str] = mapped_column(String(10), default=AuditSource.APP.value)
    # An imported audit's import: who imported it, from which file, when (audit_import).
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    overall_grade: Mapped[str | None] = mapped_column(String(30))
    overall_rationale: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The month an audit counts in is the month it was submitted (docs/domain.md).
    submitted_on: Mapped[date | None] = mapped_column(Date)
    submitted_month: Mapped[str | None] = mapped_column(String(7))
    returned_reason: Mapped[str | None] = mapped_column(Text)
    allocation_id: Mapped[int | None] = mapped_column(index=True)
    # When its case reference and free text were removed under the council's retention
    # schedule (qa_audit.retention); grades, dates and counts stay for the reports.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    service_area: Mapped[ServiceArea] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")
    auditor: Mapped[User] = relationship(lazy="joined")
    tool: Mapped[AuditTool] = relationship(lazy="joined")
    previous_audit: Mapped[Audit | None] = relationship(remote_side="Audit.id")
    grades: Mapped[list[AuditDomainGrade]] = relationship(
        back_populates="audit",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="AuditDomainGrade.position",
    )
    feedback: Mapped[list[FeedbackConversation]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="FeedbackConversation.id"
    )
    learning_themes: Mapped[list[LearningTheme]] = relationship(
        secondary=audit_learning_theme, order_by="LearningTheme.position"
    )
    safeguarding_concerns: Mapped[list[SafeguardingConcern]] = relationship(
        back_populates="audit", order_by="SafeguardingConcern.id"
    )
    comments: Mapped[list[PractitionerComment]] = relationship(
        back_populates="audit", order_by="PractitionerComment.id"
    )
    actions: Mapped[list[Action]] = relationship(order_by="Action.id")

    @property
    def status_enum(self) -> AuditStatus:
        return AuditStatus(self.status)

    @property
    def type_enum(self) -> AuditType:
        return AuditType(self.audit_type)

    @property
    def overall(self) -> Grade | None:
        return Grade(self.overall_grade) if self.overall_grade else None

    @property
    def editable(self) -> bool:
        return self.status in (AuditStatus.DRAFT.value, AuditStatus.RETURNED.value)

    def grade_for(self, key: str) -> AuditDomainGrade | None:
        return next((g for g in self.grades if g.domain_key == key), None)


class AuditDomainGrade(Base):
    """The auditor's grade and evidence for one domain. Never overwritten by moderation."""

    __tablename__ = "audit_domain_grade"
    __table_args__ = (
        UniqueConstraint("audit_id", "domain_key", name="audit_domain"),
        CheckConstraint(f"grade IS NULL OR grade IN ({GRADE_VALUES_SQL})", name="grade_known"),
        Index("ix_audit_domain_grade_key_grade", "domain_key", "grade"),
        # Covers the period report's join (docs/benchmark.md).
        Index("ix_audit_domain_grade_report", "audit_id", "domain_key", "grade"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    tool_domain_id: Mapped[int] = mapped_column(ForeignKey("audit_tool_domain.id"))
    domain_key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    grade: Mapped[str | None] = mapped_column(String(30))
    working_well: Mapped[str] = mapped_column(Text, default="")
    needs_improvement: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[str] = mapped_column(Text, default="")

    audit: Mapped[Audit] = relationship(back_populates="grades")
    tool_domain: Mapped[AuditToolDomain] = relationship(lazy="joined")

    @property
    def grade_enum(self) -> Grade | None:
        return Grade(self.grade) if self.grade else None


class FeedbackWho(StrEnum):
    CHILD = "child"
    CARE_EXPERIENCED_ADULT = "care_experienced_adult"
    MOTHER = "mother"
    FATHER = "father"
    OTHER_CARER = "other_carer"
    FOSTER_CARER = "foster_carer"
    OTHER = "other"

    @property
    def label(self) -> str:
        return FEEDBACK_WHO_LABELS[self]


FEEDBACK_WHO_LABELS = {
    FeedbackWho.CHILD: "Child or young person",
    FeedbackWho.CARE_EXPERIENCED_ADULT: "Care-experienced adult",
    FeedbackWho.MOTHER: "Mother",
    FeedbackWho.FATHER: "Father",
    FeedbackWho.OTHER_CARER: "Other carer",
    FeedbackWho.FOSTER_CARER: "Foster carer",
    FeedbackWho.OTHER: "Other",
}


class FeedbackHow(LabelledEnum):
    VISIT = "visit"
    PHONE = "phone"
    OTHER = "other"


class FeedbackTone(LabelledEnum):
    POSITIVE = "positive"
    CONSTRUCTIVE = "constructive"


class FeedbackConversation(TimestampMixin, Base):
    __tablename__ = "feedback_conversation"
    __table_args__ = (
        CheckConstraint(f"who IN ({sql_values(FeedbackWho)})", name="who_known"),
        CheckConstraint(f"how IN ({sql_values(FeedbackHow)})", name="how_known"),
        CheckConstraint(f"tone IN ({sql_values(FeedbackTone)})", name="tone_known"),
        # The period report's feedback figures, from the index alone (docs/benchmark.md).
        Index("ix_feedback_conversation_report", "audit_id", "who", "tone", "consent_to_quote"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    who: Mapped[str] = mapped_column(String(30))
    how: Mapped[str] = mapped_column(String(10))
    said: Mapped[str] = mapped_column(Text)
    tone: Mapped[str] = mapped_column(String(15))
    consent_to_quote: Mapped[bool] = mapped_column(Boolean, default=False)

    audit: Mapped[Audit] = relationship(back_populates="feedback")


class SafeguardingConcern(TimestampMixin, Base):
    """A concern found during an audit: goes at once to the area's service manager, who
    acknowledges it, may add interim notes, and resolves it with an outcome (the response)."""

    __tablename__ = "safeguarding_concern"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_values(ConcernStatus)})", name="status_known"),
        CheckConstraint(
            f"outcome IS NULL OR outcome IN ({sql_values(ConcernOutcome)})", name="outcome_known"
        ),
        CheckConstraint(
            "status = 'raised' OR acknowledged_at IS NOT NULL", name="acknowledged_has_time"
        ),
        CheckConstraint(
            "status != 'resolved' OR (responded_at IS NOT NULL AND outcome IS NOT NULL)",
            name="resolved_has_outcome",
        ),
        # The escalation run's question: raised, not yet escalated.
        Index("ix_safeguarding_concern_waiting", "status", "escalated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    description: Mapped[str] = mapped_column(Text)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_area.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ConcernStatus.RAISED.value)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # When the service managers and QA leads were told it had not been acknowledged in time.
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The resolution: its outcome, what was done (response), when and by whom.
    outcome: Mapped[str | None] = mapped_column(String(30))
    outcome_detail: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    audit: Mapped[Audit] = relationship(back_populates="safeguarding_concerns")
    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id], lazy="joined")
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id], lazy="joined")
    service_area: Mapped[ServiceArea] = relationship(lazy="joined")
    notes: Mapped[list[SafeguardingNote]] = relationship(
        back_populates="concern", order_by="SafeguardingNote.id", lazy="selectin"
    )

    @property
    def resolved(self) -> bool:
        return self.status == ConcernStatus.RESOLVED.value

    @property
    def acknowledged(self) -> bool:
        return self.status == ConcernStatus.ACKNOWLEDGED.value

    @property
    def outcome_label(self) -> str:
        return ConcernOutcome(self.outcome).label if self.outcome else ""


class PractitionerComment(TimestampMixin, Base):
    """The practitioner's or their manager's comment on the audit of their work."""

    __tablename__ = "practitioner_comment"
    __table_args__ = (
        CheckConstraint("author_role IN ('practitioner', 'manager')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), index=True)
    author_role: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))

    audit: Mapped[Audit] = relationship(back_populates="comments")
    recorded_by: Mapped[User] = relationship(lazy="joined")
