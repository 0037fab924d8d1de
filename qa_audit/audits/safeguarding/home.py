"""The open safeguarding concerns on the home pages of the people who respond to them."""

from __future__ import annotations

from flask import url_for

from qa_audit.audits.links import audit_link
from qa_audit.audits.safeguarding.escalation import age, is_late
from qa_audit.audits.safeguarding.services import OpenConcern, open_concerns
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.home import Link, Section, sections_receiver


def _status(concern: OpenConcern) -> str:
    if concern.acknowledged:
        return "Acknowledged"
    if is_late(concern.raised_at, concern.status):
        return "Not acknowledged in time" + (" (escalated)" if concern.escalated_at else "")
    return "Not acknowledged"


def _section(concerns: list[OpenConcern], empty: str) -> Section:
    return Section(
        title="Open safeguarding concerns",
        count=len(concerns),
        head=["Audit", "Case reference", "Service area", "Raised", "Status"],
        rows=[
            [
                audit_link(c.audit_id, c.audit_reference),
                c.case_ref,
                c.service_area,
                f"{c.raised_at.strftime('%-d %B %Y')} ({age(c.raised_at)})",
                _status(c),
            ]
            for c in concerns
        ],
        empty=empty,
        links=[
            Link(
                f"Respond to the concern on audit {reference}",
                url_for("safeguarding.page", audit_id=audit_id),
            )
            for audit_id, reference in dict.fromkeys(
                (c.audit_id, c.audit_reference) for c in concerns
            )
        ],
    )


def service_manager_concerns(user: User) -> Section:
    """The open concerns of the service manager's own area."""
    if user.service_area_id is None:
        return Section(
            title="Open safeguarding concerns",
            empty="Your account has no service area, so no concerns can reach you. "
            "Ask an administrator to set it.",
        )
    return _section(open_concerns(user.service_area_id), "No open safeguarding concerns.")


def qa_lead_concerns(user: User) -> Section:
    """Every open concern, so that none is left without a response."""
    return _section(open_concerns(), "No open safeguarding concerns in any service area.")


# This part's sections of the home page (connected to signals.home_sections in init_app).
home_sections = sections_receiver(
    (Role.SERVICE_MANAGER, service_manager_concerns),
    (Role.QA_LEAD, qa_lead_concerns),
)
