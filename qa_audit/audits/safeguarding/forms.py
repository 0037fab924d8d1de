"""Forms for raising a safeguarding concern and recording the response to it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from qa_audit.audits.safeguarding.services import TEXT_MAX

# Prefixes keep field ids unique on the audit page, which has forms of its own.
CONCERN_PREFIX = "concern"
_LENGTH = Length(max=TEXT_MAX, message=f"Use {TEXT_MAX} characters or fewer")


class ConcernForm(FlaskForm):
    """A safeguarding concern found during the audit."""

    description = TextAreaField(
        "Describe the safeguarding concern",
        widget=GovTextArea(),
        description="What you found, and why the child may be at risk. Use the case reference, "
        "never the child's name. It goes at once to the service manager of the area.",
        validators=[InputRequired("Describe the safeguarding concern"), _LENGTH],
    )
    submit = SubmitField("Raise the concern", widget=GovSubmitInput())


class ConcernResponseForm(FlaskForm):
    """The service manager's response to a concern (one form per concern, by prefix)."""

    response = TextAreaField(
        "Your response",
        widget=GovTextArea(),
        description="What has been done or decided to keep the child safe.",
        validators=[InputRequired("Enter the response to the concern"), _LENGTH],
    )
    submit = SubmitField("Record the response", widget=GovSubmitInput())


def response_prefix(concern_id: int) -> str:
    return f"response-{concern_id}"
