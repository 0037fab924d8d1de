"""The error summary's link for a date reaches its Day box (``#<field>-day``), as GOV.UK date
inputs' errors do. Finding: the link pointed at the boxes' wrapper, which cannot take the
focus, so following it left the person above the boxes."""

from __future__ import annotations

from flask import Flask
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from qa_audit.audits.form_fields import DayMonthYearField
from qa_audit.core.form_fields import GovDateField, text_input
from qa_audit.core.forms import error_summary


class WhenForm(FlaskForm):
    name = text_input("Name", "Enter a name")
    due_on = GovDateField("Due date")
    held_on = DayMonthYearField("Date held", "date held")


def test_a_dates_error_links_to_its_day_box(app: Flask) -> None:
    with app.test_request_context(method="POST"):
        form = WhenForm(
            formdata=MultiDict(
                [
                    ("due_on", "31"),
                    ("due_on", "2"),
                    ("due_on", "2030"),
                    ("held_on", "1"),
                    ("held_on", ""),
                    ("held_on", "2024"),
                ]
            ),
            meta={"csrf": False},
        )
        assert not form.validate()
        links = {item["href"]: item["text"] for item in error_summary(form)["errorList"]}
        assert links == {
            "#name": "Enter a name",
            "#due_on-day": "Due date must be a real date",
            "#held_on-day": "The date held must include a month",
        }
        for field in (form.due_on, form.held_on):
            assert f'id="{field.id}-day" name="{field.name}"' in str(field())
