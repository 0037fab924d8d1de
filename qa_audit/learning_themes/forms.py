"""Forms of the learning-themes admin pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length


class ThemeForm(FlaskForm):
    """A learning theme's name (to add one, or rename one)."""

    name = StringField(
        "Learning theme",
        widget=GovTextInput(),
        description="A short phrase, for example: Plans not SMART",
        validators=[
            InputRequired("Enter the learning theme"),
            Length(max=200, message="The learning theme must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Add learning theme", widget=GovSubmitInput())
