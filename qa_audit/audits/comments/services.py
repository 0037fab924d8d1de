"""Practitioner comments on an audit: who may record one, and recording it."""

from __future__ import annotations

from enum import StrEnum

from qa_audit.audits.access import is_its_auditor, manages_area
from qa_audit.audits.models import Audit, PractitionerComment
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_added
from qa_audit.core.errors import DomainError, Forbidden

COMMENT_MAX = 5000


class CommentAuthor(StrEnum):
    PRACTITIONER = "practitioner"
    MANAGER = "manager"

    @property
    def label(self) -> str:
        return {"practitioner": "Practitioner", "manager": "Practitioner's manager"}[self.value]


def may_comment(user: User, audit: Audit) -> bool:
    """The audit's auditor, a service manager of its area or a QA lead records comments."""
    return (
        user.has_role(Role.QA_LEAD)
        or manages_area(user, audit.service_area_id)
        or is_its_auditor(user, audit)
    )


def add_comment(actor: User, audit: Audit, author_role: str, comment: str) -> PractitionerComment:
    """Record the practitioner's or their manager's comment on the audit."""
    if not may_comment(actor, audit):
        raise Forbidden("You cannot record comments on this audit")
    try:
        author = CommentAuthor(author_role)
    except ValueError as error:
        raise DomainError(
            "Select whether the practitioner or their manager made the comment", "author_role"
        ) from error
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("Enter the comment", "comment")
    if len(comment) > COMMENT_MAX:
        raise DomainError(f"The comment must be {COMMENT_MAX} characters or fewer", "comment")
    row = PractitionerComment(
        audit_id=audit.id, author_role=author.value, comment=comment, recorded_by_id=actor.id
    )
    record_added(
        actor,
        "practitioner_comment.added",
        row,
        ["audit_id", "author_role", "comment", "recorded_by_id"],
    )
    return row
