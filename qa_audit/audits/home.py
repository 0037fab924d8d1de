"""The auditor's home-page section: drafts and returned audits to finish, and a way to start."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup

from qa_audit.audits import services
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.home import HOME_LIMIT, Link, Section, sections_receiver, view_all


def my_draft_and_returned_audits(user: User) -> Section:
    """Audits the auditor still has to finish, each linked to its form."""
    audits = services.my_open_audits(user)
    rows = []
    for audit in audits[:HOME_LIMIT]:
        link = Markup('<a class="govuk-link" href="{}">{}</a>').format(
            url_for("audits.edit", audit_id=audit.id), audit.reference
        )
        status = audit.status_enum.label
        if audit.returned_reason:
            status = f"{status}: {audit.returned_reason}"
        rows.append(
            [
                link,
                audit.case_ref,
                audit.service_area.name,
                status,
                audit.audit_date.strftime("%-d %B %Y"),
            ]
        )
    return Section(
        title="My draft and returned audits",
        head=["Audit", "Case reference", "Service area", "Status", "Audit date"],
        rows=rows,
        empty="You have no audits in draft or returned to you.",
        links=[Link("Start an audit", url_for("audits.new"))],
        count=len(audits),
        more=view_all(len(audits), url_for("audit_lists.my_audits"), "your open audits"),
    )


# This part's sections of the home page (connected to signals.home_sections in init_app).
home_sections = sections_receiver(
    (Role.AUDITOR, my_draft_and_returned_audits),
)
