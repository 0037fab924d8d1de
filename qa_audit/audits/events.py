"""Hooks other parts register on audit lifecycle events (moderation selects on submission,
the rota counts completions, …). Handlers run inside the submitting transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_audit.audits.models import Audit
    from qa_audit.auth.models import User

Handler = Callable[["User | None", "Audit"], None]

audit_submitted: list[Handler] = []
audit_returned: list[Handler] = []


def on_audit_submitted(handler: Handler) -> Handler:
    """Register ``handler(actor, audit)`` to run when an audit is submitted or resubmitted."""
    audit_submitted.append(handler)
    return handler


def on_audit_returned(handler: Handler) -> Handler:
    """Register ``handler(actor, audit)`` to run when the QA lead returns an audit."""
    audit_returned.append(handler)
    return handler


def fire(handlers: list[Handler], actor: User | None, audit: Audit) -> None:
    for handler in handlers:
        handler(actor, audit)
