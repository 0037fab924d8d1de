"""The retention schedule: records past it lose their case references and free text; grades,
counts, dates, themes and outcomes (and so the report's figures) stay as they were."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import String, Text, func, or_, select

from qa_audit.actions.models import Action
from qa_audit.audits.models import Audit, FeedbackConversation
from qa_audit.changelog.chain import verify
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db as _db
from qa_audit.dip_samples.models import DipSample
from qa_audit.moderation.models import Moderation, ReflectiveConversation
from qa_audit.report_filters import resolve_filters
from qa_audit.reports.services import build_period_report
from qa_audit.retention import services
from qa_audit.retention.parts import CASE_REF_REMOVED
from qa_audit.rota.models import Allocation
from tests.factories import audits, rota
from tests.factories import retention as make

# 12 months on 3 December 2026: months before December 2025 are past the schedule.
TODAY = date(2026, 12, 3)
SCHEDULE = services.schedule(12, today=TODAY)
MARKER = "Removed under the retention schedule on 3 December 2026"
LAST_DAY_PAST = date(2025, 11, 30)
FIRST_DAY_KEPT = date(2025, 12, 1)
KEPT = "Kept words about Ava Jones"
LOGS = {"change_log", "access_log"}  # their own retention: docs/retention.md


def text_holding(needle: str) -> dict[str, int]:
    """How many rows of each table (the logs apart) hold ``needle`` in a text column."""
    found: dict[str, int] = {}
    for table in _db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if table.name in LOGS or not columns:
            continue
        n = _db.session.scalar(
            select(func.count())
            .select_from(table)
            .where(or_(*[c.contains(needle) for c in columns]))
        )
        if n:
            found[table.name] = int(n)
    return found


def the_report(month: str) -> dict[str, Any]:
    # Through JSON, as the command line and the API give it.
    report = build_period_report(resolve_filters(month, month), today=TODAY)
    return json.loads(json.dumps(report, default=str))


def test_the_schedule_is_refused_when_off() -> None:
    with pytest.raises(DomainError, match="QA_AUDIT_RETENTION_MONTHS is 0"):
        services.schedule(0, today=TODAY)
    assert SCHEDULE.keep_from == "2025-12"
    assert SCHEDULE.marker == MARKER


def test_only_audits_past_the_period_are_anonymised(db) -> None:  # type: ignore[no-untyped-def]
    """The last day of November 2025 is past a 12-month schedule on 3 December 2026; the
    first of December 2025 is not."""
    past = make.full_audit(LAST_DAY_PAST, case_ref="CR50001")
    kept = make.full_audit(FIRST_DAY_KEPT, case_ref="CR50002", secret=KEPT)
    assert text_holding(make.SECRET)
    assert text_holding(KEPT)

    done = services.apply(SCHEDULE)

    assert [d.id for d in done.audits] == [past.id]
    assert text_holding(make.SECRET) == {}
    assert text_holding(KEPT) == {
        "audit": 1,
        "audit_domain_grade": len(kept.grades),
        "feedback_conversation": 1,
        "safeguarding_concern": 1,
        "safeguarding_note": 1,
        "practitioner_comment": 1,
        "moderation": 1,
        "moderation_grade": len(kept.grades),
        "moderation_sampling_decision": 1,
        "reflective_conversation": 1,
        "action": 1,
    }
    assert (past.case_ref, kept.case_ref) == (CASE_REF_REMOVED, "CR50002")
    assert past.anonymised_at is not None
    assert kept.anonymised_at is None
    assert past.overall_rationale == MARKER
    assert {(g.working_well, g.impact) for g in past.grades} == {(MARKER, "")}
    moderation = _db.session.scalar(select(Moderation).where(Moderation.audit_id == past.id))
    assert moderation is not None
    assert (moderation.overall_rationale, moderation.selection_reason) == (MARKER, MARKER)
    assert {g.rationale for g in moderation.grades} == {MARKER}
    conversation = _db.session.scalar(
        select(ReflectiveConversation).where(ReflectiveConversation.audit_id == past.id)
    )
    assert conversation is not None
    assert (conversation.participants, conversation.learning) == (MARKER, MARKER)
    action = _db.session.scalar(select(Action).where(Action.audit_id == past.id))
    assert action is not None
    assert (action.description, action.completion_note) == (MARKER, MARKER)
    allocations = {
        a.id: a.case_ref
        for a in _db.session.scalars(
            select(Allocation).where(Allocation.id.in_([past.allocation_id, kept.allocation_id]))
        )
    }
    assert allocations == {past.allocation_id: None, kept.allocation_id: "CR50002"}


def test_grades_counts_and_dates_are_kept(db) -> None:  # type: ignore[no-untyped-def]
    past = make.full_audit(LAST_DAY_PAST, case_ref="CR50003")
    before = {
        "audit": (past.reference, past.overall_grade, past.status, past.submitted_on),
        "grades": sorted((g.domain_key, g.grade) for g in past.grades),
        "feedback": sorted(
            (f.who, f.tone, f.consent_to_quote)
            for f in _db.session.scalars(
                select(FeedbackConversation).where(FeedbackConversation.audit_id == past.id)
            )
        ),
        "themes": [t.name for t in past.learning_themes],
    }
    services.apply(SCHEDULE)
    after = {
        "audit": (past.reference, past.overall_grade, past.status, past.submitted_on),
        "grades": sorted((g.domain_key, g.grade) for g in past.grades),
        "feedback": sorted(
            (f.who, f.tone, f.consent_to_quote)
            for f in _db.session.scalars(
                select(FeedbackConversation).where(FeedbackConversation.audit_id == past.id)
            )
        ),
        "themes": [t.name for t in past.learning_themes],
    }
    assert after == before


def test_the_reports_figures_of_an_anonymised_month_are_unchanged(db) -> None:  # type: ignore[no-untyped-def]
    """Every figure of November 2025 is the same after; only the quote, which was the
    child's words, is dropped."""
    make.full_audit(LAST_DAY_PAST, case_ref="CR50004")
    make.full_audit(date(2025, 11, 3), case_ref="CR50005")
    audits.audit(overall="good", submitted_on=date(2025, 11, 10))
    before = the_report("2025-11")
    assert before["audits_completed"] == 3
    assert [q["said"] for q in before["feedback"]["quotes"]] == [
        f"I like my worker, {make.SECRET}"
    ] * 2

    services.apply(SCHEDULE)
    after = the_report("2025-11")

    assert after["feedback"].pop("quotes") == []
    before["feedback"].pop("quotes")
    assert after == before


