"""Reading audits for a person: who may see or change one, what its page loads with it, the
auditor's open audits and the learning themes their form offers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import defaultload, joinedload
from sqlalchemy.orm.interfaces import ORMOption

from qa_audit.actions.models import Action
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.access import can_view_audit
from qa_audit.audits.models import (
    Audit,
    AuditStatus,
    PractitionerComment,
    SafeguardingConcern,
)
from qa_audit.audits.safeguarding.models import SafeguardingNote
from qa_audit.auth.models import User
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.extensions import db
from qa_audit.core.records import get_or_not_found
from qa_audit.learning_themes.models import LearningTheme


def can_view(actor: User, audit: Audit) -> bool:
    """Auditor: own; QA lead and moderators: all; service manager: own area; never viewer/admin."""
    return can_view_audit(actor, audit)


# What the audit's page (templates/audits/show.html and its partials) reads with the audit.
# The models' defaults load more than the page shows: every person's roles, each service
# area's teams and the tool's domains, for the auditor, each action's owner, each concern's
# people... (make bench: 29 statements for one audit's page). Here a person is read for their
# name only (anything else asked of them is loaded when asked for). The lists (feedback,
# actions, concerns, comments, learning themes) stay lazy, each read once when the page
# reaches it: cheaper than selectinload, whose options SQLAlchemy carries into every query.
AUDIT_PAGE: tuple[ORMOption, ...] = (
    joinedload(Audit.service_area).lazyload("*"),
    joinedload(Audit.team).lazyload("*"),
    joinedload(Audit.auditor).lazyload("*"),
    joinedload(Audit.tool).lazyload("*"),
    defaultload(Audit.actions).joinedload(Action.owner).lazyload("*"),
    defaultload(Audit.safeguarding_concerns).options(
        joinedload(SafeguardingConcern.raised_by).lazyload("*"),
        joinedload(SafeguardingConcern.responded_by).lazyload("*"),
        joinedload(SafeguardingConcern.acknowledged_by).lazyload("*"),
        joinedload(SafeguardingConcern.service_area).lazyload("*"),
        # In the concerns' own statement: the page reads in a fixed number of statements.
        joinedload(SafeguardingConcern.notes).joinedload(SafeguardingNote.author).lazyload("*"),
    ),
    defaultload(Audit.comments).joinedload(PractitionerComment.recorded_by).lazyload("*"),
)


def get_audit(audit_id: int, options: Sequence[ORMOption] = ()) -> Audit:
    """The audit by id (no permission check: use get_audit_for for a person); ``options``
    say what to load with it (AUDIT_PAGE for its page)."""
    return get_or_not_found(Audit, audit_id, "audit", options)


def get_audit_for(actor: User, audit_id: int, options: Sequence[ORMOption] = ()) -> Audit:
    """The audit, if ``actor`` may see it; NotFound or Forbidden otherwise."""
    audit = get_audit(audit_id, options)
    if not can_view(actor, audit):
        raise Forbidden("You cannot see this audit")
    return audit


def may_edit(actor: User, audit: Audit) -> bool:
    """Only its auditor, and only while it is a draft or returned."""
    return audit.auditor_id == actor.id and audit.editable


def require_editor(actor: User, audit: Audit) -> None:
    """Forbidden unless ``actor`` is the audit's auditor; DomainError once it is locked."""
    if audit.auditor_id != actor.id:
        raise Forbidden("Only the audit's auditor can change it")
    if not audit.editable:
        raise DomainError(
            f"Audit {audit.reference} has been {audit.status_enum.label.lower()} "
            "and can no longer be changed"
        )


def my_open_audits(actor: User) -> list[Audit]:
    """The actor's draft and returned audits, most recently changed first."""
    return list(
        db.session.scalars(
            select(Audit)
            .where(
                Audit.auditor_id == actor.id,
                Audit.status.in_((AuditStatus.DRAFT.value, AuditStatus.RETURNED.value)),
            )
            .order_by(Audit.updated_at.desc(), Audit.id.desc())
        )
    )


def active_themes_for(audit: Audit) -> list[LearningTheme]:
    """The themes the form offers: the active list plus any retired theme already on the audit."""
    themes = list(
        db.session.scalars(
            select(LearningTheme)
            .where(LearningTheme.active.is_(True))
            .order_by(LearningTheme.position, LearningTheme.name)
        )
    )
    seen = {t.id for t in themes}
    return themes + [t for t in audit.learning_themes if t.id not in seen]


def tool_used_by_audits(tool: AuditTool) -> bool:
    """True once an audit uses this tool version (it can then never be edited)."""
    return db.session.scalar(select(Audit.id).where(Audit.tool_id == tool.id).limit(1)) is not None
