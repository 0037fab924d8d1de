"""What SCIM provisioning keeps beside an account: the identity provider's own id for it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.auth.models import User
from qa_audit.core.clock import utcnow
from qa_audit.core.db import Base, UTCDateTime


class ScimIdentity(Base):
    """An account the identity provider has provisioned or taken over (matched by userName).

    Its externalId (Entra ID sends the user's mailNickname or objectId) is echoed back as
    SCIM asks; the account itself stays in user_account."""

    __tablename__ = "scim_identity"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(255), index=True)
    # True when SCIM made the account (rather than an administrator, then matched).
    created_by_scim: Mapped[bool] = mapped_column(default=False)
    provisioned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
