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
            "blind": "Moderated blind",
            "blind_overall_grade": "Moderator's blind overall grade",
            "blind_overall_rationale": "Reasons for the blind overall grade",
            "blind_graded_at": "Graded blind at",
            "blind_grades": "Moderator's blind grades by domain",
            "quality": "Ratings of the audit's quality",
        },
        actions={
            "moderation.blind_graded": "Graded blind by the moderator",
        },
    )
    describe_fields(
        app,
        "moderation_sampling_settings",
        "Sampling rules",
        fields={
            "blind_outstanding": "Moderate Outstanding audits blind",
            "blind_good": "Moderate Good audits blind",
            "blind_requires_improvement": "Moderate Requires improvement audits blind",
            "blind_inadequate": "Moderate Inadequate audits blind",
        },
    )
    describe_fields(
        app,
        "reflective_conversation",
        "Reflective conversation",
        fields={"due_on": "Due date", "held_on": "Held on"},
    )
