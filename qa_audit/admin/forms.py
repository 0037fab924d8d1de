"""Admin forms: users, service areas, teams."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional

from qa_audit.auth.roles import Role
from qa_audit.core.forms import choices
from qa_audit.organisation.models import ServiceArea


def _optional_int(value: str | None) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class UserForm(FlaskForm):
    """A user's details, roles, service area and team (an admin fills it)."""

    email = StringField(
        "E-mail address",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the e-mail address"), Length(max=320)],
    )
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the person's name"), Length(max=200)],
    )
    roles = SelectMultipleField(
        "Roles",
        widget=GovCheckboxesInput(),
        description="Select all that apply. One person may hold several roles.",
        validators=[InputRequired("Select at least one role")],
    )
    service_area_id = SelectField(
        "Service area", widget=GovSelect(), coerce=_optional_int, validators=[Optional()]
    )
    team_id = SelectField("Team", widget=GovSelect(), coerce=_optional_int, validators=[Optional()])
    password = PasswordField(
        "Initial password (optional)",
        widget=GovPasswordInput(),
        description="At least 12 characters. Leave blank and the account cannot sign in "
        "until a password is set.",
    )
    submit = SubmitField("Save user", widget=GovSubmitInput())

    def __init__(
        self, areas: list[ServiceArea], *args: object, editing: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.roles.choices = choices((r.value, r.label) for r in Role)
        self.service_area_id.choices = choices(
            [("", "No service area"), *((str(a.id), a.name) for a in areas)]
        )
        self.team_id.choices = choices(
            [("", "No team"), *((str(t.id), f"{a.name}: {t.name}") for a in areas for t in a.teams)]
        )
        if editing:
            del self.password


class SetPasswordForm(FlaskForm):
    """An admin sets a user's password (for example after --create-users)."""

    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="At least 12 characters. Tell the person through a separate channel.",
        validators=[InputRequired("Enter a password")],
    )
    submit = SubmitField("Set password", widget=GovSubmitInput())


class ServiceAreaForm(FlaskForm):
    """A new service area: a stable key and a name."""

    key = StringField(
        "Key",
        widget=GovTextInput(),
        description="Lower-case letters, digits and _, for example early_help. It never changes.",
        validators=[InputRequired("Enter a key"), Length(max=50)],
    )
    name = StringField(
        "Name", widget=GovTextInput(), validators=[InputRequired("Enter the name"), Length(max=200)]
    )
    submit = SubmitField("Add service area", widget=GovSubmitInput())


class RenameForm(FlaskForm):
    """A new name for a service area or team."""

    name = StringField(
        "Name", widget=GovTextInput(), validators=[InputRequired("Enter the name"), Length(max=200)]
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class TeamForm(FlaskForm):
    """A new team in a service area."""

    name = StringField(
        "Team name",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the team name"), Length(max=200)],
    )
    submit = SubmitField("Add team", widget=GovSubmitInput())
