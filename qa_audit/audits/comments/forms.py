"""The form recording a practitioner's or their manager's comment on an audit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from qa_audit.audits.comments.services import COMMENT_MAX, CommentAuthor
from qa_audit.core.forms import choices

# Keeps field ids unique on the audit page, which has forms of its own.
COMMENT_PREFIX = "comment"


class CommentForm(FlaskForm):
    """Who made the comment, and what they said."""

    author_role = RadioField(
        "Whose comment is this?",
        widget=GovRadioInput(),
        validators=[
            InputRequired("Select whether the practitioner or their manager made the comment")
        ],
    )
    comment = TextAreaField(
        "Comment",
        widget=GovTextArea(),
        description="In their words, as they gave it.",
        validators=[
            InputRequired("Enter the comment"),
            Length(
                max=COMMENT_MAX, message=f"The comment must be {COMMENT_MAX} characters or fewer"
            ),
        ],
    )
    submit = SubmitField("Add the comment", widget=GovSubmitInput())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.author_role.choices = choices((a.value, a.label) for a in CommentAuthor)
