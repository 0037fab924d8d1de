"""Fields of the audit forms: GOV.UK day / month / year dates with the service's messages,
choices whose ids come as text, and required checks that leave out the HTML attribute (GOV.UK
pages validate on the server, and a draft may be saved with any field empty)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar

from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, ValidationError

from qa_audit.core.form_fields import text_area
from qa_audit.core.url_ids import MAX_ID


class Needed(InputRequired):
    """InputRequired without the HTML ``required`` attribute (GOV.UK pages validate on the server,
    and a draft may be saved with any field empty)."""

    field_flags: ClassVar[dict[str, bool]] = {}


class Chosen(DataRequired):
    """DataRequired (a choice made) without the HTML ``required`` attribute."""

    field_flags: ClassVar[dict[str, bool]] = {}


def optional_int(value: object) -> int | None:
    """An id from a form or query string; None when missing, not a number, or beyond any id."""
    if value in (None, "", "None"):
        return None
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if abs(number) <= MAX_ID else None


class DayMonthYearInput(GovDateInput):
    """The GOV.UK date input: boxes ``<field>-day``, ``-month``, ``-year``, as GOV.UK's own (an
    error link goes to the Day box: core.forms.error_summary)."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict:
        params = GovFormBase.map_gov_params(self, field, **kwargs)
        raw = list(field.raw_data or [])
        if len(raw) == 3:
            day, month, year = raw
        elif field.data:
            day, month, year = str(field.data.day), str(field.data.month), str(field.data.year)
        else:
            day = month = year = ""
        error = " govuk-input--error" if field.errors else ""
        params["id"] = f"{field.id}-date"
        params.setdefault("fieldset", {"legend": {"text": field.label.text}})
        params["items"] = [
            {
                "label": "Day",
                "id": f"{field.id}-day",
                "name": field.name,
                "value": day,
                "classes": "govuk-input--width-2" + error,
            },
            {
                "label": "Month",
                "id": f"{field.id}-month",
                "name": field.name,
                "value": month,
                "classes": "govuk-input--width-2" + error,
            },
            {
                "label": "Year",
                "id": f"{field.id}-year",
                "name": field.name,
                "value": year,
                "classes": "govuk-input--width-4" + error,
            },
        ]
        return params


class DayMonthYearField(DateField):
    """A date typed as day, month and year boxes, with GOV.UK's plain-English messages."""

    widget = DayMonthYearInput()

    def __init__(self, label: str, what: str, **kwargs: Any) -> None:
        super().__init__(label, format="%d %m %Y", **kwargs)
        self.what = what

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        parts = [v.strip() for v in valuelist[:3]] + [""] * (3 - len(valuelist[:3]))
        self.data = None
        if not any(parts):
            return
        missing = [name for name, v in zip(("day", "month", "year"), parts, strict=True) if not v]
        if missing:
            raise ValueError(f"The {self.what} must include a {' and '.join(missing)}")
        if not all(re.fullmatch(r"\d+", v) for v in parts):
            raise ValueError(f"The {self.what} must be in numbers, for example 27 3 2025")
        if len(parts[2]) != 4:
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except (ValueError, OverflowError) as error:  # a day of 99999999999999999999
            raise ValueError(f"The {self.what} must be a real date") from error


def date_required(message: str) -> Any:
    def check(form: Any, field: Any) -> None:
        if field.data is None and not field.process_errors:
            raise ValidationError(message)

    return check


def long_text(
    label: str,
    max_len: int,
    too_long: str,
    *,
    description: str = "",
    validators: Iterable[Any] = (),
) -> TextAreaField:
    """A long text with the GOV.UK character count showing its limit as the person types."""
    return text_area(
        label,
        max_length=max_len,
        too_long=too_long,
        validators=list(validators),
        description=description,
    )
