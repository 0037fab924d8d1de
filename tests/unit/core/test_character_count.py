"""Every text box with a limit shows the GOV.UK character count, so a person learns of the limit
as they type rather than from an error after sending the form (issue 16: "the GOV.UK
character-count component on every long text"). Only the audit's own boxes had it; the
safeguarding concern, moderation rationales, reflective conversations, dip samples, action
notes, rota reasons and calibration boxes did not."""

from __future__ import annotations

import importlib
import pkgutil

from flask import Flask
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import Form, TextAreaField
from wtforms.fields.core import UnboundField

import qa_audit
from qa_audit.core.form_fields import text_area


def form_classes() -> list[type[Form]]:
    for module in pkgutil.walk_packages(qa_audit.__path__, "qa_audit."):
        if ".migrations." not in module.name:
            importlib.import_module(module.name)
    found: list[type[Form]] = []
    pending: list[type[Form]] = [FlaskForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("qa_audit."):
                found.append(subclass)
    return found


def declared_text_boxes(form: type[Form]) -> dict[str, UnboundField]:
    return {
        name: value
        for name in dir(form)
        if isinstance(value := getattr(form, name), UnboundField)
        and issubclass(value.field_class, TextAreaField)
    }


def test_every_declared_text_box_has_the_character_count() -> None:
    boxes = {
        f"{form.__module__}.{form.__name__}.{name}": field
        for form in form_classes()
        for name, field in declared_text_boxes(form).items()
    }
    assert len(boxes) > 20  # the forms were found
    without = [
        where
        for where, field in boxes.items()
        if not isinstance(field.kwargs.get("widget"), GovCharacterCount)
    ]
    assert without == []


def test_a_limited_text_box_renders_the_count_with_its_limit(app: Flask) -> None:
    class Note(FlaskForm):
        note = text_area(
            "Note", max_length=500, too_long="The note must be 500 characters or fewer"
        )

    with app.test_request_context():
        html = str(Note(meta={"csrf": False}).note())
    assert 'data-module="govuk-character-count"' in html
    assert 'data-maxlength="500"' in html
