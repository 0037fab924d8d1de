"""Factories for the rota and dip samples, built through their services."""

from __future__ import annotations

from datetime import date

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.organisation.models import Team
from qa_audit.rota import services as rota
from qa_audit.rota.models import Allocation
from tests.factories import auth, organisation


def allocation(
    *,
    auditor: User | None = None,
    month: str = "2024-04",
    area_key: str = "locality",
    due_on: date | None = None,
    case_ref: str | None = None,
    team: Team | None = None,
    actor: User | None = None,
) -> Allocation:
    """One allotted allocation (an auditor is made if none is given)."""
    return rota.allot(
        actor,
        month=month,
        auditor=auditor or auth.user(Role.AUDITOR),
        service_area=organisation.service_area(area_key),
        due_on=due_on or date(int(month[:4]), int(month[5:]), 28),
        case_ref=case_ref,
        team=team,
    ).allocations[0]
