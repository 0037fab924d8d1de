"""The sections of a home page: each part of the domain offers its own through the
``home_sections`` signal (qa_audit.core.signals), for the roles it serves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# How many of a list's most urgent items a home page shows; the rest are a "View all" away.
HOME_LIMIT = 5


@dataclass
class Link:
    text: str
    href: str


@dataclass
class Section:
    title: str
    rows: list[list[str]] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    empty: str = "Nothing to do here yet."
    links: list[Link] = field(default_factory=list)
    count: int | None = None
    # The list page holding every item when the rows are only the first HOME_LIMIT of them.
    more: Link | None = None


def view_all(count: int, href: str, what: str) -> Link | None:
    """The "View all (N)" link of a section showing the first HOME_LIMIT of ``count`` items;
    None when they all fit. ``what`` names them for screen readers."""
    if count <= HOME_LIMIT:
        return None
    return Link(f"View all {what} ({count})", href)


SectionMaker = Callable[[Any], Section]
Receiver = Callable[..., list[tuple[Any, Section]]]


def sections_receiver(*makers: tuple[Any, SectionMaker]) -> Receiver:
    """A ``home_sections`` receiver making each ``(role, maker)`` section the user's roles
    call for, in the order given. Create it once, at module level, and connect it from the
    part's ``init_app`` (blinker then keeps one connection however many apps are made)."""

    def receive(user: Any, **_: Any) -> list[tuple[Any, Section]]:
        return [(role, make(user)) for role, make in makers if role in user.roles]

    return receive
