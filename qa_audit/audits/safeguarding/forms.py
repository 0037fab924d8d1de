"""Forms for raising a safeguarding concern and taking it through its workflow: acknowledge,
add interim notes, resolve with an outcome."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import ValidationError

from qa_audit.audits.safeguarding.models import ConcernOutcome
from qa_audit.audits.safeguarding.services import TEXT_MAX
from qa_audit.core.form_fields import radios, submit_button, text_area
from qa_audit.core.forms import choices, labelled

# Prefixes keep field ids unique on the audit page, which has forms of its own.
CONCERN_PREFIX = "concern"
_TOO_LONG = f"Use {TEXT_MAX} characters or fewer"


class ConcernForm(FlaskForm):
    """A safeguarding concern found during the audit."""

    description = text_area(
        "Describe the safeguarding concern",
        "Describe the safeguarding concern",
        max_length=TEXT_MAX,
        too_long=_TOO_LONG,
        description="What you found, and why the child may be at risk. Use the case reference, "
        "never the child's name. It goes at once to the service manager of the area.",
    )
    submit = submit_button("Raise the concern")


class AcknowledgeForm(FlaskForm):
    """Take the concern on (one button; the concern stays open)."""

    submit = submit_button("Acknowledge the concern")


class ConcernNoteForm(FlaskForm):
    """An interim note on an acknowledged concern."""

    text = text_area(
        "Add an interim note",
        "Enter the note",
        max_length=TEXT_MAX,
        too_long=_TOO_LONG,
        description="What has happened so far, for example a visit arranged or a call made. "
        "The concern stays open.",
    )
    submit = submit_button("Add the note")


class ConcernResolutionForm(FlaskForm):
    """Resolve the concern: the outcome and what was done (the response)."""

    outcome = radios(
        "Outcome",
        "Select the outcome",
        choices=choices(labelled(ConcernOutcome)),
    )
    outcome_detail = text_area(
        "Describe the outcome",
        max_length=TEXT_MAX,
        too_long=_TOO_LONG,
    )
    response = text_area(
        "What was done",
        "Enter what was done",
        max_length=TEXT_MAX,
        too_long=_TOO_LONG,
        description="What has been done or decided to keep the child safe.",
    )
    submit = submit_button("Resolve the concern")

    def validate_outcome_detail(self, field: Field) -> None:
        if (
            self.outcome.data == ConcernOutcome.OTHER.value
            and not (self.outcome_detail.data or "").strip()
        ):
            raise ValidationError("Say what the outcome was")


def acknowledge_prefix(concern_id: int) -> str:
    return f"acknowledge-{concern_id}"


def note_prefix(concern_id: int) -> str:
    return f"note-{concern_id}"


def response_prefix(concern_id: int) -> str:
    return f"response-{concern_id}"
