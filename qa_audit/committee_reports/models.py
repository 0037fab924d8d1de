"""The committee report: the QA lead's narrative, chosen quotes, images and featured dip samples
around a period report, drafted and then frozen as a final with a snapshot of its figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.auth.models import User
from qa_audit.core.clock import utcnow
from qa_audit.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin
from qa_audit.core.enums import LabelledEnum, sql_values


class CommitteeReportStatus(LabelledEnum):
    DRAFT = "draft"
    FINAL = "final"


class CommitteeReport(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "committee_report"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_values(CommitteeReportStatus)})", name="status_known"),
        CheckConstraint("period_from <= period_to", name="period_in_order"),
        # A final carries what it was finalised with; a draft has nothing frozen yet.
        CheckConstraint(
            "(status != 'final') OR (snapshot IS NOT NULL AND finalised_at IS NOT NULL)",
            name="final_has_snapshot",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    period_from: Mapped[str] = mapped_column(String(7))
    period_to: Mapped[str] = mapped_column(String(7))
    # The period report's filters, as their keys (service area), empty for the whole council.
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Where the direction of travel starts, as asked ('YYYY-MM', or 'first' for since the
    # first audit); None for the twelve months to the period's last month. A final's span is
    # frozen in its snapshot with the rest of its figures.
    trend_from: Mapped[str | None] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(
        String(10), default=CommitteeReportStatus.DRAFT.value, index=True
    )
    introduction: Mapped[str] = mapped_column(Text, default="")
    feedback_narrative: Mapped[str] = mapped_column(Text, default="")
    # Viewers see a final's figures only, unless the QA lead shares its narrative, quotes
    # and images with them (docs/committee-report.md).
    shareable_with_viewers: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The final's frozen content: the period report as built, the narrative, the quotes and
    # the featured dip samples, so later changes to audits never alter it.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], lazy="joined")
    finalised_by: Mapped[User | None] = relationship(foreign_keys=[finalised_by_id])
    principles: Mapped[list[CommitteeReportPrinciple]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        order_by="CommitteeReportPrinciple.id",
    )
    quotes: Mapped[list[CommitteeReportQuote]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        order_by="CommitteeReportQuote.position",
    )
    images: Mapped[list[CommitteeReportImage]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        order_by="CommitteeReportImage.position",
    )
    dip_samples: Mapped[list[CommitteeReportDipSample]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        order_by="CommitteeReportDipSample.position",
    )

    @property
    def is_final(self) -> bool:
        return self.status == CommitteeReportStatus.FINAL.value

    def principle(self, domain_key: str) -> CommitteeReportPrinciple | None:
        return next((p for p in self.principles if p.domain_key == domain_key), None)


class CommitteeReportPrinciple(Base):
    """The narrative for one practice principle (a domain of the period's audit tools)."""

    __tablename__ = "committee_report_principle"
    __table_args__ = (UniqueConstraint("report_id", "domain_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("committee_report.id"), index=True)
    domain_key: Mapped[str] = mapped_column(String(80))
    what_we_know: Mapped[str] = mapped_column(Text, default="")
    impact: Mapped[str] = mapped_column(Text, default="")

    report: Mapped[CommitteeReport] = relationship(back_populates="principles")


class CommitteeReportQuote(Base):
    """A quote chosen from the period's consented feedback. Its words are copied, so a final
    keeps them; ``feedback_id`` says where they came from while that record exists."""

    __tablename__ = "committee_report_quote"
    __table_args__ = (UniqueConstraint("report_id", "said_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("committee_report.id"), index=True)
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_conversation.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    who: Mapped[str] = mapped_column(String(30))
    tone: Mapped[str] = mapped_column(String(15))
    said: Mapped[str] = mapped_column(Text)
    # The words folded (case and spacing) and hashed: the same quote cannot be picked twice.
    said_key: Mapped[str] = mapped_column(String(64))

    report: Mapped[CommitteeReport] = relationship(back_populates="quotes")


class CommitteeReportImage(Base):
    """An image for the report (a child's drawing), re-encoded without its metadata. Kept in
    the database so that backups carry it."""

    __tablename__ = "committee_report_image"
    __table_args__ = (
        CheckConstraint("media_type IN ('image/png', 'image/jpeg')", name="media_type_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("committee_report.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    media_type: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    alt_text: Mapped[str] = mapped_column(Text)
    caption: Mapped[str] = mapped_column(Text, default="")
    consent_note: Mapped[str] = mapped_column(String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    report: Mapped[CommitteeReport] = relationship(back_populates="images")


class CommitteeReportDipSample(Base):
    """A completed dip sample the report features."""

    __tablename__ = "committee_report_dip_sample"
    __table_args__ = (UniqueConstraint("report_id", "dip_sample_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("committee_report.id"), index=True)
    dip_sample_id: Mapped[int] = mapped_column(ForeignKey("dip_sample.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    report: Mapped[CommitteeReport] = relationship(back_populates="dip_samples")
