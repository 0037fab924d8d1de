"""Every safeguarding concern for those who respond to them (a service manager: their area's;
a QA lead: every area's), resolved ones included with their outcome and how long they were
open; filtered and paged. The pages join the safeguarding blueprint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.audits.safeguarding import concern_list
from qa_audit.audits.safeguarding.concern_list import AGES, ConcernState
from qa_audit.audits.safeguarding.views import bp
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.forms import FilterForm, FilterSelect, choices
from qa_audit.core.views import filtered_list_page, requested_page
from qa_audit.organisation.models import ServiceArea
from qa_audit.organisation.services import list_service_areas


class ConcernFilterForm(FilterForm):
    """Filters of the concerns list; the service area only for those who see every area."""

    state = FilterSelect("Status")
    service_area_id = FilterSelect("Service area")
    age = FilterSelect("Age")

    def __init__(self, areas: Sequence[ServiceArea], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = [(s.value, s.label) for s in ConcernState if s is not ConcernState.OPEN]
        self.state.choices = choices(states, blank=ConcernState.OPEN.label)
        self.service_area_id.choices = choices(((str(a.id), a.name) for a in areas), blank="Any")
        self.age.choices = choices(((value, label) for value, label, *_ in AGES), blank="Any age")

    def concern_state(self) -> ConcernState:
        given = self.given("state")
        return ConcernState(given) if given else ConcernState.OPEN


def _own_area_only() -> bool:
    """A service manager who is not also a QA lead sees their own area's concerns alone."""
    return not current_user.has_role(Role.QA_LEAD)


@bp.route("/safeguarding-concerns")
@case_level("safeguarding_concern")
@roles_required(Role.QA_LEAD, Role.SERVICE_MANAGER)
def concerns() -> ResponseReturnValue:
    own_only = _own_area_only()
    form = ConcernFilterForm([] if own_only else list_service_areas(), formdata=request.args)
    form.validate()
    state = form.concern_state()
    area_id = current_user.service_area_id if own_only else form.given_id("service_area_id")
    rows: list[concern_list.ConcernRow] = []
    paging = None
    if not own_only or area_id is not None:
        rows, paging = concern_list.concerns(state, area_id, form.given("age"), requested_page())
    note_listed(r.case_ref for r in rows)
    return filtered_list_page(
        "audits/safeguarding_concerns.html",
        form,
        rows,
        paging,
        ("safeguarding.concerns", "Pages of safeguarding concerns"),
        state=state,
        own_only=own_only,
        no_area=own_only and area_id is None,
    )
