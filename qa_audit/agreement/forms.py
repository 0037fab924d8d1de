"""The agreement page's filters: the report's period and filters (the same names in the
address, so a report's query opens the same audits here) and what to break the figures down
by. A GET form: it changes nothing, so it carries no CSRF token."""

from __future__ import annotations

from sqlalchemy import select as select_rows

from qa_audit.agreement.services import Dimension
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.models import AuditType
from qa_audit.core.extensions import db
from qa_audit.core.form_fields import select, submit_button, text_input
from qa_audit.core.forms import FilterForm, choices
from qa_audit.organisation.models import ServiceArea, Team

# The names the filters' DomainError uses -> this form's fields.
FIELD_FOR = {"from": "from_month", "to": "to_month"}


class AgreementForm(FilterForm):
    """Which months and audits the agreement figures cover, and the breakdown."""

    from_month = text_input(
        "From month",
        name="from",
        max_length=20,
        description="The first month, for example 2024-02",
    )
    to_month = text_input(
        "To month", name="to", max_length=20, description="The last month, for example 2025-01"
    )
    service_area = select("Service area", validate_choice=False)
    team = select("Team", validate_choice=False)
    tool = select("Audit tool version", validate_choice=False)
    audit_type = select("Audit type", validate_choice=False)
    by = select("Break down by", validate_choice=False)
    submit = submit_button("Show agreement")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        areas = db.session.execute(
            select_rows(ServiceArea.key, ServiceArea.name).order_by(ServiceArea.name)
        )
        teams = db.session.execute(
            select_rows(Team.id, ServiceArea.name, Team.name)
            .join(ServiceArea, ServiceArea.id == Team.service_area_id)
            .order_by(ServiceArea.name, Team.name)
        )
        tools = db.session.execute(
            select_rows(AuditTool.key, AuditTool.name).order_by(AuditTool.launched_on.desc())
        )
        self.service_area.choices = choices(
            [(key, name) for key, name in areas], blank="All service areas"
        )
        self.team.choices = choices(
            [(str(i), f"{area}: {team}") for i, area, team in teams], blank="All teams"
        )
        self.tool.choices = choices(
            [(key, f"{name} ({key})") for key, name in tools], blank="All versions"
        )
        self.audit_type.choices = choices(
            [(t.value, t.label) for t in AuditType], blank="All types"
        )
        self.by.choices = choices([(d.value, d.label) for d in Dimension])

    def dimension(self) -> Dimension:
        """The breakdown asked for (by domain unless another is named)."""
        try:
            return Dimension(self.given("by") or Dimension.DOMAIN.value)
        except ValueError:
            return Dimension.DOMAIN
