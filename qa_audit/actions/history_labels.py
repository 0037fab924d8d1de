"""How change histories read actions (qa_audit.changelog.presentation)."""

from __future__ import annotations

from flask import Flask

from qa_audit.actions.models import ActionSource, PractitionerRole
from qa_audit.changelog.presentation import describe_fields


def register(app: Flask) -> None:
    describe_fields(
        app,
        "action",
        "Action",
        fields={
            "description": "What is to be done",
            "due_on": "Due date",
            "practitioner_role": "Done by",
            "practitioner_name": "Practitioner's name",
            "done_by": "Done by",
        },
        values={
            "source": {s.value: s.label for s in ActionSource},
            "practitioner_role": {r.value: r.label for r in PractitionerRole},
        },
    )
