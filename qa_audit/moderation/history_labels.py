"""How change histories read moderations (qa_audit.changelog.presentation)."""

from __future__ import annotations

from flask import Flask

from qa_audit.changelog.presentation import describe_fields


def register(app: Flask) -> None:
    describe_fields(
        app,
        "moderation",
        "Moderation",
        fields={
            "selection_reason": "Why selected",
            "due_on": "Due date",
            "overall_grade": "Moderated overall grade",
            "overall_rationale": "Reasons for the moderated grade",
            "withdrawn_reason": "Why it was withdrawn",
        },
    )
    describe_fields(
        app,
        "reflective_conversation",
        "Reflective conversation",
        fields={"due_on": "Due date", "held_on": "Held on"},
    )
