"""The learning-theme list: seeded, then maintained by the QA lead."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import func, select

from qa_audit.auth.models import User
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.records import get_or_not_found
from qa_audit.learning_themes.models import LearningTheme


def list_themes(include_inactive: bool = False) -> list[LearningTheme]:
    query = select(LearningTheme).order_by(LearningTheme.position, LearningTheme.name)
    if not include_inactive:
        query = query.where(LearningTheme.active.is_(True))
    return list(db.session.scalars(query))


def get_theme(theme_id: int) -> LearningTheme:
    return get_or_not_found(LearningTheme, theme_id, "learning theme")


def _clean(name: str, exclude_id: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError("Enter the learning theme", "name")
    if len(name) > 200:
        raise DomainError("The learning theme must be 200 characters or fewer", "name")
    query = select(LearningTheme.id).where(func.lower(LearningTheme.name) == name.lower())
    if exclude_id is not None:
        query = query.where(LearningTheme.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise DomainError("This learning theme is already on the list", "name")
    return name


def add_theme(actor: User | None, name: str) -> LearningTheme:
    """Add a theme to the end of the list."""
    name = _clean(name)
    position = (db.session.scalar(select(func.max(LearningTheme.position))) or 0) + 1
    theme = LearningTheme(name=name, position=position, active=True)
    db.session.add(theme)
    record_change(actor, "learning_theme.added", theme, None, snapshot(theme, ["name", "active"]))
    return theme


def update_theme(actor: User, theme: LearningTheme, name: str, active: bool) -> LearningTheme:
    """Rename a theme or retire it (a retired theme stays on the records it tags)."""
    before = snapshot(theme, ["name", "active"])
    theme.name = _clean(name, exclude_id=theme.id)
    theme.active = active
    record_change(
        actor, "learning_theme.updated", theme, before, snapshot(theme, ["name", "active"])
    )
    return theme


def seed_themes(path: Path) -> int:
    """Add the seeded themes that are missing; return how many were added."""
    added = 0
    for name in yaml.safe_load(path.read_text(encoding="utf-8")):
        exists = db.session.scalar(
            select(LearningTheme.id).where(func.lower(LearningTheme.name) == name.lower())
        )
        if exists is None:
            add_theme(None, name)
            added += 1
    return added
