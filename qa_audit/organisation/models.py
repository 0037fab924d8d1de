"""Service areas and their teams."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.core.db import Base, TimestampMixin


class ServiceArea(TimestampMixin, Base):
    __tablename__ = "service_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    teams: Mapped[list[Team]] = relationship(
        back_populates="service_area", order_by="Team.name", lazy="selectin"
    )

    def __str__(self) -> str:
        return self.name


class Team(TimestampMixin, Base):
    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("service_area_id", "name", name="service_area_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_area_id: Mapped[int] = mapped_column(ForeignKey("service_area.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    service_area: Mapped[ServiceArea] = relationship(back_populates="teams")

    def __str__(self) -> str:
        return self.name
