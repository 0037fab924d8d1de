"""GOV.UK form fields shared by the parts: text, password, select and choice fields declared
with their widget and the usual checks in one call, a day / month / year date, and a whole
number, each with plain-English messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol, TypeVar

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovDateInput,
    GovInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    Field,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, StopValidation

F_co = TypeVar("F_co", bound=Field, covariant=True)


class FieldFactory(Protocol[F_co]):
    """Declares a GOV.UK field: ``required`` is the message when it is left blank (or nothing
    chosen), then any ``validators``, then the length limit ``max_length`` (``too_long`` its
    message); other keywords go to the field."""

    def __call__(
        self,
        label: str,
        required: str | None = None,
        *,
        max_length: int | None = None,
        too_long: str | None = None,
        validators: Sequence[Any] = (),
        **kwargs: Any,
    ) -> F_co: ...


def _factory(field_class: type[F_co], widget_class: type[Any]) -> FieldFactory[F_co]:
    def declare(
        label: str,
        required: str | None = None,
        *,
        max_length: int | None = None,
        too_long: str | None = None,
        validators: Sequence[Any] = (),
        **kwargs: Any,
    ) -> F_co:
        checks: list[Any] = [InputRequired(required)] if required else []
        checks += validators
        if max_length is not None:
            checks.append(Length(max=max_length, message=too_long))
        return field_class(label, widget=widget_class(), validators=checks, **kwargs)

    return declare


class CharacterCount(GovCharacterCount):
    """The GOV.UK character count, its limit the field's own (shown live as the person types)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)
        params.setdefault("maxlength", self.limit)
        return params


def text_area(
    label: str,
    required: str | None = None,
    *,
    max_length: int | None = None,
    too_long: str | None = None,
    validators: Sequence[Any] = (),
    **kwargs: Any,
) -> TextAreaField:
    """A text box; with a limit, the GOV.UK character count shows it as the person types
    (every long text has one: the person learns of the limit before they send the form)."""
    checks: list[Any] = [InputRequired(required)] if required else []
    checks += validators
    if max_length is None:
        return TextAreaField(label, widget=GovTextArea(), validators=checks, **kwargs)
    checks.append(Length(max=max_length, message=too_long))
    # A line end counts once, as the count counts it: request input arrives with CR LF made LF
    # (qa_audit/core/request_input.py).
    return TextAreaField(label, widget=CharacterCount(max_length), validators=checks, **kwargs)


text_input = _factory(StringField, GovTextInput)
password_input = _factory(PasswordField, GovPasswordInput)
# Selects, checkboxes and radios get their choices when the form is built.
select = _factory(SelectField, GovSelect)
checkboxes = _factory(SelectMultipleField, GovCheckboxesInput)
radios = _factory(RadioField, GovRadioInput)


def id_or_none(value: Any) -> int | None:
    """A select's id as a number; None for its blank choice (a junk value fails the coercion)."""
    return int(value) if value not in (None, "", "None") else None


def submit_button(label: str) -> SubmitField:
    """The GOV.UK button that sends the form."""
    return SubmitField(label, widget=GovSubmitInput())


class GovDateField(DateField):
    """A GOV.UK date input (day, month, year boxes) read into a date, with plain messages."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, widget=GovDateInput(), format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        parts = [str(v).strip() for v in valuelist][:3]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        if not all(parts):
            raise ValueError(f"{self.label.text} must include a day, month and year")
        try:
            day, month, year = (int(p) for p in parts)
            self.data = date(year, month, day)
        except ValueError as error:
            raise ValueError(f"{self.label.text} must be a real date") from error
        if year < 1000:
            self.data = None
            raise ValueError(f"{self.label.text}: enter the year with 4 digits")


class DateRequired:
    """Stops with ``message`` when no part of a GOV.UK date was entered."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form: Any, field: GovDateField) -> None:
        if not any(field.raw_data or []):
            field.errors[:] = []
            raise StopValidation(self.message)


class GovNumberInput(GovInput):
    """A whole-number text input (GOV.UK: inputmode numeric, not type=number)."""

    input_type = "text"

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("inputmode", "numeric")
        params.setdefault("classes", "govuk-input--width-3")
        params.setdefault("spellcheck", False)
        return params


class WholeNumberField(IntegerField):
    """An IntegerField whose bad input gets a plain-English message."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError as error:
            self.data = None
            raise ValueError(f"{self.label.text} must be a whole number, like 2") from error
