"""Forms of the actions pages: marking an action done, and the actions-centre filters."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from qa_audit.actions.lists import ActionFilters
from qa_audit.actions.models import ActionSource, ActionStatus
from qa_audit.actions.services import NOTE_MAX
from qa_audit.core.forms import FilterSelect, VersionedForm, choices


class CompleteActionForm(VersionedForm):
    """Mark an action done: what was done (required)."""

    note = TextAreaField(
        "What was done",
        widget=GovTextArea(),
        description="This completion note is kept with the action and shown to the QA lead.",
        validators=[
            InputRequired("Enter a completion note: what was done"),
            Length(max=NOTE_MAX, message=f"The note must be {NOTE_MAX} characters or fewer"),
        ],
    )
    submit = SubmitField("Mark as done", widget=GovSubmitInput())
    version_required = True


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class ActionFilterForm(FlaskForm):
    """Filters of the actions centre (a GET form)."""

    class Meta:
        csrf = False

    owner_id = FilterSelect("Owner", widget=GovSelect(), default="")
    source = FilterSelect("Source", widget=GovSelect(), default="")
    status = FilterSelect("Status", widget=GovSelect(), default="")
    service_area_id = FilterSelect("Service area", widget=GovSelect(), default="")
    overdue = BooleanField("Only overdue actions", widget=GovCheckboxInput())

    def __init__(
        self, owners: list[tuple[str, str]], areas: list[tuple[str, str]], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = choices([("", "Anyone"), *owners])
        self.source.choices = choices([("", "Any"), *((s.value, s.label) for s in ActionSource)])
        self.status.choices = choices(
            [("", "Any"), (ActionStatus.OPEN.value, "Open"), (ActionStatus.DONE.value, "Done")]
        )
        self.service_area_id.choices = choices([("", "Any"), *areas])

    def filters(self) -> ActionFilters:
        """The filters given, leaving out any field that failed validation."""

        def ok(name: str) -> str:
            field = self._fields[name]
            return "" if field.errors else (field.data or "")

        return ActionFilters(
            owner_id=_int(ok("owner_id")),
            source=ActionSource(ok("source")) if ok("source") else None,
            status=ActionStatus(ok("status")) if ok("status") else None,
            overdue=bool(self.overdue.data),
            service_area_id=_int(ok("service_area_id")),
        )

    @property
    def active(self) -> bool:
        return any(f.data for f in self)
