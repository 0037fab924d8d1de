"""The form recording a practitioner's or their manager's comment on an audit."""

from __future__ import annotations

from flask_wtf import FlaskForm

from qa_audit.audits.comments.services import COMMENT_MAX, CommentAuthor
from qa_audit.core.form_fields import radios, submit_button, text_area
from qa_audit.core.forms import choices, labelled

# Keeps field ids unique on the audit page, which has forms of its own.
COMMENT_PREFIX = "comment"


class CommentForm(FlaskForm):
    """Who made the comment, and what they said."""

    author_role = radios(
        "Whose comment is this?",
        "Select whether the practitioner or their manager made the comment",
    )
    comment = text_area(
        "Comment",
        "Enter the comment",
        max_length=COMMENT_MAX,
        too_long=f"The comment must be {COMMENT_MAX} characters or fewer",
        description="In their words, as they gave it.",
    )
    submit = submit_button("Add the comment")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.author_role.choices = choices(labelled(CommentAuthor))
