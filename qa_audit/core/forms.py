"""Form plumbing shared by every part: domain errors onto fields, WTForms 3.3 choices, the
versioned form, and the status a page with a form answers with."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol

from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from qa_audit.core.clock import local_today
from qa_audit.core.errors import DomainError
from qa_audit.core.months import month_label, month_of, months_around


class Labelled(Protocol):
    """An enumeration member shown to people by a label."""

    @property
    def value(self) -> str: ...

    @property
    def label(self) -> str: ...


def choices(pairs: Iterable[tuple[object, str]], blank: str | None = None) -> list[SelectChoice]:
    """WTForms 3.3 choices from (value, label) pairs (tuple choices are deprecated); ``blank``
    labels a first, empty choice, such as "Any" or "Select the owner"."""
    first = [SelectChoice("", blank)] if blank is not None else []
    return first + [SelectChoice(value, label) for value, label in pairs]


class Named(Protocol):
    """A stored record people pick by its name: a person, a service area."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


def labelled(members: Iterable[Labelled]) -> list[tuple[str, str]]:
    """(value, label) pairs of enumeration members, for ``choices``."""
    return [(member.value, member.label) for member in members]


def by_name(records: Iterable[Named]) -> list[tuple[str, str]]:
    """(id, name) pairs of records, for ``choices``; the id as text, as a select posts it."""
    return [(str(record.id), record.name) for record in records]


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
    """A GOV.UK select for filter forms, blank unless chosen, whose unknown value gets a
    plain-English message."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("widget", GovSelect())
        kwargs.setdefault("default", "")
        super().__init__(label, **kwargs)

    def pre_validate(self, form: object) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(f"Select a {self.label.text.lower()} from the list") from error


class FilterForm(FlaskForm):
    """A GET form of filters: no CSRF token (it changes nothing), values in the query string."""

    class Meta:
        csrf = False

    def given(self, name: str) -> str:
        """A filter's value, or "" where it failed validation."""
        field = self._fields[name]
        return "" if field.errors else (field.data or "").strip()

    def given_id(self, name: str) -> int | None:
        value = self.given(name)
        return int(value) if value.isdigit() else None

    @property
    def active(self) -> bool:
        """True when any filter is given."""
        return any((f.data or "").strip() for f in self)


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


def error_summary(form: FlaskForm) -> dict[str, Any]:
    """The GOV.UK error summary's parameters for ``form``. A date's link goes to its Day box
    (``#<field>-day``), as GOV.UK date inputs' errors do, not to the boxes' wrapper, which
    cannot take the focus."""
    params = wtforms_errors(form)
    days = {
        f"#{field.id}": f"#{field.id}-day"
        for field in form
        if isinstance(field.widget, GovDateInput)
    }
    for item in params["errorList"]:
        item["href"] = days.get(item["href"], item["href"])
    return params
