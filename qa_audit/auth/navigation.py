"""The service navigation links each role sees."""

from __future__ import annotations

from typing import Any

from flask import request, url_for

from qa_audit.audit_tools.views import TOOL_READERS
from qa_audit.auth.roles import Role


def navigation_for(user: Any) -> list[dict[str, Any]]:
    """Service-navigation items for the signed-in user (none when signed out)."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[tuple[str, str, tuple[Role, ...] | None]] = [("home.index", "Home", None)]
    items.append(("audit_tools.index", "Audit tools", TOOL_READERS))
    items.append(("admin.users", "Users", (Role.ADMIN,)))
    items.append(("admin.service_areas", "Service areas", (Role.ADMIN,)))
    items.append(("audit_lists.my_audits", "My audits", (Role.AUDITOR,)))
    items.append(("audits.new", "Start an audit", (Role.AUDITOR,)))
    items.append(("actions.mine", "My actions", (Role.AUDITOR, Role.SERVICE_MANAGER)))
    items.append(
        (
            "audit_lists.all_audits",
            "All audits",
            (Role.QA_LEAD, Role.MODERATOR, Role.SERVICE_MANAGER),
        )
    )
    items.append(("moderation.queue", "Moderation", (Role.MODERATOR, Role.QA_LEAD)))
    items.append(("moderation.agreement", "Agreement", (Role.MODERATOR, Role.QA_LEAD)))
    items.append(("actions.centre", "Actions", (Role.QA_LEAD,)))
    items.append(("learning_themes.index", "Learning themes", (Role.QA_LEAD,)))
    items.append(("rota.index", "Rota", (Role.QA_LEAD,)))
    items.append(("dip_samples.index", "Dip samples", (Role.QA_LEAD, Role.AUDITOR)))
    items.append(
        (
            "reports.index",
            "Reports",
            (Role.QA_LEAD, Role.MODERATOR, Role.SERVICE_MANAGER, Role.VIEWER),
        )
    )
    items.append(("admin.change_log", "Change log", (Role.ADMIN, Role.QA_LEAD)))
    items.append(("access_log.search", "Access log", (Role.QA_LEAD,)))
    items.append(("api_tokens.index", "API tokens", (Role.ADMIN,)))
    result = []
    for endpoint, text, roles in items:
        if roles is not None and not user.has_role(*roles):
            continue
        href = url_for(endpoint)
        result.append({"href": href, "text": text, "active": request.path == href})
    return result
