"""The evidence explorer's filter form: the report's fields under the report's names (from,
to, service_area, team, tool, audit_type), then the explorer's own (GET, so no CSRF token)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from qa_audit.core.form_fields import select, submit_button, text_input
from qa_audit.core.forms import FilterForm, choices
from qa_audit.evidence.search import MAX_QUERY_LENGTH

# The names the services' DomainError uses -> this form's fields.
FIELD_FOR = {"from": "from_month", "to": "to_month", "q": "search"}


class EvidenceForm(FilterForm):
    """Which months and audits, and which of their entries, the explorer shows."""

    search = text_input(
        "Search the evidence",
        name="q",
        max_length=MAX_QUERY_LENGTH,
        too_long=f"The search must be {MAX_QUERY_LENGTH} characters or fewer",
        description='For example, father. Every word must be found; put a phrase in "double '
        'quotes". Words are found in their other forms too ("father" finds "fathers").',
    )
    from_month = text_input(
        "From month", name="from", max_length=20, description="For example, 2024-02"
    )
    to_month = text_input("To month", name="to", max_length=20, description="For example, 2024-04")
    principle = select("Practice principle", validate_choice=False)
    kind = select("Kind of entry", validate_choice=False)
    grade = select("Final grade of the principle", validate_choice=False)
    theme = select("Learning theme", validate_choice=False)
    service_area = select("Service area", validate_choice=False)
    team = select("Team", validate_choice=False)
    tool = select("Audit tool version", validate_choice=False)
    audit_type = select("Audit type", validate_choice=False)
    submit = submit_button("Show evidence")

    def offer(
        self, name: str, options: Iterable[tuple[str, str, int | None]], blank: str | None
    ) -> None:
        """The options of one filter as (value, label, count): '(12)' beside each counted
        one; options counting nothing are left out unless chosen."""
        field = self._fields[name]
        chosen = (field.data or "").strip()
        shown = [
            (value, f"{label} ({count})" if count is not None else label)
            for value, label, count in options
            if count is None or count > 0 or value == chosen
        ]
        field.choices = choices(shown, blank=blank)


def counted(
    pairs: Iterable[tuple[Any, str, str]], counts: Counter[Any] | None
) -> list[tuple[str, str, int | None]]:
    """(value, label, count) from (id, value, label) and the counts by id (None: no counts)."""
    return [
        (value, label, None if counts is None else counts.get(key, 0))
        for key, value, label in pairs
    ]
