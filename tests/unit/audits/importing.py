"""Helpers of the CSV import tests: run an import, count what it wrote, and expect a refusal
that wrote nothing at all."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from qa_audit.audit_import.services import AuditImportError, import_audits
from qa_audit.audits.models import Audit, AuditDomainGrade
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db
from qa_audit.moderation.models import Moderation, ModerationGrade
from tests.factories.audit_import import (
    count,
)

TODAY = date(2025, 10, 31)  # after the last day write_sample_csv uses


def run(data: bytes, **kwargs: object):  # type: ignore[no-untyped-def]
    kwargs.setdefault("today", TODAY)
    return import_audits(None, data, "audits.csv", **kwargs)  # type: ignore[arg-type]


def tables() -> tuple[int, int, int, int, int]:
    return (
        count(Audit),
        count(AuditDomainGrade),
        count(Moderation),
        count(ModerationGrade),
        count(ChangeLogEntry),
    )


def refused(data: bytes, **kwargs: object) -> AuditImportError:
    """Import ``data`` expecting it to be refused; check that nothing at all was written."""
    before = tables()
    with pytest.raises(AuditImportError) as caught:
        run(data, **kwargs)
    assert tables() == before
    return caught.value


def grades_of(audit: Audit) -> dict[str, str | None]:
    return {g.domain_key: g.grade for g in audit.grades}


def by_reference(reference: str) -> Audit:
    audit = db.session.scalar(select(Audit).where(Audit.reference == reference))
    assert audit is not None
    return audit
