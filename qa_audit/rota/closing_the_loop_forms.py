"""Forms of the closing-the-loop pages: the list's filters, scheduling, dismissing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import ValidationError

from qa_audit.auth.models import User
from qa_audit.core.form_fields import (
    DateRequired,
    GovDateField,
    id_or_none,
    select,
    submit_button,
    text_area,
)
from qa_audit.core.forms import FilterForm, FilterSelect, choices, month_choices
from qa_audit.organisation.models import ServiceArea
from qa_audit.rota.closing_the_loop import REASON_MAX, PromptState
from qa_audit.rota.forms import LATE_REASON_HINT, LATE_REASON_LABEL


class PromptFilterForm(FilterForm):
    """Filters of the closing-the-loop list."""

    state = FilterSelect("Show")
    service_area_id = FilterSelect("Service area")

    def __init__(self, areas: Sequence[ServiceArea], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = [(s.value, s.label) for s in PromptState if s is not PromptState.TO_SCHEDULE]
        self.state.choices = choices(states, blank="To schedule")
        self.service_area_id.choices = choices(((str(a.id), a.name) for a in areas), blank="Any")

    def prompt_state(self) -> PromptState:
        given = self.given("state")
        return PromptState(given) if given else PromptState.TO_SCHEDULE


class ScheduleForm(FlaskForm):
    """Schedule the closing-the-loop audit: who does it, in which month, by when."""

    month = select("Month")
    auditor_id = select("Auditor", coerce=id_or_none, validate_choice=False)
    due_on = GovDateField(
        "Due date",
        description=(
            "For example, 28 4 2024. From the first day of the month to the last day of the "
            "month after it."
        ),
        validators=[DateRequired("Enter the date the audit is due")],
    )
    due_on_reason = text_area(
        LATE_REASON_LABEL,
        max_length=500,
        too_long="The reason for a later due date must be 500 characters or fewer",
        description=LATE_REASON_HINT,
    )
    submit = submit_button("Schedule the audit")

    def __init__(self, auditors: Sequence[User], month: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.month.choices = month_choices(month, before=0, after=12)
        self.auditor_id.choices = choices(
            ((str(u.id), u.name) for u in auditors), blank="Select the auditor"
        )

    def validate_auditor_id(self, field: SelectField) -> None:
        if field.data is None:
            raise ValidationError("Select the auditor")


class DismissForm(FlaskForm):
    """Dismiss the prompt: why no closing-the-loop audit is needed."""

    reason = text_area(
        "Why is no closing-the-loop audit needed?",
        "Enter why no closing-the-loop audit is needed",
        max_length=REASON_MAX,
        too_long=f"The reason must be {REASON_MAX} characters or fewer",
        description="For example, the case has closed. The reason is kept in the change log.",
    )
    submit = submit_button("Dismiss the prompt")