def test_each_anonymised_record_is_in_the_change_log_without_the_text(db) -> None:  # type: ignore[no-untyped-def]
    past = make.full_audit(LAST_DAY_PAST, case_ref="CR50006")
    sample = make.dip_sample(LAST_DAY_PAST, period_to="2025-11", case_ref="CR50007")
    newest = _db.session.scalar(select(func.max(ChangeLogEntry.id))) or 0
    expected = services.plan(SCHEDULE)

    services.apply(SCHEDULE)

    entries = _db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.id > newest).order_by(ChangeLogEntry.id)
    ).all()
    by_record = {(e.action, e.entity_id): e for e in entries}
    assert set(by_record) == {
        ("audit.anonymised", str(past.id)),
        ("allocation.anonymised", str(past.allocation_id)),
        ("dip_sample.anonymised", str(sample.id)),
    }
    audit_entry = by_record[("audit.anonymised", str(past.id))]
    assert audit_entry.actor_id is None
    assert audit_entry.before is None
    # Case reference and rationale, 3 kinds of evidence less a blank one, 2 conversations,
    # a concern with its outcome's detail, its response and an interim note, a comment, 2 of
    # the moderation's reasons and a rationale a domain, the sampling reason, the
    # conversation's 2 notes, the action's 2 texts and its practitioner's name.
    domains = len(past.grades)
    assert audit_entry.after == {
        "retention_months": 12,
        "kept_from_month": "2025-12",
        "month": "2025-11",
        "values_removed": 2 + 2 * domains + 2 + 4 + 1 + 2 + domains + 1 + 2 + 3,
    }
    assert [d.values for d in expected.audits] == [audit_entry.after["values_removed"]]
    assert make.SECRET not in json.dumps([e.after for e in entries])
    assert "CR50006" not in json.dumps([e.after for e in entries])
    assert verify(_db.session.connection())[1] == []


