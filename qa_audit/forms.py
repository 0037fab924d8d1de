"""Form plumbing shared by every part: domain errors onto fields, WTForms 3.3 choices."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from qa_audit.errors import DomainError


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """WTForms 3.3 choices from (value, label) pairs (tuple choices are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


def apply_domain_error(form: FlaskForm, error: DomainError, fallback: str | None = None) -> None:
    """Show a service's DomainError on the form field it names (or on ``fallback``)."""
    name = error.field if error.field and error.field in form._fields else fallback
    if name is None:
        name = next(iter(form._fields))
    field = form._fields[name]
    field.errors = [*list(field.errors or []), error.message]


class FilterSelect(SelectField):
    """A select for filter forms whose unknown value gets a plain-English message."""

    def pre_validate(self, form: object) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(f"Select a {self.label.text.lower()} from the list") from error
