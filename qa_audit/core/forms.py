"""Form plumbing shared by every part: domain errors onto fields, WTForms 3.3 choices, the
versioned form, and the status a page with a form answers with."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError
from qa_audit.core.months import month_label, month_of, months_around


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """WTForms 3.3 choices from (value, label) pairs (tuple choices are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


def month_choices(
    *selected: str | None,
    before: int,
    after: int,
    newest_first: bool = False,
    today: date | None = None,
) -> list[SelectChoice]:
    """The months from ``before`` months before this one to ``after`` after it, labelled
    'April 2024'; months already chosen on a record are kept even when outside that span."""
    months = months_around(month_of(today or local_today()), before=before, after=after)
    months += sorted({m for m in selected if m and m not in months})
    return choices((m, month_label(m)) for m in sorted(months, reverse=newest_first))


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


class VersionedForm(FlaskForm):
    """A form that edits a versioned record: the version it was opened on travels with it, so
    a save over someone else's change is refused (qa_audit.core.concurrency)."""

    version = HiddenField()
    # True where the form always edits an existing record: a blank version is then refused.
    version_required = False

    def validate_version(self, field: HiddenField) -> None:
        data = (field.data or "").strip()
        if not data and self.version_required:
            raise ValidationError("Reload the page: the form is missing its version")
        if data and not data.isdigit():
            raise ValidationError("Reload the page and try again")

    def version_number(self) -> int | None:
        """The version the form was opened on; None for a new record."""
        data = (self.version.data or "").strip()
        return int(data) if data.isdigit() else None


def form_status(form: FlaskForm) -> int:
    """400 for a form shown again with errors, else 200."""
    return 400 if form.errors else 200
