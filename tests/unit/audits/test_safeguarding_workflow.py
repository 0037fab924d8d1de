"""A safeguarding concern's workflow: raised, acknowledged (with interim notes), resolved only
explicitly with an outcome. Before, the first response resolved the concern at once."""

from __future__ import annotations

import pytest

from qa_audit.audits.safeguarding import services as safeguarding
from qa_audit.audits.safeguarding.concern_list import concerns
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.errors import DomainError
from tests import factories


def raised():  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR)
    concern = safeguarding.raise_concern(auditor, factories.audit(auditor=auditor), "Concern")
    return concern, factories.user(Role.SERVICE_MANAGER, area_key="locality")


def test_acknowledging_keeps_the_concern_open(db) -> None:  # type: ignore[no-untyped-def]
    concern, manager = raised()
    assert concern.status == "raised"
    safeguarding.acknowledge_concern(manager, concern)
    assert concern.status == "acknowledged"
    assert not concern.resolved
    assert concern.acknowledged_by_id == manager.id
    assert concern.acknowledged_at is not None
    assert [c.concern_id for c in concerns()[0]] == [concern.id]
    assert history(concern)[-1].action == "safeguarding_concern.acknowledged"
    with pytest.raises(DomainError, match="already been acknowledged"):
        safeguarding.acknowledge_concern(factories.user(Role.QA_LEAD), concern)


def test_a_concern_is_not_resolved_before_it_is_acknowledged(db) -> None:  # type: ignore[no-untyped-def]
    concern, manager = raised()
    with pytest.raises(DomainError, match="Acknowledge the concern before resolving it"):
        safeguarding.resolve_concern(manager, concern, "plan_updated", "Plan updated")
    with pytest.raises(DomainError, match="Acknowledge the concern before adding a note"):
        safeguarding.add_note(manager, concern, "Visit booked")
    assert concern.status == "raised"


def test_interim_notes_any_number_until_resolved(db) -> None:  # type: ignore[no-untyped-def]
    concern, manager = raised()
    safeguarding.acknowledge_concern(manager, concern)
    for text in ("Visit booked", "Visit done", "School spoken to"):
        safeguarding.add_note(manager, concern, text)
    assert [n.text for n in concern.notes] == ["Visit booked", "Visit done", "School spoken to"]
    assert not concern.resolved
    with pytest.raises(DomainError) as caught:
        safeguarding.add_note(manager, concern, "  ")
    assert caught.value.field == "text"
    safeguarding.resolve_concern(manager, concern, "already_known", "Known to the team")
    with pytest.raises(DomainError, match="no more notes"):
        safeguarding.add_note(manager, concern, "Late note")


@pytest.mark.parametrize(
    ("outcome", "detail", "field", "message"),
    [
        (None, None, "outcome", "Select the outcome"),
        ("made_up", None, "outcome", "Select the outcome"),
        ("other", "  ", "outcome_detail", "Say what the outcome was"),
    ],
)
def test_resolving_needs_a_known_outcome(db, outcome, detail, field, message) -> None:  # type: ignore[no-untyped-def]
    concern, manager = raised()
    safeguarding.acknowledge_concern(manager, concern)
    with pytest.raises(DomainError, match=message) as caught:
        safeguarding.resolve_concern(manager, concern, outcome, "What was done", detail)
    assert caught.value.field == field
    assert not concern.resolved


def test_other_keeps_its_detail_and_other_outcomes_none(db) -> None:  # type: ignore[no-untyped-def]
    concern, manager = raised()
    safeguarding.acknowledge_concern(manager, concern)
    safeguarding.resolve_concern(manager, concern, "other", "Done", "Police informed")
    assert (concern.outcome, concern.outcome_detail) == ("other", "Police informed")
    second, _ = raised()
    safeguarding.acknowledge_concern(manager, second)
    safeguarding.resolve_concern(manager, second, "plan_updated", "Done", "ignored")
    assert second.outcome_detail is None
    assert second.outcome_label == "The child's plan updated to address the risk"
