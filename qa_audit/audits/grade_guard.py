"""The auditor's grades are never overwritten once an audit is submitted.

A before_flush listener refuses any change to an audit's overall grade or to a domain grade
while the audit, as stored, is submitted or closed. The audit's own return path is the only
way to change them: the QA lead returns the audit (status "returned"), the auditor edits and
resubmits. Moderation writes its own rows and never these."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from qa_audit.audits.models import Audit, AuditDomainGrade, AuditStatus
from qa_audit.core.db import AppSession
from qa_audit.core.errors import DomainError

LOCKED = frozenset({AuditStatus.SUBMITTED.value, AuditStatus.CLOSED.value})
MESSAGE = (
    "The auditor's grades of audit {reference} cannot be changed: it has been submitted. "
    "To change them the QA lead returns the audit to its auditor, who resubmits it."
)


class SubmittedGradesLocked(DomainError):
    """An attempt to change the grades of a submitted audit outside its return path."""


def _stored_status(audit: Audit) -> str | None:
    """The audit's status as it is in the database (before this flush's changes)."""
    state = inspect(audit)
    if state.pending or state.transient:
        return None
    history = state.attrs.status.history
    if history.deleted:
        return history.deleted[0]
    return audit.status


def _changed(obj: Any, attribute: str) -> bool:
    return inspect(obj).attrs[attribute].history.has_changes()


def _refuse_if_locked(audit: Audit | None) -> None:
    if audit is not None and _stored_status(audit) in LOCKED:
        raise SubmittedGradesLocked(MESSAGE.format(reference=audit.reference))


def init_app(app: Flask) -> None:
    """Guard every flush of qa-audit's sessions."""
    if not event.contains(AppSession, "before_flush", _guard_submitted_grades):
        event.listen(AppSession, "before_flush", _guard_submitted_grades)


def _guard_submitted_grades(session: Session, flush_context: Any, instances: Any) -> None:
    with session.no_autoflush:
        for obj in session.dirty:
            if isinstance(obj, Audit) and (
                _changed(obj, "overall_grade") or _changed(obj, "grades")
            ):
                _refuse_if_locked(obj)
            elif isinstance(obj, AuditDomainGrade) and (
                _changed(obj, "grade") or _changed(obj, "domain_key")
            ):
                _refuse_if_locked(obj.audit)
        for obj in session.deleted:
            if isinstance(obj, AuditDomainGrade):
                _refuse_if_locked(obj.audit)
        for obj in session.new:
            if isinstance(obj, AuditDomainGrade) and obj.audit is not None:
                _refuse_if_locked(obj.audit)
