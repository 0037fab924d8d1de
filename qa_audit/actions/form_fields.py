"""The fields naming a practitioner who does an action without being a user, for any form
that sets actions (the audit's actions section, dip samples, reflective conversations).
Render them with templates/actions/_practitioner_fields.html; pass their data to
add_action(practitioner_role=..., practitioner_name=...), which checks them."""

from __future__ import annotations

from wtforms import SelectField, StringField

from qa_audit.actions.models import PRACTITIONER_NAME_MAX, PractitionerRole
from qa_audit.core.form_fields import select, text_input
from qa_audit.core.forms import choices, labelled


def practitioner_role_field() -> SelectField:
    """Who does the action, by role; blank: the owner does it."""
    return select(
        "Done by a practitioner who is not a user (optional)",
        choices=choices(labelled(PractitionerRole), blank="No, the owner does it"),
        description="The owner is then responsible for seeing it done.",
    )


def practitioner_name_field() -> StringField:
    """The practitioner's name, if known (needed for "another practitioner")."""
    return text_input(
        "Practitioner's name (optional)",
        max_length=PRACTITIONER_NAME_MAX,
        too_long=f"The name must be {PRACTITIONER_NAME_MAX} characters or fewer",
        description="A member of staff, never the child or a family member.",
    )
