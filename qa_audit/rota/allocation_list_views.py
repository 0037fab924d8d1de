"""The auditor's own allocations, every one of them (the home page shows the first few):
filtered by month and status, paged. The page joins the rota's blueprint."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.audits.links import audit_link
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.forms import FilterForm, FilterSelect, choices
from qa_audit.core.months import long_date, month_label
from qa_audit.core.views import filtered_list_page, requested_page
from qa_audit.rota import services as rota
from qa_audit.rota.allocation_list import (
    AllocationState,
    audits_done,
    months_of,
    own_allocations,
)
from qa_audit.rota.home import due_tag, start_link
from qa_audit.rota.models import Allocation, AllocationStatus
from qa_audit.rota.views import bp


class AllocationFilterForm(FilterForm):
    """Filters of the auditor's allocations."""

    state = FilterSelect("Status")
    month = FilterSelect("Month")

    def __init__(self, months: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = [(s.value, s.label) for s in AllocationState if s is not AllocationState.OPEN]
        self.state.choices = choices(states, blank=AllocationState.OPEN.label)
        self.month.choices = choices(((m, month_label(m)) for m in months), blank="Any month")

    def allocation_state(self) -> AllocationState:
        given = self.given("state")
        return AllocationState(given) if given else AllocationState.OPEN


def _actions(allocations: list[Allocation]) -> dict[int, Markup]:
    """Each allocation's one link: start or continue its audit while open, the audit that
    completed it once completed; none for an exempted one."""
    started = rota.audits_to_continue(allocations)
    done = audits_done(allocations)
    links: dict[int, Markup] = {}
    for a in allocations:
        if a.status == AllocationStatus.ALLOTTED.value:
            links[a.id] = start_link(a, started.get(a.id))
        elif a.id in done:
            links[a.id] = audit_link(*done[a.id])
    return links


@bp.route("/yours")
@case_level("allocation")
@roles_required(Role.AUDITOR)
def your_allocations() -> ResponseReturnValue:
    form = AllocationFilterForm(months_of(current_user), formdata=request.args)
    form.validate()
    state = form.allocation_state()
    today = local_today()
    rows, paging = own_allocations(
        current_user, state, form.given("month"), requested_page(), today=today
    )
    note_listed(a.case_ref for a in rows)
    return filtered_list_page(
        "rota/your_allocations.html",
        form,
        rows,
        paging,
        ("rota.your_allocations", "Pages of your allocations"),
        state=state,
        actions=_actions(rows),
        tags={a.id: due_tag(a, today) for a in rows},
        month_label=month_label,
        long_date=long_date,
    )
