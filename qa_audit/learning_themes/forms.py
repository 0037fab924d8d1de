"""Forms of the learning-themes admin pages."""

from __future__ import annotations

from flask_wtf import FlaskForm

from qa_audit.core.form_fields import submit_button, text_input


class ThemeForm(FlaskForm):
    """A learning theme's name (to add one, or rename one)."""

    name = text_input(
        "Learning theme",
        "Enter the learning theme",
        max_length=200,
        too_long="The learning theme must be 200 characters or fewer",
        description="A short phrase, for example: Plans not SMART",
    )
    submit = submit_button("Add learning theme")
