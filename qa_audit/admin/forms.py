"""Admin forms: users, service areas, teams."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import Optional

from qa_audit.auth.roles import Role
from qa_audit.core.form_fields import checkboxes, id_or_none, select, submit_button, text_input
from qa_audit.core.forms import by_name, choices, labelled
from qa_audit.organisation.forms import team_choices
from qa_audit.organisation.models import ServiceArea


class UserForm(FlaskForm):
    """A user's details, roles, service area and team (an admin fills it)."""

    email = text_input("E-mail address", "Enter the e-mail address", max_length=320)
    name = text_input("Full name", "Enter the person's name", max_length=200)
    roles = checkboxes(
        "Roles",
        "Select at least one role",
        description="Select all that apply. One person may hold several roles.",
    )
    service_area_id = select("Service area", coerce=id_or_none, validators=[Optional()])
    team_id = select("Team", coerce=id_or_none, validators=[Optional()])
    submit = submit_button("Save user")

    def __init__(self, areas: list[ServiceArea], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.roles.choices = choices(labelled(Role))
        self.service_area_id.choices = choices(by_name(areas), blank="No service area")
        self.team_id.choices = choices(team_choices(areas), blank="No team")


class ServiceAreaForm(FlaskForm):
    """A new service area: a stable key and a name."""

    key = text_input(
        "Key",
        "Enter a key",
        max_length=50,
        description="Lower-case letters, digits and _, for example early_help. It never changes.",
    )
    name = text_input("Name", "Enter the name", max_length=200)
    submit = submit_button("Add service area")


class RenameForm(FlaskForm):
    """A new name for a service area or team."""

    name = text_input("Name", "Enter the name", max_length=200)
    submit = submit_button("Save")


class TeamForm(FlaskForm):
    """A new team in a service area."""

    name = text_input("Team name", "Enter the team name", max_length=200)
    submit = submit_button("Add team")
