"""Forms for raising a safeguarding concern and recording the response to it."""

from __future__ import annotations

from flask_wtf import FlaskForm

from qa_audit.audits.safeguarding.services import TEXT_MAX
from qa_audit.core.form_fields import submit_button, text_area

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


class ConcernResponseForm(FlaskForm):
    """The service manager's response to a concern (one form per concern, by prefix)."""

    response = text_area(
        "Your response",
        "Enter the response to the concern",
        max_length=TEXT_MAX,
        too_long=_TOO_LONG,
        description="What has been done or decided to keep the child safe.",
    )
    submit = submit_button("Record the response")


def response_prefix(concern_id: int) -> str:
    return f"response-{concern_id}"
