"""People who sign in, and the roles they hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.auth.roles import Role
from qa_audit.core.db import Base, TimestampMixin, UTCDateTime
from qa_audit.core.enums import sql_values
from qa_audit.organisation.models import ServiceArea, Team

ROLE_VALUES = sql_values(Role)


class User(TimestampMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    service_area_id: Mapped[int | None] = mapped_column(ForeignKey("service_area.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set by an administrator's one-time reset: nothing but the change-password page works
    # until the person chooses a password nobody else knows.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    service_area: Mapped[ServiceArea | None] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # flask-login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # Never the cookie's value: signing in puts the sign-in session's token there.
        return str(self.id)

    @property
    def roles(self) -> set[Role]:
        return {Role(r.role) for r in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def __str__(self) -> str:
        return self.name


class UserRole(Base):
    __tablename__ = "user_role"
    __table_args__ = (CheckConstraint(f"role IN ({ROLE_VALUES})", name="role_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(30), primary_key=True)
    user: Mapped[User] = relationship(back_populates="role_rows")
