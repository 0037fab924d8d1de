"""Helpers of the moderation tests: an audit selected for moderation with its moderator,
judgements agreeing with every domain, and the auditor's grades as stored."""

from __future__ import annotations

from sqlalchemy import select

from qa_audit.audits.models import Audit, AuditDomainGrade
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from qa_audit.moderation.services import Judgement
from tests import factories
from tests.factories import moderation as mf

KEYS = [
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
]

AGREE = Judgement(agree=True)


def agree_all(**changes: Judgement) -> dict[str, Judgement]:
    return {key: changes.get(key, AGREE) for key in KEYS}


def setup(overall: str = "good", grades: dict | None = None):  # type: ignore[no-untyped-def]
    auditor = factories.user(Role.AUDITOR, name="Ada Auditor")
    audit = factories.audit(auditor=auditor, overall=overall, grades=grades)
    return audit, mf.selected(audit), mf.moderator(name="Mo Moderator")


def stored_audit_grades(audit_id: int) -> tuple[str | None, dict[str, str | None]]:
    """The auditor's grades as stored in the database (identity map bypassed)."""
    _db.session.expire_all()
    overall = _db.session.scalar(select(Audit.overall_grade).where(Audit.id == audit_id))
    rows = _db.session.execute(
        select(AuditDomainGrade.domain_key, AuditDomainGrade.grade).where(
            AuditDomainGrade.audit_id == audit_id
        )
    )
    return overall, dict(rows.all())
