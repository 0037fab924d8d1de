"""One row per import of audits: who imported them, from which file, when."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_audit.core.clock import utcnow
from qa_audit.core.db import Base, UTCDateTime

if TYPE_CHECKING:
    from qa_audit.auth.models import User


class ImportBatch(Base):
    """An import of audits; each audit it wrote points to it (Audit.import_batch_id)."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    # sha256 of the file's bytes as received: which file it was, whatever its name.
    file_sha256: Mapped[str] = mapped_column(String(64))

    imported_by: Mapped[User | None] = relationship("User")
