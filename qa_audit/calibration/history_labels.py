"""How change histories read calibration rounds (qa_audit.changelog.presentation)."""

from __future__ import annotations

from flask import Flask

from qa_audit.auth.history_labels import names_of_people
from qa_audit.calibration.models import RoundStatus
from qa_audit.changelog.presentation import describe_fields, register_names


def register(app: Flask) -> None:
    register_names(
        app,
        "user_account",
        names_of_people,
        fields={"person_id": "Person invited", "closed_by_id": "Closed by", "set_by_id": "Set by"},
    )
    describe_fields(
        app,
        "calibration_round",
        "Calibration round",
        fields={
            "title": "Name of the round",
            "audit_id": "Audit read",
            "case_ref": "Case reference",
            "instructions": "Instructions for the group",
            "tool_id": "Audit tool",
            "domain_keys": "Domains graded",
            "deadline": "Deadline",
            "closed_at": "Closed",
            "discussion_notes": "Notes of the discussion",
        },
        actions={
            "calibration_round.created": "Round created",
            "calibration_round.closed": "Closed early, results opened",
            "calibration_round.discussed": "Notes of the discussion saved",
        },
        values={"status": {s.value: s.label for s in RoundStatus}},
    )
    describe_fields(
        app,
        "calibration_invitation",
        "Calibration grading",
        fields={"grades": "Grades and rationale", "submitted_at": "Submitted"},
        actions={
            "calibration_invitation.invited": "Invited",
            "calibration_invitation.saved": "Grades saved",
            "calibration_invitation.submitted": "Grades submitted (final)",
        },
    )
    describe_fields(
        app,
        "calibration_reference",
        "Calibration reference grade",
        fields={"domain_key": "Domain", "grade": "Reference grade", "note": "Why"},
        actions={
            "calibration_reference.set": "Reference grade set",
            "calibration_reference.changed": "Reference grade changed",
        },
    )
