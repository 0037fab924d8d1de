"""The report page's filter form (GET, so no CSRF token: it changes nothing)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length

from qa_audit.core.forms import choices

# The names the service's DomainError uses -> this form's fields.
FIELD_FOR = {"from": "from_month", "to": "to_month"}


class ReportForm(FlaskForm):
    """Which months, and which audits, the report covers."""

    class Meta:
        csrf = False

    from_month = StringField(
        "From month",
        name="from",
        widget=GovTextInput(),
        description="The first month, for example 2024-02",
        validators=[Length(max=20)],
    )
    to_month = StringField(
        "To month",
        name="to",
        widget=GovTextInput(),
        description="The last month, for example 2024-04 (the same month for a monthly report)",
        validators=[Length(max=20)],
    )
    service_area = SelectField("Service area", widget=GovSelect(), validate_choice=False)
    team = SelectField("Team", widget=GovSelect(), validate_choice=False)
    tool = SelectField("Audit tool version", widget=GovSelect(), validate_choice=False)
    audit_type = SelectField("Audit type", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Show report", widget=GovSubmitInput())

    def __init__(
        self,
        *args: object,
        areas: list[tuple[str, str]],
        teams: list[tuple[str, str]],
        tools: list[tuple[str, str]],
        audit_types: list[tuple[str, str]],
        any_area: bool = True,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service_area.choices = choices(
            ([("", "All service areas")] if any_area else []) + areas
        )
        self.team.choices = choices([("", "All teams"), *teams])
        self.tool.choices = choices([("", "All versions"), *tools])
        self.audit_type.choices = choices([("", "All types"), *audit_types])
