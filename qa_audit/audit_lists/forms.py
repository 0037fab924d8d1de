"""The All audits filter form (a GET form: no CSRF token, values in the query string)."""

from __future__ import annotations

from typing import Any

from wtforms import StringField
from wtforms.validators import ValidationError

from qa_audit.audit_lists.queries import AuditFilters, check_month
from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.audits.models import AuditStatus, AuditType
from qa_audit.core.form_fields import text_input
from qa_audit.core.forms import FilterForm, FilterSelect, choices, labelled


class AuditFilterForm(FilterForm):
    """Filters of the All audits list."""

    month = text_input("Month submitted", description="For example, 2024-04")
    service_area_id = FilterSelect("Service area")
    team_id = FilterSelect("Team")
    grade = FilterSelect("Final grade")
    status = FilterSelect("Status")
    tool_id = FilterSelect("Audit tool")
    audit_type = FilterSelect("Audit type")

    def __init__(self, options: dict[str, list[tuple[str, str]]], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.service_area_id.choices = choices(options["service_area_id"], blank="Any")
        self.team_id.choices = choices(options["team_id"], blank="Any")
        self.grade.choices = choices(labelled(GRADED), blank="Any")
        self.status.choices = choices(labelled(AuditStatus), blank="Any")
        self.tool_id.choices = choices(options["tool_id"], blank="Any")
        self.audit_type.choices = choices(labelled(AuditType), blank="Any")

    def validate_month(self, field: StringField) -> None:
        if field.data and field.data.strip():
            try:
                field.data = check_month(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from error

    def filters(self) -> AuditFilters:
        """The filters given, leaving out any field that failed validation."""
        given = self.given
        return AuditFilters(
            month=given("month") or None,
            service_area_id=self.given_id("service_area_id"),
            team_id=self.given_id("team_id"),
            grade=Grade(given("grade")) if given("grade") else None,
            status=AuditStatus(given("status")) if given("status") else None,
            tool_id=self.given_id("tool_id"),
            audit_type=AuditType(given("audit_type")) if given("audit_type") else None,
        )
