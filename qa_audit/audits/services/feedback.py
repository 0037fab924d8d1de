"""Conversations with the child, a parent or a carer about the help they received, recorded
on the audit while it is being written."""

from __future__ import annotations

from qa_audit.audits.models import (
    Audit,
    FeedbackConversation,
    FeedbackHow,
    FeedbackTone,
    FeedbackWho,
)
from qa_audit.audits.services.drafting import clean_text
from qa_audit.audits.services.reading import require_editor
from qa_audit.auth.models import User
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db

SAID_MAX = 5_000
FEEDBACK_LOGGED = ["who", "how", "said", "tone", "consent_to_quote"]


def add_feedback(
    actor: User,
    audit: Audit,
    who: str | None,
    how: str | None,
    said: str | None,
    tone: str | None,
    consent_to_quote: bool,
) -> FeedbackConversation:
    """Record a conversation with the child, a parent or a carer about the help they received."""
    require_editor(actor, audit)
    if who not in {w.value for w in FeedbackWho}:
        raise DomainError("Select who you spoke to", "feedback-who")
    if how not in {h.value for h in FeedbackHow}:
        raise DomainError("Select how you spoke to them", "feedback-how")
    text = clean_text(said, SAID_MAX, "feedback-said", "What they said")
    if not text:
        raise DomainError("Enter what they said", "feedback-said")
    if tone not in {t.value for t in FeedbackTone}:
        raise DomainError(
            "Select whether the feedback was positive or constructive", "feedback-tone"
        )
    conversation = FeedbackConversation(
        who=who, how=how, said=text, tone=tone, consent_to_quote=bool(consent_to_quote)
    )
    audit.feedback.append(conversation)
    db.session.flush()
    after = {"feedback_id": conversation.id, **snapshot(conversation, FEEDBACK_LOGGED)}
    record_change(actor, "audit.feedback_added", audit, None, after)
    return conversation


def remove_feedback(actor: User, audit: Audit, feedback_id: int) -> None:
    """Take a conversation off a draft (its content stays in the change log)."""
    require_editor(actor, audit)
    conversation = next((f for f in audit.feedback if f.id == feedback_id), None)
    if conversation is None:
        raise NotFound("This conversation is not on the audit (it may have been removed already)")
    before = {"feedback_id": conversation.id, **snapshot(conversation, FEEDBACK_LOGGED)}
    audit.feedback.remove(conversation)
    db.session.delete(conversation)
    record_change(actor, "audit.feedback_removed", audit, before, None)
    db.session.flush()
