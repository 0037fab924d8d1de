"""Accounts linked to the council's identity provider, and the administrator's mapping of the
provider's groups to roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.auth.models import ROLE_VALUES, User
from qa_audit.auth.roles import Role
from qa_audit.core.db import Base, UTCDateTime
from qa_audit.organisation.models import ServiceArea, Team


class ProviderLink(Base):
    """One account's identity at one provider: its issuer and the stable subject id it gives
    the person. E-mail addresses change (marriage, a new domain); the subject does not."""

    __tablename__ = "single_sign_on_link"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_single_sign_on_link_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class GroupRole(Base):
    """A provider group whose members are given a role (and, optionally, a service area and
    team) when their account is created at their first sign-in."""

    __tablename__ = "single_sign_on_group_role"
    __table_args__ = (
        UniqueConstraint("group_id", "role", name="uq_single_sign_on_group_role_group"),
        CheckConstraint(f"role IN ({ROLE_VALUES})", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    service_area_id: Mapped[int | None] = mapped_column(ForeignKey("service_area.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))

    service_area: Mapped[ServiceArea | None] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")

    @property
    def role_label(self) -> str:
        return Role(self.role).label
