"""The admin's form to issue an API token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from qa_audit.auth.models import User
from qa_audit.core.forms import choices


class IssueTokenForm(FlaskForm):
    """Whose token, and what it is for."""

    user_id = SelectField(
        "Person",
        widget=GovSelect(),
        coerce=int,
        description="The token can read what this person's roles allow, no more",
    )
    name = StringField(
        "What the token is for",
        widget=GovTextInput(),
        description="For example, Power BI performance dashboard",
        validators=[InputRequired("Enter what the token is for"), Length(max=100)],
    )
    submit = SubmitField("Issue token", widget=GovSubmitInput())

    def __init__(self, users: list[User], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user_id.choices = choices(
            (u.id, f"{u.name} ({', '.join(sorted(r.label for r in u.roles))})") for u in users
        )
