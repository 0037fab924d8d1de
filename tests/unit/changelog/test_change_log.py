"""The change log that services write: who, what, which record, when, before and after."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history, recent, record_change
from qa_audit.core.clock import utcnow
from tests import factories


def test_record_change_keeps_only_the_fields_that_changed(db) -> None:  # type: ignore[no-untyped-def]
    actor = factories.user(Role.ADMIN)
    area = factories.service_area("fgc")
    entry = record_change(
        actor,
        "service_area.touched",
        area,
        {"name": "A", "key": "fgc", "when": date(2024, 4, 1)},
        {"name": "B", "key": "fgc", "when": date(2024, 5, 1)},
    )
    db.session.flush()
    assert entry is not None
    assert (entry.entity_type, entry.entity_id) == ("service_area", str(area.id))
    assert entry.actor is actor
    assert entry.before == {"name": "A", "when": "2024-04-01"}
    assert entry.after == {"name": "B", "when": "2024-05-01"}
    assert abs(entry.at - utcnow()) < timedelta(minutes=1)
    assert isinstance(entry.at, datetime)
    assert entry.at.tzinfo is not None


def test_no_entry_when_nothing_changed(db) -> None:  # type: ignore[no-untyped-def]
    area = factories.service_area("fgc")
    before = len(history(area))
    assert record_change(None, "service_area.touched", area, {"name": "A"}, {"name": "A"}) is None
    assert len(history(area)) == before


def test_history_is_oldest_first_and_recent_newest_first(db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    record_change(None, "user.first", user, None, {"n": 1})
    record_change(None, "user.second", user, None, {"n": 2})
    db.session.flush()
    assert [e.action for e in history(user)] == ["user.created", "user.first", "user.second"]
    assert [e.action for e in recent(limit=2)] == ["user.second", "user.first"]
    assert [e.action for e in recent(limit=1, offset=1)] == ["user.first"]
