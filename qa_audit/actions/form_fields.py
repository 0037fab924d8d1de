"""The fields naming a practitioner who does an action without being a user, for any form
that sets actions (the audit's actions section, dip samples, reflective conversations).
Render them with templates/actions/_practitioner_fields.html; pass their data to
add_action(practitioner_role=..., practitioner_name=...), which checks them."""

from __future__ import annotations

from wtforms import SelectField, StringField

from qa_audit.actions.models import PRACTITIONER_NAME_MAX, PractitionerRole
from qa_audit.core.form_fields import select, text_input
from qa_audit.core.forms import choices, labelled


def practitioner_role_field(action: str = "") -> SelectField:
    """Who does the action, by role; blank: the owner does it. ``action`` names the action
    ("remedial action 2") on a form that sets several, so each label is told apart."""
    return select(
        _named("Done by a practitioner who is not a user (optional)", action),
        choices=choices(labelled(PractitionerRole), blank="No, the owner does it"),
        description="The owner is then responsible for seeing it done.",
        # An unknown role gets the service's message, "Select the practitioner's role".
        validate_choice=False,
    )


def practitioner_name_field(action: str = "") -> StringField:
    """The practitioner's name, if known (needed for "another practitioner")."""
    subject = f"The name of the practitioner for {action}" if action else "The name"
    return text_input(
        _named("Practitioner's name (optional)", action),
        max_length=PRACTITIONER_NAME_MAX,
        too_long=f"{subject} must be {PRACTITIONER_NAME_MAX} characters or fewer",
        description="A member of staff, never the child or a family member.",
    )


def _named(label: str, action: str) -> str:
    return f"{action[:1].upper()}{action[1:]}: {label[:1].lower()}{label[1:]}" if action else label
