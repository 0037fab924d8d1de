"""What the report tests build their data sets from: the builders of each part, under the
names those tests use (``make.moderation``, ``make.feedback``, ``make.theme``,
``make.action``)."""

from __future__ import annotations

from datetime import date

from qa_audit.actions.models import Action
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from tests.factories import actions
from tests.factories.audits import feedback, theme
from tests.factories.auth import moderator
from tests.factories.moderation import moderation

__all__ = ["action", "feedback", "moderation", "moderator", "theme"]


def action(audit: Audit, due_on: date, done: bool = False, owner: User | None = None) -> Action:
    """An action set by ``audit``, owned by its auditor unless told."""
    return actions.action(
        owner=owner or audit.auditor,
        audit_id=audit.id,
        description="Do the thing",
        due_on=due_on,
        done=done,
    )
