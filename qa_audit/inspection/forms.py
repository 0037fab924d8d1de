"""The inspection pack's period (GET, so no CSRF token: it changes nothing)."""

from __future__ import annotations

from qa_audit.core.form_fields import select, submit_button, text_input
from qa_audit.core.forms import FilterForm, choices

# The names the report's DomainError uses -> this form's fields.
FIELD_FOR = {"from": "from_month", "to": "to_month"}


class PackForm(FilterForm):
    """Which months, and which service area, the pack covers."""

    from_month = text_input(
        "From month", name="from", max_length=20, description="For example 2023-05"
    )
    to_month = text_input("To month", name="to", max_length=20, description="For example 2024-04")
    service_area = select("Service area", validate_choice=False)
    submit = submit_button("Show what the pack holds")

    def __init__(self, *args: object, areas: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.service_area.choices = choices(areas, blank="All service areas")
