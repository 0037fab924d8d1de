"""The GOV.UK widgets' HTML kept for the same params (qa_audit.forms.remember_widget_html):
the same HTML as a fresh render, rendered once, and never kept for what a person typed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask, render_template, template_rendered
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from markupsafe import Markup
from wtforms import Form, StringField, SubmitField, TextAreaField

from qa_audit.forms import FilterSelect, choices


class Filters(Form):
    area = FilterSelect("Service area", widget=GovSelect(), default="")
    month = StringField(
        "Month submitted", widget=GovTextInput(), description="For example, 2024-04"
    )
    note = TextAreaField("Note", widget=GovTextArea())
    apply = SubmitField("Apply filters", widget=GovSubmitInput())


def filters(**data: str) -> Filters:
    from werkzeug.datastructures import MultiDict

    form = Filters(MultiDict(data))
    form.area.choices = choices([("", "Any"), ("1", "Front door"), ("2", "Locality <North>")])
    form.validate()
    return form


@contextmanager
def renders(app: Flask) -> Iterator[list[str]]:
    """The names of the templates rendered meanwhile."""
    names: list[str] = []

    def note(sender: Flask, template, context, **extra) -> None:  # type: ignore[no-untyped-def]
        names.append(template.name)

    template_rendered.connect(note, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(note, app)


def fresh(widget, field, **kwargs) -> str:  # type: ignore[no-untyped-def]
    """The field as govuk-frontend-wtf renders it, nothing kept."""
    kwargs.setdefault("id", field.id)
    if isinstance(widget, GovSelect):
        kwargs["items"] = [
            {"text": label, "value": value, "selected": selected}
            for value, label, selected, _ in field.iter_choices()
        ]
    elif "value" not in kwargs:
        kwargs["value"] = field._value()
    params = widget.map_gov_params(field, **kwargs)
    return render_template(widget.template, params=params)


@pytest.mark.parametrize(
    "data",
    [{}, {"area": "2"}, {"area": "9"}],  # nothing chosen, a choice, a choice not in the list
    ids=["blank", "chosen", "refused"],
)
def test_a_select_is_rendered_once_and_the_same(app: Flask, data: dict[str, str]) -> None:
    with app.test_request_context():
        form = filters(**data)
        expected = fresh(form.area.widget, form.area, params={"classes": "govuk-!-width-full"})
        with renders(app) as rendered:
            first = form.area(params={"classes": "govuk-!-width-full"})
            again = filters(**data).area(params={"classes": "govuk-!-width-full"})
        assert str(first) == str(again) == expected
        assert "Locality &lt;North&gt;" in first
        assert ('value="2" selected' in first) is (data == {"area": "2"})
        assert ("Select a service area from the list" in first) is (data == {"area": "9"})
        # Kept from an earlier test, or rendered once here: never twice.
        assert rendered.count("govuk_frontend_wtf/select.html") <= 1


def test_what_a_person_typed_is_never_kept(app: Flask) -> None:
    with app.test_request_context():
        typed = filters(month="2024-13 secret", note="A note about the child")
        with renders(app) as rendered:
            for _ in range(2):
                assert 'value="2024-13 secret"' in typed.month()
                assert "A note about the child" in typed.note()
        assert rendered.count("govuk_frontend_wtf/input.html") == 2
        assert rendered.count("govuk_frontend_wtf/textarea.html") == 2
        blank = filters()
        with renders(app) as rendered:
            for _ in range(3):
                assert 'name="month" type="text"' in blank.month()
                assert "Apply filters" in blank.apply()
        assert rendered.count("govuk_frontend_wtf/input.html") <= 1
        assert rendered.count("govuk_frontend_wtf/button.html") <= 1


def test_markup_and_text_are_not_mistaken_for_each_other(app: Flask) -> None:
    with app.test_request_context():
        form = filters()
        as_text = form.area(params={"hint": {"text": "<b>Bold</b>"}})
        as_html = form.area(params={"hint": {"html": Markup("<b>Bold</b>")}})
        again_text = form.area(params={"hint": {"text": "<b>Bold</b>"}})
        assert "&lt;b&gt;Bold&lt;/b&gt;" in as_text and "<b>" not in as_text
        assert "<b>Bold</b>" in as_html
        assert again_text == as_text
