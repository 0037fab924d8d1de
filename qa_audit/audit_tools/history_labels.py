"""How change histories name audit tools and read grades (qa_audit.changelog.presentation)."""

from __future__ import annotations

from collections.abc import Collection

from flask import Flask
from sqlalchemy import select

from qa_audit.audit_tools.grades import Grade
from qa_audit.audit_tools.models import AuditTool
from qa_audit.changelog.presentation import describe_fields, register_names
from qa_audit.core.extensions import db

GRADE_WORDS = {g.value: g.label for g in Grade}


def names_of_tools(ids: Collection[int]) -> dict[int, str]:
    query = select(AuditTool.id, AuditTool.name).where(AuditTool.id.in_(ids))
    return {tool_id: name for tool_id, name in db.session.execute(query)}


def register(app: Flask) -> None:
    register_names(app, "audit_tool", names_of_tools, fields={"tool_id": "Audit tool"})
    describe_fields(app, "audit_tool", "Audit tool")
    # Grades read the same on any record (audits, moderations, imports).
    describe_fields(app, None, values={"grade": GRADE_WORDS, "overall_grade": GRADE_WORDS})
