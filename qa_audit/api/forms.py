"""The form to issue oneself an API token."""

from __future__ import annotations

from flask_wtf import FlaskForm

from qa_audit.core.form_fields import submit_button, text_input


class IssueTokenForm(FlaskForm):
    """What the token is for; it is always the signed-in person's own."""

    name = text_input(
        "What the token is for",
        "Enter what the token is for",
        max_length=100,
        description="For example, Power BI performance dashboard",
    )
    submit = submit_button("Issue token")
