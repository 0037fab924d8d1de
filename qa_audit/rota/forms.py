"""Rota forms: allotting in bulk or one by one, reassigning, extending, exempting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, StopValidation, ValidationError

from qa_audit.auth.models import User
from qa_audit.core.clock import local_today
from qa_audit.core.forms import choices
from qa_audit.core.months import month_label, months_around
from qa_audit.organisation.models import ServiceArea
from qa_audit.rota.services import BULK_ROLES


class GovDateField(DateField):
    """A GOV.UK date input (day, month, year boxes) read into a date, with plain messages."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, widget=GovDateInput(), format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        parts = [str(v).strip() for v in valuelist][:3]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        if not all(parts):
            raise ValueError(f"{self.label.text} must include a day, month and year")
        try:
            day, month, year = (int(p) for p in parts)
            self.data = date(year, month, day)
        except ValueError as error:
            raise ValueError(f"{self.label.text} must be a real date") from error
        if year < 1000:
            self.data = None
            raise ValueError(f"{self.label.text}: enter the year with 4 digits")


class DateRequired:
    """Stops with ``message`` when no part of a GOV.UK date was entered."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form: Any, field: GovDateField) -> None:
        if not any(field.raw_data or []):
            field.errors[:] = []
            raise StopValidation(self.message)


class GovNumberInput(GovInput):
    """A whole-number text input (GOV.UK: inputmode numeric, not type=number)."""

    input_type = "text"

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("inputmode", "numeric")
        params.setdefault("classes", "govuk-input--width-3")
        params.setdefault("spellcheck", False)
        return params


class WholeNumberField(IntegerField):
    """An IntegerField whose bad input gets a plain-English message."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError as error:
            self.data = None
            raise ValueError(f"{self.label.text} must be a whole number, like 2") from error


def month_choices(selected: str | None, today: date | None = None) -> list[Any]:
    today = today or local_today()
    months = months_around(today.strftime("%Y-%m"), before=12, after=12)
    if selected and selected not in months:
        months = sorted([*months, selected])
    return choices((m, month_label(m)) for m in months)


def _optional_int(value: Any) -> int | None:
    return int(value) if value not in (None, "", "None") else None


class BulkAllotForm(FlaskForm):
    """Allot N audits to every active auditor holding the chosen roles."""

    month = SelectField("Month", widget=GovSelect())
    roles = SelectMultipleField(
        "Who takes part",
        widget=GovCheckboxesInput(),
        description="Every active person holding one of these roles and the auditor role gets "
        "the same number of audits.",
        validators=[InputRequired("Select at least one role")],
    )
    service_area_ids = SelectMultipleField(
        "Service areas",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="The audits are spread over these areas in turn.",
        validators=[InputRequired("Select at least one service area")],
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
        description="For example, 28 4 2024. It must not be before the month starts.",
        validators=[DateRequired("Enter the date the audits are due")],
    )
    submit = SubmitField("Allot audits", widget=GovSubmitInput())

    def __init__(self, areas: Sequence[ServiceArea], month: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.month.choices = month_choices(month)
        self.roles.choices = choices((r.value, r.label) for r in BULK_ROLES)
        self.service_area_ids.choices = choices((a.id, a.name) for a in areas)


class AllotOneForm(FlaskForm):
    """Allot one audit, naming the case where it is known."""

    month = SelectField("Month", widget=GovSelect())
    # Any id is let through to the service, which says why a person cannot be allotted.
    auditor_id = SelectField(
        "Auditor", widget=GovSelect(), coerce=_optional_int, validate_choice=False
    )
    service_area_id = SelectField("Service area", widget=GovSelect(), coerce=_optional_int)
    team_id = SelectField(
        "Case's team (optional)",
        widget=GovSelect(),
        coerce=_optional_int,
        description="Where known: the rota warns if it is the auditor's own team.",
    )
    case_ref = StringField(
        "Case reference (optional)",
        widget=GovTextInput(),
        description="The case-management ID, never the child's name. Leave blank for the "
        "auditor to choose a case in the area.",
        validators=[Length(max=30, message="The case reference must be 30 characters or fewer")],
    )
    due_on = GovDateField(
        "Due date",
        description="For example, 28 4 2024. It must not be before the month starts.",
        validators=[DateRequired("Enter the date the audit is due")],
    )
    submit = SubmitField("Allot audit", widget=GovSubmitInput())

    def __init__(
        self,
        auditors: Sequence[User],
        areas: Sequence[ServiceArea],
        month: str | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.month.choices = month_choices(month)
        self.auditor_id.choices = choices(
            [("", "Select the auditor"), *((str(u.id), _who(u)) for u in auditors)]
        )
        self.service_area_id.choices = choices(
            [("", "Select the service area"), *((str(a.id), a.name) for a in areas)]
        )
        self.team_id.choices = choices(
            [
                ("", "Not known"),
                *((str(t.id), f"{a.name}: {t.name}") for a in areas for t in a.teams),
            ]
        )

    def validate_auditor_id(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select the auditor")

    def validate_service_area_id(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select the service area")


def _who(user: User) -> str:
    where = user.team.name if user.team else (user.service_area.name if user.service_area else "")
    return f"{user.name} ({where})" if where else user.name


class VersionedForm(FlaskForm):
    version = HiddenField()

    def validate_version(self, field: HiddenField) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError("Reload the page and try again")


class ReassignForm(VersionedForm):
    """Give the allocation to another active auditor."""

    auditor_id = SelectField(
        "New auditor", widget=GovSelect(), coerce=_optional_int, validate_choice=False
    )
    submit = SubmitField("Reassign", widget=GovSubmitInput())

    def __init__(self, auditors: Sequence[User], current_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.auditor_id.choices = choices(
            [
                ("", "Select the auditor"),
                *((str(u.id), _who(u)) for u in auditors if u.id != current_id),
            ]
        )

    def validate_auditor_id(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select the auditor to reassign the audit to")


class ExtendForm(VersionedForm):
    """A later due date."""

    due_on = GovDateField(
        "New due date",
        description="For example, 15 5 2024.",
        validators=[DateRequired("Enter the new due date")],
    )
    submit = SubmitField("Extend due date", widget=GovSubmitInput())


class ExemptForm(VersionedForm):
    """An exemption: why, and who approved it."""

    reason = TextAreaField(
        "Reason for the exemption",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter the reason for the exemption"),
            Length(max=2000, message="The reason must be 2000 characters or fewer"),
        ],
    )
    approved_by = StringField(
        "Who approved it",
        widget=GovTextInput(),
        description="Their name and role, for example Jo Smith, Head of Service.",
        validators=[
            InputRequired("Enter who approved the exemption"),
            Length(max=200, message="The approver's name must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Record exemption", widget=GovSubmitInput())
