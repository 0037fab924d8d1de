"""Who may see an action's text: its owner only while they may see what it was set on.

An action carries its audit's (or dip sample's) case-level text, so an owner who may not see
the audit (a viewer or administrator made owner through old data, an auditor moved to
another area) does not see it either. Each part whose records set actions says, at start-up,
which actions of its source a person may see (``register_source_scope``); an action of a
source nobody registered is seen by no one but the QA lead's actions centre."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, and_, false, or_, select

from qa_audit.actions.models import Action, ActionSource
from qa_audit.auth.models import User
from qa_audit.core.extensions import db

SourceScope = Callable[[User], ColumnElement[bool]]

_source_scopes: dict[ActionSource, SourceScope] = {}


def register_source_scope(source: ActionSource, scope: SourceScope) -> None:
    """``scope(user)``: the actions of ``source`` that ``user`` may see, as a condition on
    Action."""
    _source_scopes[source] = scope


def seen_by(user: User) -> ColumnElement[bool]:
    """The actions whose text ``user`` may see, as a condition on Action."""
    return or_(
        false(),
        *(
            and_(Action.source == source.value, scope(user))
            for source, scope in _source_scopes.items()
        ),
    )


def may_see(user: User, action: Action) -> bool:
    """True when ``user`` may see this action's text."""
    found = db.session.scalar(select(Action.id).where(Action.id == action.id, seen_by(user)))
    return found is not None
