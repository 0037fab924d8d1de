"""The list of safeguarding concerns for the people who respond to them: open ones first, the
not yet acknowledged before the acknowledged, oldest first; then the resolved, newest first.
Filtered by status, service area and age (working days since it was raised), and paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import Select, case, func, select

from qa_audit.audits.models import Audit, SafeguardingConcern
from qa_audit.audits.safeguarding.models import ConcernOutcome, ConcernStatus
from qa_audit.core.clock import LOCAL_TZ, local_today
from qa_audit.core.extensions import db
from qa_audit.core.paging import Paging
from qa_audit.core.working_days import is_working_day, working_days_between
from qa_audit.organisation.models import ServiceArea

PER_PAGE = 25


class ConcernState(Enum):
    """What the list shows: the open concerns unless asked otherwise."""

    OPEN = "open"
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    ANY = "any"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def statuses(self) -> list[str]:
        if self is ConcernState.OPEN:
            return [ConcernStatus.RAISED.value, ConcernStatus.ACKNOWLEDGED.value]
        if self is ConcernState.ANY:
            return [s.value for s in ConcernStatus]
        return [self.value]


_STATE_LABELS = {
    ConcernState.OPEN: "Open (not resolved)",
    ConcernState.RAISED: "Not acknowledged",
    ConcernState.ACKNOWLEDGED: "Acknowledged",
    ConcernState.RESOLVED: "Resolved",
    ConcernState.ANY: "Any status",
}


# Age bands, in working days since the concern was raised: (value, label, fewest, most).
AGES: list[tuple[str, str, int, int | None]] = [
    ("day", "Raised in the last working day", 0, 1),
    ("week", "Raised 2 to 5 working days ago", 2, 5),
    ("month", "Raised 6 to 20 working days ago", 6, 20),
    ("older", "Raised more than 20 working days ago", 21, None),
]


@dataclass(frozen=True)
class ConcernRow:
    concern_id: int
    audit_id: int
    audit_reference: str
    case_ref: str
    service_area: str
    raised_at: datetime
    status: str
    escalated_at: datetime | None
    outcome: str | None
    responded_at: datetime | None

    @property
    def resolved(self) -> bool:
        return self.status == ConcernStatus.RESOLVED.value

    @property
    def raised_on(self) -> date:
        return _local_day(self.raised_at)

    @property
    def outcome_label(self) -> str:
        return ConcernOutcome(self.outcome).label if self.outcome else ""

    def open_for(self) -> str:
        """How long a resolved concern stayed open, in working days."""
        if self.responded_at is None:
            return ""
        days = working_days_between(_local_day(self.raised_at), _local_day(self.responded_at))
        if days < 1:
            return "Resolved within a working day"
        return f"Resolved after {days} working day{'' if days == 1 else 's'}"


def _local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def earliest_day_within(today: date, working_days: int) -> date:
    """The earliest day raised on which a concern is at most ``working_days`` working days
    old today (working_days_between(day, today) <= working_days)."""
    day, counted = today, 0
    while True:
        step = 1 if is_working_day(day) else 0
        if counted + step > working_days:
            return day
        counted += step
        day -= timedelta(days=1)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def _age_band(query: Select[*tuple[Any, ...]], age: str, today: date) -> Select[*tuple[Any, ...]]:
    band = next((b for b in AGES if b[0] == age), None)
    if band is None:
        return query
    _value, _label, fewest, most = band
    raised = SafeguardingConcern.raised_at
    if fewest > 0:
        # At least ``fewest`` old: raised before the first day that is fewer days old.
        query = query.where(raised < _start_of(earliest_day_within(today, fewest - 1)))
    if most is not None:
        query = query.where(raised >= _start_of(earliest_day_within(today, most)))
    return query


def _query(
    state: ConcernState, service_area_id: int | None, age: str, today: date
) -> Select[*tuple[Any, ...]]:
    rank = case(
        (SafeguardingConcern.status == ConcernStatus.RAISED.value, 0),
        (SafeguardingConcern.status == ConcernStatus.ACKNOWLEDGED.value, 1),
        else_=2,
    )
    resolved_at = case(
        (
            SafeguardingConcern.status == ConcernStatus.RESOLVED.value,
            SafeguardingConcern.responded_at,
        ),
        else_=None,
    )
    query = (
        select(
            SafeguardingConcern.id,
            Audit.id,
            Audit.reference,
            Audit.case_ref,
            ServiceArea.name,
            SafeguardingConcern.raised_at,
            SafeguardingConcern.status,
            SafeguardingConcern.escalated_at,
            SafeguardingConcern.outcome,
            SafeguardingConcern.responded_at,
        )
        .join(Audit, Audit.id == SafeguardingConcern.audit_id)
        .join(ServiceArea, ServiceArea.id == SafeguardingConcern.service_area_id)
        .where(SafeguardingConcern.status.in_(state.statuses))
        # The most urgent first: waiting for acknowledgement, then being acted on (oldest
        # first), then the resolved, most recently resolved first.
        .order_by(rank, resolved_at.desc(), SafeguardingConcern.raised_at, SafeguardingConcern.id)
    )
    if service_area_id is not None:
        query = query.where(SafeguardingConcern.service_area_id == service_area_id)
    return _age_band(query, age, today)


def concerns(
    state: ConcernState = ConcernState.OPEN,
    service_area_id: int | None = None,
    age: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
    today: date | None = None,
) -> tuple[list[ConcernRow], Paging]:
    """One page of the concerns in ``state`` (of one service area and age band if given), the
    most urgent first, and its paging."""
    query = _query(state, service_area_id, age, today or local_today())
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    paging = Paging.clamp(page, per_page, total)
    rows = db.session.execute(query.limit(per_page).offset(paging.offset))
    return [ConcernRow(*row) for row in rows.all()], paging
