"""Dip-sample forms: the sample's details and findings, a checklist question, one sampled
case's answers, an action, completing it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from qa_audit.actions.form_fields import practitioner_name_field, practitioner_role_field
from qa_audit.auth.models import User
from qa_audit.core.form_fields import (
    DateRequired,
    GovDateField,
    GovNumberInput,
    WholeNumberField,
    checkboxes,
    radios,
    select,
    submit_button,
    text_area,
    text_input,
)
from qa_audit.core.forms import VersionedForm, by_name, choices, labelled, month_choices
from qa_audit.dip_samples.models import Answer, DipSampleQuestion, SampleUnit
from qa_audit.dip_samples.services.samples import FINDINGS_MAX, NOT_REVIEWED_MAX
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.organisation.models import ServiceArea

# A dip sample looks back at cases: periods reach three years back and a quarter ahead.
MONTHS_BEFORE = 36
MONTHS_AFTER = 3
FINDINGS_TOO_LONG = f"Write no more than {FINDINGS_MAX} characters here"


class DipSampleForm(VersionedForm):
    """A dip sample's details; when editing, its findings too."""

    title = text_input(
        "Title or theme",
        "Enter the title or theme of the dip sample",
        max_length=200,
        too_long="The title must be 200 characters or fewer",
        description="For example, Repeat child protection plans.",
    )
    service_area_ids = checkboxes("Service areas", "Select at least one service area", coerce=int)
    period_from = select("Period from")
    period_to = select("Period to")
    sample_unit = radios(
        "What was sampled", "Select what was sampled: children, young people or families"
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
    lead_auditor_ids = checkboxes("Lead auditors", "Select at least one lead auditor", coerce=int)
    learning_theme_ids = checkboxes(
        "Learning themes (optional)", coerce=int, validators=[Optional()]
    )
    strengths = text_area("Strengths", max_length=FINDINGS_MAX, too_long=FINDINGS_TOO_LONG)
    areas_for_development = text_area(
        "Areas for development", max_length=FINDINGS_MAX, too_long=FINDINGS_TOO_LONG
    )
    submit = submit_button("Save dip sample")

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
        self.sample_unit.choices = choices(labelled(SampleUnit))
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

    text = text_input(
        "Question",
        "Enter the question",
        max_length=500,
        too_long="The question must be 500 characters or fewer",
        description="Answered yes, partly, no or N/A for each sampled case. For example, "
        "Was the child's view recorded before the review?",
    )
    submit = submit_button("Add question")


class CompleteForm(VersionedForm):
    """Completing the sample: with every sampled case recorded, or the reason the missing ones
    could not be reviewed."""

    version_required = True

    not_reviewed_reason = text_area(
        "Why the missing cases could not be reviewed",
        max_length=NOT_REVIEWED_MAX,
        too_long=f"The reason must be {NOT_REVIEWED_MAX} characters or fewer",
        description="Only if fewer cases are recorded than the sample size: for example, two "
        "families moved out of the area before their cases could be reviewed.",
    )
    submit = submit_button("Complete dip sample")


ANSWER_CHOICES = labelled(Answer)


def case_form(questions: Sequence[DipSampleQuestion], **kwargs: Any) -> FlaskForm:
    """A form for one sampled case: its reference and a yes / partly / no / N/A radio for each
    question (fields q<question id>)."""

    class CaseForm(FlaskForm):
        case_ref = text_input(
            "Case reference",
            "Enter the case reference",
            max_length=30,
            too_long="The case reference must be 30 characters or fewer",
            description="The case-management ID, never the child's name.",
        )

    for number, question in enumerate(questions, start=1):
        setattr(
            CaseForm,
            f"q{question.id}",
            radios(
                f"{number}. {question.text}",
                f"Answer question {number}: yes, partly, no or N/A",
                choices=choices(ANSWER_CHOICES),
            ),
        )
    CaseForm.submit = submit_button("Save case")
    return CaseForm(**kwargs)


class ActionForm(FlaskForm):
    """A follow-up action set by the dip sample."""

    description = text_area(
        "What needs to be done",
        "Enter what needs to be done",
        max_length=2000,
        too_long="The action must be 2000 characters or fewer",
    )
    owner_id = select("Owner", coerce=lambda v: int(v) if v else None)
    practitioner_role = practitioner_role_field()
    practitioner_name = practitioner_name_field()
    due_on = GovDateField(
        "Due date",
        description="For example, 30 6 2024.",
        validators=[DateRequired("Enter the date the action is due")],
    )
    submit = submit_button("Add action")

    def __init__(self, owners: Sequence[User], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = choices(by_name(owners), blank="Select the owner")

    def validate_owner_id(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select who owns the action")
