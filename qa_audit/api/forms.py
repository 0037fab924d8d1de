"""The admin's form to issue an API token."""

from __future__ import annotations

from flask_wtf import FlaskForm

from qa_audit.auth.models import User
from qa_audit.core.form_fields import select, submit_button, text_input
from qa_audit.core.forms import choices


class IssueTokenForm(FlaskForm):
    """Whose token, and what it is for."""

    user_id = select(
        "Person",
        coerce=int,
        description="The token can read what this person's roles allow, no more",
    )
    name = text_input(
        "What the token is for",
        "Enter what the token is for",
        max_length=100,
        description="For example, Power BI performance dashboard",
    )
    submit = submit_button("Issue token")

    def __init__(self, users: list[User], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user_id.choices = choices(
            (u.id, f"{u.name} ({', '.join(sorted(r.label for r in u.roles))})") for u in users
        )
