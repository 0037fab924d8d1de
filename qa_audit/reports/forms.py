"""The report page's filter form (GET, so no CSRF token: it changes nothing)."""

from __future__ import annotations

from qa_audit.core.errors import DomainError
from qa_audit.core.form_fields import select, submit_button, text_input
from qa_audit.core.forms import FilterForm, choices
from qa_audit.report_filters import month_label, parse_month

# The names the service's DomainError uses -> this form's fields.
FIELD_FOR = {"from": "from_month", "to": "to_month"}


class ReportForm(FilterForm):
    """Which months, and which audits, the report covers."""

    from_month = text_input(
        "From month",
        name="from",
        max_length=20,
        description="The first month, for example 2024-02",
    )
    to_month = text_input(
        "To month",
        name="to",
        max_length=20,
        description="The last month, for example 2024-04 (the same month for a monthly report)",
    )
    service_area = select("Service area", validate_choice=False)
    team = select("Team", validate_choice=False)
    tool = select("Audit tool version", validate_choice=False)
    audit_type = select("Audit type", validate_choice=False)
    trend_from = select(
        "Direction of travel",
        validate_choice=False,
        description="How far back the month-by-month figures and charts go",
    )
    submit = submit_button("Show report")

    def __init__(
        self,
        *args: object,
        areas: list[tuple[str, str]],
        teams: list[tuple[str, str]],
        tools: list[tuple[str, str]],
        audit_types: list[tuple[str, str]],
        any_area: bool = True,
        trend_starts: list[tuple[str, str]] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        starts = list(trend_starts or [])
        asked = (self.trend_from.data or "").strip()
        # A month asked for in the address (or by an earlier choice) stays chosen.
        if _real_month(asked) and asked not in {value for value, _ in starts}:
            starts.append((asked, f"From {month_label(asked)}"))
        self.trend_from.choices = choices(starts, blank="The 12 months to the end month")
        self.service_area.choices = choices(areas, blank="All service areas" if any_area else None)
        self.team.choices = choices(teams, blank="All teams")
        self.tool.choices = choices(tools, blank="All versions")
        self.audit_type.choices = choices(audit_types, blank="All types")


def _real_month(text: str) -> bool:
    """True when ``text`` is a month the report accepts (anything else: its check says why)."""
    try:
        parse_month(text)
    except DomainError:
        return False
    return True
