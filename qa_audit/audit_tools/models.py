"""Audit tools as data: a named, dated version with its domains and grade descriptors."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.core.db import Base, TimestampMixin


class AuditTool(TimestampMixin, Base):
    __tablename__ = "audit_tool"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    launched_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    overall_title: Mapped[str] = mapped_column(String(200))
    overall_guidance: Mapped[list[str]] = mapped_column(JSON)
    overall_descriptors: Mapped[dict[str, str]] = mapped_column(JSON)
    # sha256 of the definition as loaded; a used version must never change.
    content_hash: Mapped[str] = mapped_column(String(64))
    # The audit-quality checklist a moderator rates the audit against ({key, text, hint}).
    # Outside the content hash: it judges the audit's writing, not the child's case, so a
    # used version may gain or reword items (each rating keeps the text it was given against).
    quality_checklist: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    domains: Mapped[list[AuditToolDomain]] = relationship(
        back_populates="tool",
        order_by="AuditToolDomain.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    def domain(self, key: str) -> AuditToolDomain | None:
        return next((d for d in self.domains if d.key == key), None)

    def overall_descriptor(self, grade: Grade) -> str:
        return self.overall_descriptors.get(grade.value, "")

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class AuditToolDomain(Base):
    __tablename__ = "audit_tool_domain"
    __table_args__ = (UniqueConstraint("tool_id", "key", name="tool_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tool_id: Mapped[int] = mapped_column(ForeignKey("audit_tool.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    allows_na: Mapped[bool] = mapped_column(Boolean, default=False)
    guidance: Mapped[list[str]] = mapped_column(JSON)
    descriptors: Mapped[dict[str, str]] = mapped_column(JSON)
    tool: Mapped[AuditTool] = relationship(back_populates="domains")

    def descriptor(self, grade: Grade) -> str:
        return self.descriptors.get(grade.value, "")

    @property
    def grade_choices(self) -> list[Grade]:
        return [*GRADED, Grade.NOT_APPLICABLE] if self.allows_na else list(GRADED)
