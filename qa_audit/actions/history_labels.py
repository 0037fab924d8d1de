"""How change histories read actions (qa_audit.changelog.presentation)."""

from __future__ import annotations

from flask import Flask

from qa_audit.actions.models import ActionSource
from qa_audit.changelog.presentation import describe_fields


def register(app: Flask) -> None:
    describe_fields(
        app,
        "action",
        "Action",
        fields={"description": "What is to be done", "due_on": "Due date"},
        values={"source": {s.value: s.label for s in ActionSource}},
    )
