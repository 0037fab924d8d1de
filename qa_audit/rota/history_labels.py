"""How change histories read rota allocations (qa_audit.changelog.presentation)."""

from __future__ import annotations

from flask import Flask

from qa_audit.changelog.presentation import describe_fields
from qa_audit.rota.models import AllocationStatus
from qa_audit.rota.services import WARNINGS_READ


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
            "warnings": "Warnings read before going ahead",
        },
        values={"status": {s.value: s.label for s in AllocationStatus}},
        actions={WARNINGS_READ: "Went ahead after reading the warnings"},
    )
