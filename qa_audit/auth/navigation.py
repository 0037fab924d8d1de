"""The service navigation links each role sees."""

from __future__ import annotations

from typing import Any

from flask import request, url_for

from qa_audit.auth.roles import Role


def navigation_for(user: Any) -> list[dict[str, Any]]:
    """Service-navigation items for the signed-in user (none when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = [("home.index", "Home", None)]
    items.append(("audit_tools.index", "Audit tools", (Role.QA_LEAD, Role.AUDITOR, Role.MODERATOR, Role.ADMIN)))
    items.append(("admin.users", "Users", (Role.ADMIN,)))
    items.append(("admin.service_areas", "Service areas", (Role.ADMIN,)))
    items.append(("admin.change_log", "Change log", (Role.ADMIN, Role.QA_LEAD)))
    result = []
    for endpoint, text, roles in items:
        if roles is not None and not user.has_role(*roles):
            continue
        href = url_for(endpoint)
        result.append({"href": href, "text": text, "active": request.path == href})
    return result
