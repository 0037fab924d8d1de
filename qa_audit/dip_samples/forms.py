"""Dip-sample forms: the sample's details and findings, a checklist question, one sampled
case's answers, an action."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from qa_audit.auth.models import User
from qa_audit.core.form_fields import DateRequired, GovDateField, GovNumberInput, WholeNumberField
from qa_audit.core.forms import VersionedForm, choices, month_choices
from qa_audit.dip_samples.models import Answer, DipSampleQuestion, SampleUnit
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.organisation.models import ServiceArea

# A dip sample looks back at cases: periods reach three years back and a quarter ahead.
MONTHS_BEFORE = 36
MONTHS_AFTER = 3


class DipSampleForm(VersionedForm):
    """A dip sample's details; when editing, its findings too."""

    title = StringField(
        "Title or theme",
        widget=GovTextInput(),
        description="For example, Repeat child protection plans.",
        validators=[
            InputRequired("Enter the title or theme of the dip sample"),
            Length(max=200, message="The title must be 200 characters or fewer"),
        ],
    )
    service_area_ids = SelectMultipleField(
        "Service areas",
        widget=GovCheckboxesInput(),
        coerce=int,
        validators=[InputRequired("Select at least one service area")],
    )
    period_from = SelectField("Period from", widget=GovSelect())
    period_to = SelectField("Period to", widget=GovSelect())
    sample_unit = RadioField(
        "What was sampled",
        widget=GovRadioInput(),
        validators=[InputRequired("Select what was sampled: children, young people or families")],
    )
    sample_size = WholeNumberField(
        "Sample size",
        widget=GovNumberInput(),
        description="How many children, young people or families are in the sample.",
        validators=[
            InputRequired("Enter the sample size"),
            NumberRange(min=1, max=1000, message="Enter a sample size from 1 to 1000"),
        ],
    )
    lead_auditor_ids = SelectMultipleField(
        "Lead auditors",
        widget=GovCheckboxesInput(),
        coerce=int,
        validators=[InputRequired("Select at least one lead auditor")],
    )
    learning_theme_ids = SelectMultipleField(
        "Learning themes (optional)",
        widget=GovCheckboxesInput(),
        coerce=int,
        validators=[Optional()],
    )
    strengths = TextAreaField(
        "Strengths",
        widget=GovTextArea(),
        validators=[Length(max=20000, message="Write no more than 20000 characters here")],
    )
    areas_for_development = TextAreaField(
        "Areas for development",
        widget=GovTextArea(),
        validators=[Length(max=20000, message="Write no more than 20000 characters here")],
    )
    submit = SubmitField("Save dip sample", widget=GovSubmitInput())

    def __init__(
        self,
        areas: Sequence[ServiceArea],
        leads: Sequence[User],
        themes: Sequence[LearningTheme],
        *args: Any,
        editing: bool = False,
        selected_months: Sequence[str | None] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service_area_ids.choices = choices((a.id, a.name) for a in areas)
        self.lead_auditor_ids.choices = choices((u.id, u.name) for u in leads)
        self.learning_theme_ids.choices = choices((t.id, t.name) for t in themes)
        self.sample_unit.choices = choices((u.value, u.label) for u in SampleUnit)
        months = month_choices(
            *selected_months, before=MONTHS_BEFORE, after=MONTHS_AFTER, newest_first=True
        )
        self.period_from.choices = months
        self.period_to.choices = months
        if not editing:
            del self.strengths
            del self.areas_for_development
            del self.version


class QuestionForm(FlaskForm):
    """A checklist question."""

    text = StringField(
        "Question",
        widget=GovTextInput(),
        description="Answered yes, partly, no or N/A for each sampled case. For example, "
        "Was the child's view recorded before the review?",
        validators=[
            InputRequired("Enter the question"),
            Length(max=500, message="The question must be 500 characters or fewer"),
        ],
    )
    submit = SubmitField("Add question", widget=GovSubmitInput())


ANSWER_CHOICES = [(a.value, a.label) for a in Answer]


def case_form(questions: Sequence[DipSampleQuestion], **kwargs: Any) -> FlaskForm:
    """A form for one sampled case: its reference and a yes / partly / no / N/A radio for each
    question (fields q<question id>)."""

    class CaseForm(FlaskForm):
        case_ref = StringField(
            "Case reference",
            widget=GovTextInput(),
            description="The case-management ID, never the child's name.",
            validators=[
                InputRequired("Enter the case reference"),
                Length(max=30, message="The case reference must be 30 characters or fewer"),
            ],
        )

    for number, question in enumerate(questions, start=1):
        setattr(
            CaseForm,
            f"q{question.id}",
            RadioField(
                f"{number}. {question.text}",
                widget=GovRadioInput(),
                choices=choices(ANSWER_CHOICES),
                validators=[InputRequired(f"Answer question {number}: yes, partly, no or N/A")],
            ),
        )
    CaseForm.submit = SubmitField("Save case", widget=GovSubmitInput())
    return CaseForm(**kwargs)


class ActionForm(FlaskForm):
    """A follow-up action set by the dip sample."""

    description = TextAreaField(
        "What needs to be done",
        widget=GovTextArea(),
        validators=[
            InputRequired("Enter what needs to be done"),
            Length(max=2000, message="The action must be 2000 characters or fewer"),
        ],
    )
    owner_id = SelectField("Owner", widget=GovSelect(), coerce=lambda v: int(v) if v else None)
    due_on = GovDateField(
        "Due date",
        description="For example, 30 6 2024.",
        validators=[DateRequired("Enter the date the action is due")],
    )
    submit = SubmitField("Add action", widget=GovSubmitInput())

    def __init__(self, owners: Sequence[User], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = choices(
            [("", "Select the owner"), *((str(u.id), u.name) for u in owners)]
        )

    def validate_owner_id(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select who owns the action")
