"""The service navigation: each part adds its own links from its ``init_app``.

Who sees a link is read from the view it points at (``roles_required`` records its roles on
the view function), so a link and its page can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for

_KEY = "qa_audit.navigation"


@dataclass(frozen=True)
class NavigationLink:
    endpoint: str
    text: str
    order: int


def add_link(app: Flask, endpoint: str, text: str, order: int) -> None:
    """Offer a link to ``endpoint`` in the service navigation; links show by ``order``."""
    links: list[NavigationLink] = app.extensions.setdefault(_KEY, [])
    links.append(NavigationLink(endpoint, text, order))
    links.sort(key=lambda link: link.order)


def navigation_for(user: Any) -> list[dict[str, Any]]:
    """Service-navigation items for the signed-in user (none when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return []
    views = current_app.view_functions
    items = []
    for link in current_app.extensions.get(_KEY, []):
        roles = getattr(views[link.endpoint], "required_roles", None)
        if roles and not user.has_role(*roles):
            continue
        href = url_for(link.endpoint)
        items.append({"href": href, "text": link.text, "active": request.path == href})
    return items
