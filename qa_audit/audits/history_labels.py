"""How change histories read audits (qa_audit.changelog.presentation)."""

from __future__ import annotations

from flask import Flask

from qa_audit.audits.models import AuditStatus, AuditType
from qa_audit.audits.services.drafting import EVIDENCE_LABELS
from qa_audit.changelog.presentation import describe_fields


def register(app: Flask) -> None:
    describe_fields(
        app,
        "audit",
        "Audit",
        fields={
            "reference": "Audit reference",
            "case_ref": "Case reference",
            "audit_date": "Audit date",
            "overall_grade": "Overall grade",
            "overall_rationale": "Reasons for the overall grade",
            "learning_themes": "Learning themes",
            "returned_reason": "Why it was returned",
            "submitted_at": "Submitted",
            # A domain's evidence ("assessment.working_well") reads "Assessment: what is …".
            **EVIDENCE_LABELS,
        },
        values={
            "status": {s.value: s.label for s in AuditStatus},
            "audit_type": {t.value: t.label for t in AuditType},
        },
    )
    describe_fields(app, "safeguarding_concern", "Safeguarding concern")
