"""Audit tool versions: the seeded ones, looked up by key."""

from __future__ import annotations

from qa_audit.audit_tools.models import AuditTool
from qa_audit.audit_tools.services import get_tool


def tool(key: str = "practice-principles-2024") -> AuditTool:
    return get_tool(key)
