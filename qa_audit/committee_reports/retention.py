"""Drafts under the retention schedule: a draft keeps its own copy of each chosen quote's
words, so when retention anonymises audits the draft drops the quotes copied from them.
Finals keep theirs: a final is the council's record of what went to committee, kept under
the committee papers' own retention schedule (docs/retention.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from qa_audit.audits.models import FeedbackConversation
from qa_audit.changelog.services import record_change
from qa_audit.committee_reports.models import (
    CommitteeReport,
    CommitteeReportQuote,
    CommitteeReportStatus,
)
from qa_audit.core.extensions import db

ACTION = "committee_report.quotes_removed_under_retention"
# Audits looked up this many at a time: an IN list well inside every database's limit.
BATCH = 500


def drop_anonymised_quotes(sender: Any, audit_ids: Sequence[int] = (), **_: Any) -> None:
    """Receiver of ``case_records_anonymised``: delete the drafts' quotes whose words came
    from feedback of ``audit_ids``, each draft's removal in its change log (a count, never
    the words: the log would otherwise keep what retention removed)."""
    by_report: dict[int, list[CommitteeReportQuote]] = {}
    ids = list(audit_ids)
    for start in range(0, len(ids), BATCH):
        for quote in _draft_quotes_of(ids[start : start + BATCH]):
            by_report.setdefault(quote.report_id, []).append(quote)
    for report_id, dropped in by_report.items():
        report = db.session.get(CommitteeReport, report_id)
        for quote in dropped:
            db.session.delete(quote)
        record_change(
            None,
            ACTION,
            report,
            {"quotes_from_anonymised_audits": len(dropped)},
            {"quotes_from_anonymised_audits": 0},
        )
    db.session.flush()


def _draft_quotes_of(audit_ids: Sequence[int]) -> Sequence[CommitteeReportQuote]:
    feedback_ids = select(FeedbackConversation.id).where(
        FeedbackConversation.audit_id.in_(audit_ids)
    )
    return db.session.scalars(
        select(CommitteeReportQuote)
        .join(CommitteeReport, CommitteeReport.id == CommitteeReportQuote.report_id)
        .where(
            CommitteeReport.status == CommitteeReportStatus.DRAFT.value,
            CommitteeReportQuote.feedback_id.in_(feedback_ids),
        )
        .order_by(CommitteeReportQuote.id)
    ).all()
