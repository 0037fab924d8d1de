"""The managed list of learning themes that tag audits and dip samples."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from qa_audit.core.db import Base, TimestampMixin


class LearningTheme(TimestampMixin, Base):
    __tablename__ = "learning_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __str__(self) -> str:
        return self.name


audit_learning_theme = Table(
    "audit_learning_theme",
    Base.metadata,
    Column("audit_id", ForeignKey("audit.id"), primary_key=True),
    Column("learning_theme_id", ForeignKey("learning_theme.id"), primary_key=True, index=True),
)
