"""Submitting (completeness, the month it counts in, events), returning and resubmitting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from qa_audit.audits import services
from qa_audit.audits.models import AUDIT_TRANSITIONS, Audit, AuditStatus
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core import signals
from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError, Forbidden
from tests import factories
from tests.factories.audits import TODAY, completed, draft_data, started, submitted


@pytest.fixture
def fired() -> Iterator[list[tuple[str, int | None, int]]]:
    """The audit_submitted and audit_returned events, as (event, actor id, audit id)."""
    seen: list[tuple[str, int | None, int]] = []

    def on_submit(audit: Audit, actor: User | None) -> None:
        seen.append(("submitted", actor.id if actor else None, audit.id))

    def on_return(audit: Audit, actor: User | None) -> None:
        seen.append(("returned", actor.id if actor else None, audit.id))

    with (
        signals.audit_submitted.connected_to(on_submit),
        signals.audit_returned.connected_to(on_return),
    ):
        yield seen


def test_submitting_an_empty_audit_lists_every_problem_at_once(db) -> None:
    audit = started()
    with pytest.raises(services.IncompleteAudit) as caught:
        services.submit(audit.auditor, audit, today=TODAY)
    assert caught.value.problems == [
        ("assessment-grade", "Select a grade for Assessment"),
        ("plans_and_planning-grade", "Select a grade for Plans and Planning"),
        ("child_centred_practice-grade", "Select a grade for Child Centred Relational Practice"),
        ("management_oversight-grade", "Select a grade for Management Oversight and Supervision"),
        (
            "permanence-grade",
            "Select a grade for Creating Stability and Permanence, or Not applicable",
        ),
        ("overall_grade", "Select the overall grade"),
        ("overall_rationale", "Enter the rationale for the overall grade"),
    ]
    assert isinstance(caught.value, DomainError)
    assert audit.status == AuditStatus.DRAFT.value
    assert audit.submitted_at is None


def test_an_inadequate_grade_needs_an_action(db) -> None:
    audit = completed(started(), management_oversight="inadequate")
    with pytest.raises(services.IncompleteAudit) as caught:
        services.submit(audit.auditor, audit, today=TODAY)
    assert caught.value.problems == [
        ("actions", "Add at least one action: a grade of Inadequate needs an action")
    ]
    services.add_action(
        audit.auditor, audit, "Supervision monthly", audit.auditor_id, TODAY, today=TODAY
    )
    assert services.submit(audit.auditor, audit, today=TODAY).status == "submitted"


def test_an_inadequate_overall_grade_needs_an_action(db) -> None:
    audit = completed(started(), overall="inadequate")
    with pytest.raises(services.IncompleteAudit) as caught:
        services.submit(audit.auditor, audit, today=TODAY)
    assert [field for field, _ in caught.value.problems] == ["actions"]


def test_some_problems_only(db) -> None:
    audit = started()
    data = draft_data(audit, rationale="", plans_and_planning=None)
    services.save_draft(audit.auditor, audit, audit.version, data)
    with pytest.raises(services.IncompleteAudit) as caught:
        services.submit(audit.auditor, audit, today=TODAY)
    assert [field for field, _ in caught.value.problems] == [
        "plans_and_planning-grade",
        "overall_rationale",
    ]


def test_submit_sets_the_month_it_counts_in_and_fires_the_event(db, fired) -> None:
    audit = completed(started(), permanence="not_applicable")
    before = datetime.now(UTC)
    services.submit(audit.auditor, audit, today=date(2024, 5, 31))
    assert audit.status == AuditStatus.SUBMITTED.value
    assert audit.submitted_on == date(2024, 5, 31)
    assert audit.submitted_month == "2024-05"
    assert audit.submitted_at is not None
    assert audit.submitted_at >= before
    assert fired == [("submitted", audit.auditor_id, audit.id)]
    entry = history(audit)[-1]
    assert entry.action == "audit.submitted"
    assert entry.before["status"] == "draft"
    assert entry.after["status"] == "submitted"
    assert entry.after["submitted_month"] == "2024-05"


def test_submit_uses_the_councils_date(db) -> None:
    audit = completed(started())
    services.submit(audit.auditor, audit)
    assert audit.submitted_on == local_today()
    assert audit.submitted_month == local_today().strftime("%Y-%m")


def test_a_submitted_audit_cannot_be_submitted_or_changed_again(db) -> None:
    audit = submitted()
    with pytest.raises(DomainError) as caught:
        services.submit(audit.auditor, audit, today=TODAY)
    assert "has been submitted and can no longer be changed" in caught.value.message
    with pytest.raises(DomainError):
        services.add_feedback(audit.auditor, audit, "child", "visit", "x", "positive", False)


def test_only_the_auditor_submits(db) -> None:
    audit = completed(started())
    with pytest.raises(Forbidden):
        services.submit(factories.user(Role.AUDITOR, Role.QA_LEAD), audit, today=TODAY)


def test_return_and_resubmit(db, fired) -> None:
    audit = submitted(today=date(2024, 4, 30), audit_date=date(2024, 4, 20))
    first_submitted_at = audit.submitted_at
    lead = factories.user(Role.QA_LEAD)
    services.return_audit(lead, audit, "  The father's view is missing  ")
    assert audit.status == AuditStatus.RETURNED.value
    assert audit.returned_reason == "The father's view is missing"
    assert fired[-1] == ("returned", lead.id, audit.id)
    entry = history(audit)[-1]
    assert (entry.action, entry.actor_id) == ("audit.returned", lead.id)
    assert entry.after == {"status": "returned", "returned_reason": "The father's view is missing"}

    # The auditor changes it and submits again, in May.
    data = draft_data(audit, child_centred_practice="requires_improvement")
    services.save_draft(audit.auditor, audit, audit.version, data)
    services.submit(audit.auditor, audit, today=date(2024, 5, 2))
    assert audit.status == AuditStatus.SUBMITTED.value
    assert audit.returned_reason is None
    # it still counts in the month it was first submitted
    assert (audit.submitted_on, audit.submitted_month) == (date(2024, 4, 30), "2024-04")
    assert audit.submitted_at == first_submitted_at
    assert [f[0] for f in fired] == ["submitted", "returned", "submitted"]
    assert history(audit)[-1].action == "audit.resubmitted"


def test_return_needs_a_reason_and_the_qa_lead(db) -> None:
    audit = submitted()
    with pytest.raises(DomainError) as caught:
        services.return_audit(factories.user(Role.QA_LEAD), audit, "   ")
    assert (caught.value.field, caught.value.message) == (
        "reason",
        "Enter why the audit is being returned",
    )
    for person in (factories.user(Role.MODERATOR), audit.auditor):
        with pytest.raises(Forbidden):
            services.return_audit(person, audit, "Because")
    assert audit.status == AuditStatus.SUBMITTED.value


def test_transitions_follow_the_table(db) -> None:
    lead = factories.user(Role.QA_LEAD)
    draft = started()
    with pytest.raises(DomainError) as caught:
        services.return_audit(lead, draft, "Not yet submitted")
    assert caught.value.message == f"Audit {draft.reference} is draft: it cannot be returned"
    assert AuditStatus.RETURNED not in AUDIT_TRANSITIONS[AuditStatus.DRAFT]
    returned = submitted()
    services.return_audit(lead, returned, "Once")
    with pytest.raises(DomainError):
        services.return_audit(lead, returned, "Twice")
