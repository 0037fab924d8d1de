"""Thematic dip samples: one theme looked at across a small sample of cases, with an optional
checklist answered per sampled case."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.actions.models import Action
from qa_audit.auth.models import User
from qa_audit.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin
from qa_audit.core.enums import LabelledEnum, sql_values
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.organisation.models import ServiceArea


class SampleUnit(LabelledEnum):
    CHILDREN = "children"
    YOUNG_PEOPLE = "young_people"
    FAMILIES = "families"


class DipSampleStatus(LabelledEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


# The allowed transitions, in one place.
DIP_SAMPLE_TRANSITIONS: dict[DipSampleStatus, frozenset[DipSampleStatus]] = {
    DipSampleStatus.IN_PROGRESS: frozenset({DipSampleStatus.COMPLETED}),
    DipSampleStatus.COMPLETED: frozenset({DipSampleStatus.IN_PROGRESS}),
}


class Answer(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    NOT_APPLICABLE = "n_a"

    @property
    def label(self) -> str:
        return {"yes": "Yes", "partly": "Partly", "no": "No", "n_a": "N/A"}[self.value]


dip_sample_service_area = Table(
    "dip_sample_service_area",
    Base.metadata,
    Column("dip_sample_id", ForeignKey("dip_sample.id"), primary_key=True),
    Column("service_area_id", ForeignKey("service_area.id"), primary_key=True, index=True),
)

dip_sample_lead_auditor = Table(
    "dip_sample_lead_auditor",
    Base.metadata,
    Column("dip_sample_id", ForeignKey("dip_sample.id"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True, index=True),
)

# The same managed list that tags audits tags dip samples, so a theme can be followed across both.
dip_sample_learning_theme = Table(
    "dip_sample_learning_theme",
    Base.metadata,
    Column("dip_sample_id", ForeignKey("dip_sample.id"), primary_key=True),
    Column("learning_theme_id", ForeignKey("learning_theme.id"), primary_key=True, index=True),
)


class DipSample(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "dip_sample"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_values(DipSampleStatus)})", name="status_known"),
        CheckConstraint(f"sample_unit IN ({sql_values(SampleUnit)})", name="unit_known"),
        CheckConstraint("sample_size > 0", name="sample_size_positive"),
        CheckConstraint("period_from <= period_to", name="period_in_order"),
        CheckConstraint(
            "(status != 'completed') OR (completed_on IS NOT NULL)", name="completed_has_date"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    period_from: Mapped[str] = mapped_column(String(7))
    period_to: Mapped[str] = mapped_column(String(7))
    sample_unit: Mapped[str] = mapped_column(String(20))
    sample_size: Mapped[int] = mapped_column(Integer)
    strengths: Mapped[str] = mapped_column(Text, default="")
    areas_for_development: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(
        String(20), default=DipSampleStatus.IN_PROGRESS.value, index=True
    )
    completed_on: Mapped[date | None] = mapped_column(Date, index=True)
    # Why the cases sampled but not recorded could not be reviewed: a sample completes with
    # fewer cases than its size only with this reason.
    cases_not_reviewed_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # When its sampled cases' references and its free text were removed under the council's
    # retention schedule (qa_audit.retention).
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    service_areas: Mapped[list[ServiceArea]] = relationship(
        secondary=dip_sample_service_area, order_by="ServiceArea.name"
    )
    lead_auditors: Mapped[list[User]] = relationship(
        secondary=dip_sample_lead_auditor, order_by="User.name"
    )
    learning_themes: Mapped[list[LearningTheme]] = relationship(
        secondary=dip_sample_learning_theme, order_by="LearningTheme.position"
    )
    questions: Mapped[list[DipSampleQuestion]] = relationship(
        back_populates="dip_sample",
        cascade="all, delete-orphan",
        order_by="DipSampleQuestion.position",
    )
    cases: Mapped[list[DipSampleCase]] = relationship(
        back_populates="dip_sample", cascade="all, delete-orphan", order_by="DipSampleCase.id"
    )
    actions: Mapped[list[Action]] = relationship(
        primaryjoin="DipSample.id == Action.dip_sample_id", viewonly=True, order_by="Action.id"
    )

    @property
    def status_enum(self) -> DipSampleStatus:
        return DipSampleStatus(self.status)

    @property
    def unit_enum(self) -> SampleUnit:
        return SampleUnit(self.sample_unit)

    @property
    def completed(self) -> bool:
        return self.status == DipSampleStatus.COMPLETED.value


class DipSampleQuestion(Base):
    """A checklist question answered for every sampled case."""

    __tablename__ = "dip_sample_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    dip_sample_id: Mapped[int] = mapped_column(ForeignKey("dip_sample.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    dip_sample: Mapped[DipSample] = relationship(back_populates="questions")


class DipSampleCase(TimestampMixin, Base):
    """One sampled case, by its case reference (never a name)."""

    __tablename__ = "dip_sample_case"
    __table_args__ = (UniqueConstraint("dip_sample_id", "case_ref", name="dip_sample_case_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dip_sample_id: Mapped[int] = mapped_column(ForeignKey("dip_sample.id"), index=True)
    case_ref: Mapped[str] = mapped_column(String(30))

    dip_sample: Mapped[DipSample] = relationship(back_populates="cases")
    answers: Mapped[list[DipSampleAnswer]] = relationship(
        back_populates="case", cascade="all, delete-orphan", lazy="selectin"
    )

    def answer_to(self, question: DipSampleQuestion) -> str | None:
        return next((a.answer for a in self.answers if a.question_id == question.id), None)


class DipSampleAnswer(Base):
    __tablename__ = "dip_sample_answer"
    __table_args__ = (
        UniqueConstraint("case_id", "question_id", name="case_question"),
        CheckConstraint(f"answer IN ({sql_values(Answer)})", name="answer_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dip_sample_case.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("dip_sample_question.id"), index=True)
    answer: Mapped[str] = mapped_column(String(10))

    case: Mapped[DipSampleCase] = relationship(back_populates="answers")
    question: Mapped[DipSampleQuestion] = relationship()
