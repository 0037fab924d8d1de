"""How change histories read rota allocations (qa_audit.changelog.presentation)."""

from __future__ import annotations

from flask import Flask

from qa_audit.changelog.presentation import describe_fields
from qa_audit.rota.models import AllocationStatus


def register(app: Flask) -> None:
    describe_fields(
        app,
        "allocation",
        "Rota allocation",
        fields={
            "month": "Month",
            "case_ref": "Case reference",
            "due_on": "Due date",
            "due_on_reason": "Reason for the due date",
            "exemption_reason": "Reason for the exemption",
            "completed_at": "Completed",
        },
        values={"status": {s.value: s.label for s in AllocationStatus}},
    )
