"""The rota's home-page sections: an auditor's allocations and reminders; the QA lead's month."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from markupsafe import Markup

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.home import HOME_LIMIT, Link, Section, sections_receiver, view_all
from qa_audit.core.months import long_date, month_label
from qa_audit.rota import closing_the_loop as loops
from qa_audit.rota import services as rota
from qa_audit.rota.allocation_list import AllocationState, own_allocations
from qa_audit.rota.models import Allocation, AllocationStatus


def start_audit_url(allocation: Allocation) -> str:
    """Where "Start audit" goes: the audit start page, told the allocation and what it knows
    (case reference, service area, team), so the page can fill them in."""
    known: dict[str, Any] = {
        "allocation_id": allocation.id,
        "case_ref": allocation.case_ref,
        "service_area_id": allocation.service_area_id,
        "team_id": allocation.team_id,
    }
    return url_for("audits.new", **{k: v for k, v in known.items() if v is not None})


def due_tag(allocation: Allocation, today: date) -> Markup:
    """A GOV.UK tag saying how the allocation stands against its due date."""
    days = (allocation.due_on - today).days
    if allocation.status == AllocationStatus.COMPLETED:
        return Markup('<strong class="govuk-tag govuk-tag--green">Completed</strong>')
    if allocation.status == AllocationStatus.EXEMPTED:
        return Markup('<strong class="govuk-tag govuk-tag--grey">Exempted</strong>')
    if days < 0:
        return Markup('<strong class="govuk-tag govuk-tag--red">Overdue</strong>')
    if days <= rota.REMINDER_DAYS:
        text = "Due today" if days == 0 else f"Due in {days} day{'s' if days != 1 else ''}"
        return Markup('<strong class="govuk-tag govuk-tag--yellow">{}</strong>').format(text)
    return Markup('<strong class="govuk-tag govuk-tag--blue">Allotted</strong>')


def start_link(allocation: Allocation, started: tuple[int, str] | None) -> Markup:
    case = allocation.case_ref or allocation.service_area.name
    if started is not None:
        audit_id, reference = started
        href, text = url_for("audits.edit", audit_id=audit_id), f"Continue audit {reference}"
    else:
        href, text = start_audit_url(allocation), "Start audit"
    return Markup(
        '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> for {}</span></a>'
    ).format(href, text, case)


def rota_allocations(user: User) -> Section:
    """The auditor's open allocations, soonest due first: the first few, each with its
    "Start audit" (or "Continue audit") link, and the way to all of them."""
    today = local_today()
    shown, paging = own_allocations(user, per_page=HOME_LIMIT, today=today)
    started = rota.audits_to_continue(shown)
    return Section(
        title="Your rota allocations",
        count=paging.total,
        head=["Month", "Service area", "Case reference", "Due", "Status", "Action"]
        if shown
        else [],
        rows=[
            [
                month_label(a.month),
                a.service_area.name + (f": {a.team.name}" if a.team else ""),
                a.case_ref or "Your choice of case",
                long_date(a.due_on),
                due_tag(a, today),
                start_link(a, started.get(a.id)),
            ]
            for a in shown
        ],
        empty="No audits are allotted to you on the rota.",
        more=view_all(paging.total, url_for("rota.your_allocations"), "your rota allocations"),
    )


def rota_reminders(user: User) -> Section:
    """Reminders: the auditor's allocations due within 5 days, or overdue; the first few,
    and the way to all of them."""
    today = local_today()
    due = AllocationState.DUE_SOON
    shown, paging = own_allocations(user, due, per_page=HOME_LIMIT, today=today)
    return Section(
        title=f"Rota reminders: due within {rota.REMINDER_DAYS} days",
        count=paging.total,
        head=["Case reference", "Service area", "Due", "Status"] if shown else [],
        rows=[
            [
                a.case_ref or "Your choice of case",
                a.service_area.name,
                long_date(a.due_on),
                due_tag(a, today),
            ]
            for a in shown
        ],
        empty=f"Nothing on the rota is due in the next {rota.REMINDER_DAYS} days.",
        more=view_all(
            paging.total,
            url_for("rota.your_allocations", state=due.value),
            f"your allocations due within {rota.REMINDER_DAYS} days or overdue",
        ),
    )


def rota_this_month(user: User) -> Section:
    """The QA lead's view of this month's rota."""
    today = local_today()
    month = today.strftime("%Y-%m")
    total = rota.rota_completion(month, today=today)["total"]
    overdue = len(rota.overdue_allocations(today))
    return Section(
        title=f"Rota for {month_label(month)}",
        head=["Allotted", "Completed", "Exempted", "Outstanding", "Overdue (any month)"],
        rows=[
            [
                str(total["allotted"]),
                str(total["completed"]),
                str(total["exempted"]),
                str(total["outstanding"]),
                str(overdue),
            ]
        ],
        links=[
            Link("Open the rota", url_for("rota.index", month=month)),
            Link("Allot this month's audits", url_for("rota.allot_bulk", month=month)),
        ],
    )


def _act_on(prompt: loops.Prompt) -> Markup:
    return Markup(
        '<a class="govuk-link" href="{}">Schedule<span class="govuk-visually-hidden"> a '
        'closing-the-loop audit for {}</span></a> or <a class="govuk-link" href="{}">dismiss'
        '<span class="govuk-visually-hidden"> the prompt for {}</span></a>'
    ).format(
        url_for("closing_the_loop.schedule", audit_id=prompt.audit_id),
        prompt.reference,
        url_for("closing_the_loop.dismiss", audit_id=prompt.audit_id),
        prompt.reference,
    )


def closing_the_loop_prompts(user: User) -> Section:
    """The QA lead's audits whose actions are all done, waiting longest first: the first few,
    each to schedule or dismiss, and the way to all of them."""
    shown, paging = loops.prompts(per_page=HOME_LIMIT)
    return Section(
        title="Closing-the-loop audits to schedule",
        count=paging.total,
        head=["Audit", "Case reference", "Last action done", "Action"] if shown else [],
        rows=[
            [
                Markup('<a class="govuk-link" href="{}">{}</a>').format(
                    url_for("audits.show", audit_id=p.audit_id), p.reference
                ),
                p.case_ref,
                long_date(p.last_done.date()) if p.last_done else "",
                _act_on(p),
            ]
            for p in shown
        ],
        empty="No audit has all its actions done without a closing-the-loop audit.",
        more=view_all(
            paging.total, url_for("closing_the_loop.index"), "closing-the-loop audits to schedule"
        ),
        links=[
            Link(
                "See the dismissed closing-the-loop prompts",
                url_for("closing_the_loop.index", state="dismissed"),
            ),
            Link("Go to the actions centre", url_for("actions.centre")),
        ],
    )


# This part's sections of the home page (connected to signals.home_sections in init_app).
home_sections = sections_receiver(
    (Role.AUDITOR, rota_allocations),
    (Role.AUDITOR, rota_reminders),
    (Role.QA_LEAD, rota_this_month),
    (Role.QA_LEAD, closing_the_loop_prompts),
)