def test_a_second_apply_changes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    make.full_audit(LAST_DAY_PAST, case_ref="CR50008")
    make.dip_sample(None, period_to="2025-10", case_ref="CR50009")
    first = services.apply(SCHEDULE)
    assert (len(first.audits), len(first.allocations), len(first.dip_samples)) == (1, 1, 1)
    entries = _db.session.scalar(select(func.count()).select_from(ChangeLogEntry))

    later = services.schedule(12, today=date(2026, 12, 20))
    second = services.apply(later)

    assert second.records == 0
    assert _db.session.scalar(select(func.count()).select_from(ChangeLogEntry)) == entries
    # The first run's date stays on the text it removed.
    assert _db.session.scalar(select(func.count()).where(Audit.overall_rationale == MARKER)) == 1


def test_drafts_count_from_their_audit_date(db) -> None:  # type: ignore[no-untyped-def]
    old = audits.audit(status="draft", overall=None, submitted_on=LAST_DAY_PAST)
    recent = audits.audit(status="draft", overall=None, submitted_on=FIRST_DAY_KEPT)
    assert [d.id for d in services.plan(SCHEDULE).audits] == [old.id]
    services.apply(SCHEDULE)
    assert (old.case_ref, old.anonymised_at is not None) == (CASE_REF_REMOVED, True)
    assert recent.anonymised_at is None


def test_dip_samples_count_from_their_completion(db) -> None:  # type: ignore[no-untyped-def]
    """A completed dip sample counts in the month it was completed; one in progress in its
    period's last month."""
    past = make.dip_sample(LAST_DAY_PAST, period_to="2025-11", case_ref="CR50010")
    completed_later = make.dip_sample(FIRST_DAY_KEPT, period_to="2025-10", case_ref="CR50011")
    open_past = make.dip_sample(None, period_to="2025-11", case_ref="CR50012")
    open_kept = make.dip_sample(None, period_to="2025-12", case_ref="CR50013")

    services.apply(SCHEDULE)

    removed = {
        s.id
        for s in _db.session.scalars(select(DipSample).where(DipSample.anonymised_at.is_not(None)))
    }
    assert removed == {past.id, open_past.id}
    assert [c.case_ref for c in past.cases] == [f"{CASE_REF_REMOVED} {past.cases[0].id}"]
    assert past.strengths == MARKER
    assert [c.case_ref for c in completed_later.cases] == ["CR50011"]
    assert [c.case_ref for c in open_kept.cases] == ["CR50013"]
    action = _db.session.scalar(select(Action).where(Action.dip_sample_id == past.id))
    assert action is not None
    assert action.description == MARKER


def test_allocations_of_earlier_months_lose_their_case(db) -> None:  # type: ignore[no-untyped-def]
    past = rota.allocation(case_ref="CR50014", month="2025-11")
    past.due_on_reason = "Due late: CR50014's family moved away"
    kept = rota.allocation(case_ref="CR50015", month="2025-12")
    services.apply(SCHEDULE)
    assert (past.case_ref, kept.case_ref) == (None, "CR50015")
    assert past.due_on_reason == MARKER


def test_an_open_form_cannot_save_the_text_back(db) -> None:  # type: ignore[no-untyped-def]
    """The anonymised records' versions move on, so a form opened before is refused."""
    past = make.full_audit(LAST_DAY_PAST, case_ref="CR50016")
    version = past.version
    services.apply(SCHEDULE)
    assert past.version == version + 1


def test_records_are_taken_a_batch_at_a_time(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Batches of 2 over 5 audits: every audit is anonymised and counted once."""
    monkeypatch.setattr(services, "BATCH", 2)
    made = [
        audits.audit(submitted_on=date(2025, 11, day), case_ref=f"CR7000{day}")
        for day in range(1, 6)
    ]
    kept = audits.audit(submitted_on=FIRST_DAY_KEPT, case_ref="CR70009")
    domains = len(made[0].grades)

    done = services.apply(SCHEDULE)

    # The case reference, the rationale, and 3 evidence boxes of every domain.
    assert [(d.id, d.values) for d in done.audits] == [(a.id, 2 + 3 * domains) for a in made]
    assert {a.case_ref for a in made} == {CASE_REF_REMOVED}
    assert kept.case_ref == "CR70009"
