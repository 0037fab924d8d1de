"""Forms of the actions pages: marking an action done, changing one, and the actions-centre
filters."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField

from qa_audit.actions.lists import ActionFilters
from qa_audit.actions.models import ActionSource, ActionStatus
from qa_audit.actions.services import DESCRIPTION_MAX, NOTE_MAX
from qa_audit.auth.models import User
from qa_audit.core.form_fields import (
    DateRequired,
    GovDateField,
    id_or_none,
    select,
    submit_button,
    text_area,
)
from qa_audit.core.forms import (
    FilterForm,
    FilterSelect,
    VersionedForm,
    by_name,
    choices,
    labelled,
)


class CompleteActionForm(VersionedForm):
    """Mark an action done: what was done (required)."""

    note = text_area(
        "What was done",
        "Enter a completion note: what was done",
        max_length=NOTE_MAX,
        too_long=f"The note must be {NOTE_MAX} characters or fewer",
        description="This completion note is kept with the action and shown to the QA lead.",
    )
    submit = submit_button("Mark as done")
    version_required = True


class ChangeActionForm(VersionedForm):
    """The QA lead changes an open action: its wording, its owner (someone who has left, say)
    or its due date."""

    description = text_area(
        "What is to be done",
        "Enter what needs to be done",
        max_length=DESCRIPTION_MAX,
        too_long=f"The action must be {DESCRIPTION_MAX} characters or fewer",
    )
    # Any id is let through to the service, which says why a person cannot own the action.
    owner_id = select(
        "Owner",
        coerce=id_or_none,
        validate_choice=False,
        description="Only people who may see what the action was set on are listed.",
    )
    due_on = GovDateField(
        "Due date",
        description="For example, 15 5 2025.",
        validators=[DateRequired("Enter the date the action is due")],
    )
    submit = submit_button("Save the changes")
    version_required = True

    def __init__(self, owners: list[User], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = choices(by_name(owners), blank="Choose who owns the action")


class ActionFilterForm(FilterForm):
    """Filters of the actions centre."""

    owner_id = FilterSelect("Owner")
    source = FilterSelect("Source")
    status = FilterSelect("Status")
    service_area_id = FilterSelect("Service area")
    overdue = BooleanField("Only overdue actions", widget=GovCheckboxInput())

    def __init__(
        self, owners: list[tuple[str, str]], areas: list[tuple[str, str]], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owner_id.choices = choices(owners, blank="Anyone")
        self.source.choices = choices(labelled(ActionSource), blank="Any")
        self.status.choices = choices(
            [(ActionStatus.OPEN.value, "Open"), (ActionStatus.DONE.value, "Done")], blank="Any"
        )
        self.service_area_id.choices = choices(areas, blank="Any")

    def filters(self) -> ActionFilters:
        """The filters given, leaving out any field that failed validation."""
        given = self.given
        return ActionFilters(
            owner_id=self.given_id("owner_id"),
            source=ActionSource(given("source")) if given("source") else None,
            status=ActionStatus(given("status")) if given("status") else None,
            overdue=bool(self.overdue.data),
            service_area_id=self.given_id("service_area_id"),
        )

    @property
    def active(self) -> bool:
        # The overdue tick box holds True or False, not text.
        return any(f.data for f in self)
