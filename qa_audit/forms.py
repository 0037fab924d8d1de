"""Form plumbing shared by every part: domain errors onto fields, WTForms 3.3 choices, and the
GOV.UK widgets' HTML kept for blank fields and lists of choices (remember_widget_html)."""

from __future__ import annotations

import marshal
import threading
from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovDateInput,
    GovInput,
    GovPasswordInput,
    GovSubmitInput,
    GovTextArea,
)
from markupsafe import Markup
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


# --- the GOV.UK widgets' HTML, kept ---------------------------------------------------------
#
# govuk-frontend-wtf renders every field through Flask's render_template and a GOV.UK macro: a
# select of 20 choices costs about 0.5 ms, and a page's filter form or comment form the same
# every time (make bench: the All audits filters were a third of the page's CPU). The HTML is
# a function of the macro's params alone (the widget templates read nothing else), so it is
# kept, keyed by the template and every param, for fields whose params carry nothing typed
# by a person: choices, buttons, and empty text fields. A field showing what someone typed
# (a form shown again with an error) is rendered afresh and never kept.

WIDGET_HTML_KEPT = 512  # about 2 MB at most
_kept_html: dict[tuple[str, bytes], Markup] = {}
_kept_lock = threading.Lock()
_TYPED_INTO = (GovInput, GovTextArea, GovCharacterCount, GovPasswordInput)


def _key(template: str, params: dict[str, Any]) -> tuple[str, bytes] | None:
    """The params as bytes (marshal: C speed), or None if they hold anything but plain dicts,
    lists, str, numbers, booleans and None. marshal writes only those exact types, so Markup
    (rendered unescaped, unlike the same text as str) or an enum makes the widget render
    afresh, and it tells True from 1 and keeps the dicts' order (attributes render in it).
    Format 2: no back-references, so equal params always give the same bytes."""
    try:
        return template, marshal.dumps(params, 2)
    except ValueError:
        return None


def _keeps(widget: GovFormBase, params: dict[str, Any]) -> bool:
    if isinstance(widget, GovDateInput):
        return False  # the day, month and year are typed into its items
    if isinstance(widget, _TYPED_INTO) and not isinstance(widget, GovSubmitInput):
        return not params.get("value")
    return True  # selects, radios, checkboxes, buttons: their values are the choices


def remember_widget_html() -> None:
    """Keep the HTML of GOV.UK widgets rendered with the same params (see above); once per
    process, whatever the number of apps."""
    render = GovFormBase.render
    if getattr(render, "keeps_html", False):
        return

    def kept_render(self: GovFormBase, params: dict[str, Any]) -> Markup:
        if not _keeps(self, params):
            return render(self, params)  # type: ignore[no-any-return]
        key = _key(self.template, params)  # type: ignore[attr-defined]
        if key is None:
            return render(self, params)  # type: ignore[no-any-return]
        html = _kept_html.get(key)
        if html is None:
            html = render(self, params)
            with _kept_lock:
                if len(_kept_html) >= WIDGET_HTML_KEPT:
                    _kept_html.clear()
                _kept_html[key] = html
        return html

    kept_render.keeps_html = True  # type: ignore[attr-defined]
    GovFormBase.render = kept_render  # type: ignore[method-assign]
