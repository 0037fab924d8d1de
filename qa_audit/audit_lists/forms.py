"""The All audits filter form (a GET form: no CSRF token, values in the query string)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import StringField
from wtforms.validators import ValidationError

from qa_audit.audit_lists.queries import AuditFilters, check_month
from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.audits.models import AuditStatus, AuditType
from qa_audit.core.forms import FilterSelect, choices


def _int(value: str) -> int | None:
    return int(value) if value and value.isdigit() else None


class AuditFilterForm(FlaskForm):
    """Filters of the All audits list."""

    class Meta:
        csrf = False

    month = StringField(
        "Month submitted",
        widget=GovTextInput(),
        description="For example, 2024-04",
    )
    service_area_id = FilterSelect("Service area", widget=GovSelect(), default="")
    team_id = FilterSelect("Team", widget=GovSelect(), default="")
    grade = FilterSelect("Final grade", widget=GovSelect(), default="")
    status = FilterSelect("Status", widget=GovSelect(), default="")
    tool_id = FilterSelect("Audit tool", widget=GovSelect(), default="")
    audit_type = FilterSelect("Audit type", widget=GovSelect(), default="")

    def __init__(self, options: dict[str, list[tuple[str, str]]], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.service_area_id.choices = choices([("", "Any"), *options["service_area_id"]])
        self.team_id.choices = choices([("", "Any"), *options["team_id"]])
        self.grade.choices = choices([("", "Any"), *((g.value, g.label) for g in GRADED)])
        self.status.choices = choices([("", "Any"), *((s.value, s.label) for s in AuditStatus)])
        self.tool_id.choices = choices([("", "Any"), *options["tool_id"]])
        self.audit_type.choices = choices([("", "Any"), *((t.value, t.label) for t in AuditType)])

    def validate_month(self, field: StringField) -> None:
        if field.data and field.data.strip():
            try:
                field.data = check_month(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from error

    def filters(self) -> AuditFilters:
        """The filters given, leaving out any field that failed validation."""

        def ok(name: str) -> str:
            field = self._fields[name]
            return "" if field.errors else (field.data or "").strip()

        return AuditFilters(
            month=ok("month") or None,
            service_area_id=_int(ok("service_area_id")),
            team_id=_int(ok("team_id")),
            grade=Grade(ok("grade")) if ok("grade") else None,
            status=AuditStatus(ok("status")) if ok("status") else None,
            tool_id=_int(ok("tool_id")),
            audit_type=AuditType(ok("audit_type")) if ok("audit_type") else None,
        )

    @property
    def active(self) -> bool:
        return any((f.data or "").strip() for f in self)
