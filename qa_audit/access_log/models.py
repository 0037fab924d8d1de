"""One row per view or export of case-level records (data protection: reads are recorded
as well as changes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.auth.models import User
from qa_audit.changelog.chain import chained
from qa_audit.core.clock import utcnow
from qa_audit.core.db import Base, UTCDateTime
from qa_audit.core.enums import LabelledEnum, sql_values


class AccessAction(LabelledEnum):
    VIEWED = "viewed"  # one record's page
    LISTED = "listed"  # a list of records (its filters in detail)
    EXPORTED = "exported"  # a download or an API read
    REFUSED = "refused"  # asked for a record the person may not see


ACTION_VALUES_SQL = sql_values(AccessAction)


@chained
class AccessLogEntry(Base):
    __tablename__ = "access_log"
    __table_args__ = (
        CheckConstraint(f"action IN ({ACTION_VALUES_SQL})", name="action_known"),
        Index("ix_access_log_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    # What was seen: "audit", "audit_list", "action", "dip_sample", "period_report" …
    entity_type: Mapped[str] = mapped_column(String(80))
    entity_id: Mapped[str] = mapped_column(String(80))
    # For searching: the audit's reference and the case reference, where one record was seen.
    reference: Mapped[str | None] = mapped_column(String(40), index=True)
    case_ref: Mapped[str | None] = mapped_column(String(30), index=True)
    # The page or API address asked for (with its query: the filters), and from where.
    path: Mapped[str | None] = mapped_column(String(500))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    # X-Forwarded-For as the reverse proxy passed it (a claim, kept beside the peer address).
    forwarded_for: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # sha256 of the previous row's hash and this row (changelog.chain): tamper-evident.
    row_hash: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User | None] = relationship(lazy="joined")

    @property
    def action_enum(self) -> AccessAction:
        return AccessAction(self.action)
