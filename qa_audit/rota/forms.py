"""Rota forms: allotting in bulk or one by one, reassigning, extending, exempting."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from qa_audit.auth.models import User
from qa_audit.core.form_fields import (
    DateRequired,
    GovDateField,
    GovNumberInput,
    WholeNumberField,
    checkboxes,
    id_or_none,
    select,
    submit_button,
    text_area,
    text_input,
)
from qa_audit.core.forms import VersionedForm, by_name, choices, labelled, month_choices
from qa_audit.organisation.forms import team_options, teams_of_area
from qa_audit.organisation.models import ServiceArea
from qa_audit.rota.services import BULK_ROLES

# The rota is planned up to a year ahead, and looked back on for a year.
MONTHS_BEFORE = MONTHS_AFTER = 12
DUE_HINT = (
    "For example, 28 4 2024. From the first day of the month to the last day of the month after it."
)
LATE_REASON_LABEL = "Reason for a later due date (optional)"
LATE_REASON_HINT = (
    "Only for a due date after the end of the month after the one allotted: it is kept with "
    "the allocation."
)


class BulkAllotForm(FlaskForm):
    """Allot N audits to every active auditor holding the chosen roles."""

    month = select("Month")
    roles = checkboxes(
        "Who takes part",
        "Select at least one role",
        description="Every active person holding one of these roles and the auditor role gets "
        "the same number of audits.",
    )
    service_area_ids = checkboxes(
        "Service areas",
        "Select at least one service area",
        coerce=int,
        description="The audits are spread over these areas in turn.",
    )
    per_auditor = WholeNumberField(
        "Audits per auditor",
        widget=GovNumberInput(),
        validators=[
            InputRequired("Enter how many audits each auditor gets"),
            NumberRange(min=1, max=20, message="Enter a number from 1 to 20"),
        ],
    )
    due_on = GovDateField(
        "Due date",
        description=DUE_HINT,
        validators=[DateRequired("Enter the date the audits are due")],
    )
    due_on_reason = text_area(
        LATE_REASON_LABEL,
        max_length=500,
        too_long="The reason for a later due date must be 500 characters or fewer",
        description=LATE_REASON_HINT,
    )
    exclude_own_area = checkboxes(
        "Independence",
        description="Auditors are always warned before allotting if they would be given their "
        "own service area, where they could choose a case of their own team.",
    )
    submit = submit_button("Continue")

    def __init__(self, areas: Sequence[ServiceArea], month: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.month.choices = month_choices(month, before=MONTHS_BEFORE, after=MONTHS_AFTER)
        self.roles.choices = choices(labelled(BULK_ROLES))
        self.service_area_ids.choices = choices((a.id, a.name) for a in areas)
        self.exclude_own_area.choices = choices(
            [("yes", "Keep auditors out of their own service area")]
        )

    @property
    def excluding_own_area(self) -> bool:
        return "yes" in (self.exclude_own_area.data or [])


class AllotOneForm(FlaskForm):
    """Allot one audit, naming the case where it is known."""

    month = select("Month")
    # Any id is let through to the service, which says why a person cannot be allotted.
    auditor_id = select("Auditor", coerce=id_or_none, validate_choice=False)
    service_area_id = select("Service area", coerce=id_or_none)
    # Any team is let through the choices (they are narrowed to the chosen area): the service
    # says when a team is not of the area.
    team_id = select(
        "Case's team (optional)",
        coerce=id_or_none,
        validate_choice=False,
        description="Where known: the rota warns if it is the auditor's own team.",
    )
    case_ref = text_input(
        "Case reference (optional)",
        max_length=30,
        too_long="The case reference must be 30 characters or fewer",
        description="The case-management ID, never the child's name. Leave blank for the "
        "auditor to choose a case in the area.",
    )
    due_on = GovDateField(
        "Due date",
        description=DUE_HINT,
        validators=[DateRequired("Enter the date the audit is due")],
    )
    due_on_reason = text_area(
        LATE_REASON_LABEL,
        max_length=500,
        too_long="The reason for a later due date must be 500 characters or fewer",
        description=LATE_REASON_HINT,
    )
    submit = submit_button("Allot audit")

    def __init__(
        self,
        auditors: Sequence[User],
        areas: Sequence[ServiceArea],
        month: str | None,
        area_id: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.month.choices = month_choices(month, before=MONTHS_BEFORE, after=MONTHS_AFTER)
        self.auditor_id.choices = choices(
            ((str(u.id), _who(u)) for u in auditors), blank="Select the auditor"
        )
        self.service_area_id.choices = choices(by_name(areas), blank="Select the service area")
        # The teams of the chosen area alone, once one is chosen (without JavaScript, after the
        # form comes back); a script narrows the list as the area is chosen.
        self.team_id.choices = choices(teams_of_area(areas, area_id), blank="Not known")
        self.team_options = team_options(areas)
        self.team_areas = {value: area for value, area, _ in self.team_options}

    def validate_auditor_id(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select the auditor")

    def validate_service_area_id(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select the service area")

    def validate_team_id(self, field: SelectField) -> None:
        if field.data is not None and str(field.data) not in self.team_areas:
            raise ValidationError("Select the case's team from the list")


def _who(user: User) -> str:
    where = user.team.name if user.team else (user.service_area.name if user.service_area else "")
    return f"{user.name} ({where})" if where else user.name


class AllocationForm(VersionedForm):
    """A change to an existing allocation: the version it was opened on must come back."""

    version_required = True
    # Which of the allocation page's forms this is (its prefix on the page).
    form_name = ""


class ReassignForm(AllocationForm):
    """Give the allocation to another active auditor."""

    form_name = "reassign"

    auditor_id = select("New auditor", coerce=id_or_none, validate_choice=False)
    submit = submit_button("Reassign")

    def __init__(self, auditors: Sequence[User], current_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.auditor_id.choices = choices(
            ((str(u.id), _who(u)) for u in auditors if u.id != current_id),
            blank="Select the auditor",
        )

    def validate_auditor_id(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select the auditor to reassign the audit to")


class ExtendForm(AllocationForm):
    """A later due date."""

    form_name = "extend"

    due_on = GovDateField(
        "New due date",
        description="For example, 15 5 2024. Up to the last day of the month after the one "
        "allotted.",
        validators=[DateRequired("Enter the new due date")],
    )
    due_on_reason = text_area(
        LATE_REASON_LABEL,
        max_length=500,
        too_long="The reason for a later due date must be 500 characters or fewer",
        description=LATE_REASON_HINT,
    )
    submit = submit_button("Extend due date")


class ExemptForm(AllocationForm):
    """An exemption: why, and who approved it."""

    form_name = "exempt"

    reason = text_area(
        "Reason for the exemption",
        "Enter the reason for the exemption",
        max_length=2000,
        too_long="The reason must be 2000 characters or fewer",
    )
    approved_by = text_input(
        "Who approved it",
        "Enter who approved the exemption",
        max_length=200,
        too_long="The approver's name must be 200 characters or fewer",
        description="Their name and role, for example Jo Smith, Head of Service.",
    )
    submit = submit_button("Record exemption")
