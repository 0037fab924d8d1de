"""The QA lead's sampling rules form: the rate per grade, the deadlines, blind per grade."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from qa_audit.audit_tools.grades import GRADED
from qa_audit.core.form_fields import checkboxes, submit_button
from qa_audit.core.forms import VersionedForm, choices, labelled


def _percent(label: str) -> IntegerField:
    return IntegerField(
        label,
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter a percentage from 0 to 100"),
            NumberRange(0, 100, "Enter a percentage from 0 to 100"),
        ],
    )


def _days(label: str, description: str) -> IntegerField:
    return IntegerField(
        label,
        widget=GovTextInput(),
        description=description,
        validators=[
            InputRequired("Enter a number of working days"),
            NumberRange(1, 60, "Enter a number of working days from 1 to 60"),
        ],
    )


class SamplingSettingsForm(VersionedForm):
    """The QA lead's sampling rates (per cent) and deadlines (working days)."""

    version_required = True
    rate_outstanding = _percent("Outstanding: % of audits moderated")
    rate_good = _percent("Good: % of audits moderated")
    rate_requires_improvement = _percent("Requires improvement: % of audits moderated")
    inadequate_deadline_days = _days(
        "Inadequate: moderated within",
        "Working days from submission. Every Inadequate is moderated, at high priority.",
    )
    normal_deadline_days = _days("Other audits: moderated within", "Working days from submission.")
    reflective_deadline_days = _days(
        "Reflective conversation held within",
        "Working days from a moderation that keeps an overall Inadequate.",
    )
    blind_grades = checkboxes(
        "Moderate blind",
        choices=choices(labelled(GRADED)),
        description="Audits selected with these overall grades are moderated blind: the "
        "moderator grades before the auditor's grades are shown.",
    )
    submit = submit_button("Save the sampling rules")
