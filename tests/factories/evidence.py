"""Audits holding chosen evidence, for the evidence explorer's tests."""

from __future__ import annotations

from typing import Any

from qa_audit.audits.models import Audit
from qa_audit.core.extensions import db
from tests.factories.audits import audit


def evidenced(texts: dict[str, tuple[str, str, str]], **kwargs: Any) -> Audit:
    """An audit (``factories.audit``'s keywords) whose principles named in ``texts`` hold
    (working well, needs to improve, impact); every other principle's texts are blank."""
    row = audit(**kwargs)
    for grade in row.grades:
        grade.working_well, grade.needs_improvement, grade.impact = texts.get(
            grade.domain_key, ("", "", "")
        )
    db.session.flush()
    return row
