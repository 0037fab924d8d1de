"""Committee reports under the retention schedule: a draft keeps its own copy of each chosen
quote's words, so anonymising an audit drops the drafts' quotes copied from it; a final keeps
its quotes (the council's record of what went to committee, under the committee papers' own
retention schedule)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.committee_reports import feedback, services
from qa_audit.committee_reports.models import CommitteeReportQuote
from qa_audit.committee_reports.retention import ACTION
from qa_audit.core.extensions import db as _db
from qa_audit.retention import services as retention
from tests.factories import audits
from tests.factories.auth import user
from tests.factories.committee_reports import draft

# 12 months on 3 December 2026: audits of November 2025 and before are past the schedule.
SCHEDULE = retention.schedule(12, today=date(2026, 12, 3))
OLD_WORDS = "My dad and me go to the park with Jayden Smith"
KEPT_WORDS = "My social worker listens to me"


def test_retention_drops_a_drafts_quotes_of_anonymised_audits_and_a_final_keeps_them(
    db,
) -> None:  # type: ignore[no-untyped-def]
    lead = user(Role.QA_LEAD)
    old = audits.audit(overall="good", submitted_on=date(2025, 11, 20))
    old_words = audits.feedback(old, "father", said=OLD_WORDS, consent=True)
    kept = audits.audit(overall="good", submitted_on=date(2025, 12, 2))
    kept_words = audits.feedback(kept, "child", said=KEPT_WORDS, consent=True)
    working = draft(lead, "2025-11", "2025-12")
    feedback.choose_quote(lead, working, old_words.id)
    feedback.choose_quote(lead, working, kept_words.id)
    final = draft(lead, "2025-11", "2025-11")
    feedback.choose_quote(lead, final, old_words.id)
    services.finalise(lead, final, None)
    _db.session.flush()

    done = retention.apply(SCHEDULE)

    assert [d.id for d in done.audits] == [old.id]
    assert [q.said for q in working.quotes] == [KEPT_WORDS]
    assert [q.said for q in final.quotes] == [OLD_WORDS]
    assert [q["said"] for q in final.snapshot["content"]["quotes"]] == [OLD_WORDS]
    copies = _db.session.scalars(
        select(CommitteeReportQuote.report_id).where(CommitteeReportQuote.said == OLD_WORDS)
    ).all()
    assert copies == [final.id]
    # The draft's history says quotes went, never which words.
    entry = _db.session.scalar(select(ChangeLogEntry).where(ChangeLogEntry.action == ACTION))
    assert entry is not None
    assert (entry.entity_id, entry.actor_id) == (str(working.id), None)
    assert entry.before == {"quotes_from_anonymised_audits": 1}
    assert OLD_WORDS not in str(entry.after) + str(entry.before)

    retention.apply(SCHEDULE)  # again: nothing more to drop
    assert [q.said for q in working.quotes] == [KEPT_WORDS]
    assert _db.session.scalars(
        select(ChangeLogEntry.id).where(ChangeLogEntry.action == ACTION)
    ).all() == [entry.id]
