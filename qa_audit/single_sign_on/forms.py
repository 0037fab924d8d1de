"""The group-to-role mapping form (an administrator fills it)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.validators import Optional

from qa_audit.auth.roles import Role
from qa_audit.core.form_fields import id_or_none, select, submit_button, text_input
from qa_audit.core.forms import by_name, choices, labelled
from qa_audit.organisation.forms import team_choices
from qa_audit.organisation.models import ServiceArea


class GroupRoleForm(FlaskForm):
    group_id = text_input(
        "Group id",
        "Enter the group's id",
        max_length=200,
        description=(
            "As the provider sends it in the groups claim: for Microsoft Entra ID, the group's "
            "Object ID, for example 5f0e8b1c-0b8a-4f5e-9a57-0d1c2e3f4a5b."
        ),
    )
    role = select("Role", "Select a role")
    service_area_id = select("Service area", coerce=id_or_none, validators=[Optional()])
    team_id = select("Team", coerce=id_or_none, validators=[Optional()])
    submit = submit_button("Add mapping")

    def __init__(self, areas: list[ServiceArea], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = choices(labelled(Role))
        self.service_area_id.choices = choices(by_name(areas), blank="No service area")
        self.team_id.choices = choices(team_choices(areas), blank="No team")
