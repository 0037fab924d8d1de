"""When each audit tool version was launched: where the direction of travel crosses a change
of tool."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from sqlalchemy import select

from qa_audit.audit_tools.models import AuditTool
from qa_audit.reports.queries.scope import run


@functools.lru_cache(maxsize=1)
def _launches_statement() -> Any:
    return select(AuditTool.key, AuditTool.name, AuditTool.launched_on).order_by(
        AuditTool.launched_on, AuditTool.key
    )


def tool_launches() -> list[tuple[str, str, date]]:
    """(key, name, launched on) of every audit tool version, the oldest first."""
    return [(key, name, launched) for key, name, launched in run(_launches_statement(), {})]
