"""The open safeguarding concerns on the home pages of the people who respond to them: how
many, the most urgent few (one link each, to respond), and the way to all of them."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup

from qa_audit.audits.safeguarding.concern_list import ConcernRow, ConcernState, concerns
from qa_audit.audits.safeguarding.escalation import age, is_late
from qa_audit.audits.safeguarding.models import ConcernStatus
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.home import HOME_LIMIT, Link, Section, sections_receiver, view_all

TITLE = "Open safeguarding concerns"


def _status(concern: ConcernRow) -> str:
    if concern.status == ConcernStatus.ACKNOWLEDGED.value:
        return "Acknowledged"
    if is_late(concern.raised_at, concern.status):
        return "Not acknowledged in time" + (" (escalated)" if concern.escalated_at else "")
    return "Not acknowledged"


def _respond_link(concern: ConcernRow) -> Markup:
    return Markup(
        '<a class="govuk-link" href="{}"><span class="govuk-visually-hidden">Respond to the '
        "concern on audit </span>{}</a>"
    ).format(url_for("safeguarding.page", audit_id=concern.audit_id), concern.audit_reference)


def _section(service_area_id: int | None, empty: str) -> Section:
    shown, paging = concerns(ConcernState.OPEN, service_area_id, per_page=HOME_LIMIT)
    return Section(
        title=TITLE,
        count=paging.total,
        head=["Audit", "Case reference", "Service area", "Raised", "Status"],
        rows=[
            [
                _respond_link(c),
                c.case_ref,
                c.service_area,
                f"{c.raised_on.strftime('%-d %B %Y')} ({age(c.raised_at)})",
                _status(c),
            ]
            for c in shown
        ],
        empty=empty,
        more=view_all(paging.total, url_for("safeguarding.concerns"), "open safeguarding concerns"),
        links=[
            Link(
                "See every safeguarding concern, resolved ones included",
                url_for("safeguarding.concerns", state=ConcernState.ANY.value),
            )
        ],
    )


def service_manager_concerns(user: User) -> Section:
    """The open concerns of the service manager's own area."""
    if user.service_area_id is None:
        return Section(
            title=TITLE,
            empty="Your account has no service area, so no concerns can reach you. "
            "Ask an administrator to set it.",
        )
    return _section(user.service_area_id, "No open safeguarding concerns.")


def qa_lead_concerns(user: User) -> Section:
    """Every open concern, so that none is left without a response."""
    return _section(None, "No open safeguarding concerns in any service area.")


# This part's sections of the home page (connected to signals.home_sections in init_app).
home_sections = sections_receiver(
    (Role.SERVICE_MANAGER, service_manager_concerns),
    (Role.QA_LEAD, qa_lead_concerns),
)
