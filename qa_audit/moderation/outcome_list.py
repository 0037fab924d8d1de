"""The moderation outcomes of an auditor's audits, every one of them: newest first, filtered
by outcome, paged (the home page shows the newest few)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.core.extensions import db
from qa_audit.core.paging import Paging
from qa_audit.moderation.models import Moderation, ModerationOutcome, ModerationStatus

PER_PAGE = 25


def outcomes_of_auditor(
    auditor: User,
    outcome: ModerationOutcome | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> tuple[list[Moderation], Paging]:
    """One page of the completed moderations of the auditor's audits (with ``outcome`` if
    given), most recently moderated first."""
    query = (
        select(Moderation)
        .join(Audit, Audit.id == Moderation.audit_id)
        .where(
            Audit.auditor_id == auditor.id,
            Moderation.status == ModerationStatus.COMPLETED.value,
        )
    )
    if outcome is not None:
        query = query.where(Moderation.outcome == outcome.value)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    paging = Paging.clamp(page, per_page, total)
    rows = db.session.scalars(
        query.options(joinedload(Moderation.audit))
        .order_by(Moderation.moderated_on.desc(), Moderation.id.desc())
        .limit(per_page)
        .offset(paging.offset)
    ).unique()
    return list(rows), paging
