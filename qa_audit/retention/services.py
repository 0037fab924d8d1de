"""The council's retention schedule: records past it lose their case references and free text,
keeping what the reports count (docs/retention.md).

A record is past the schedule once ``months`` whole months have gone by since the end of the
month it counts in: an audit's submission month (the month the reports count it in; the
month of its audit date for one never submitted), a rota allocation's month, a dip sample's
completion month (its period's last month while it is in progress), a calibration round on a
case to be read its closing month (a round on an audit goes with the audit)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from flask import current_app, has_app_context
from sqlalchemy import and_, case, func, literal, or_, select, update
from sqlalchemy.orm import lazyload

from qa_audit.audits.models import Audit
from qa_audit.calibration.models import CalibrationRound, RoundStatus
from qa_audit.changelog.services import record_change
from qa_audit.core import signals
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.months import add_months, first_day, long_date, month_of
from qa_audit.dip_samples.models import DipSample, DipSampleStatus
from qa_audit.retention.parts import (
    ALLOCATION_PARTS,
    AUDIT_PARTS,
    CALIBRATION_ROUND_PARTS,
    CASE_REF_REMOVED,
    DIP_SAMPLE_PARTS,
    Part,
)
from qa_audit.rota.models import Allocation

T = TypeVar("T")

MARKER_PREFIX = "Removed under the retention schedule"
# Owners handled a batch at a time: a few statements per table per batch, whatever the number
# of records, and an IN list well inside every database's limit on bound values.
BATCH = 500

OFF_MESSAGE = (
    "The retention schedule is off (QA_AUDIT_RETENTION_MONTHS is 0): set it to the number of "
    "months the council keeps case references and free text after an audit's month"
)


@dataclass(frozen=True)
class Schedule:
    """The schedule as it applies on ``today``."""

    months: int
    today: date

    @property
    def keep_from(self) -> str:
        """The oldest month whose records are still kept whole."""
        return add_months(month_of(self.today), -self.months)

    @property
    def marker(self) -> str:
        """What removed free text reads as."""
        return f"{MARKER_PREFIX} on {long_date(self.today)}"


def schedule(months: int, today: date | None = None) -> Schedule:
    """The schedule for ``months`` (the setting); refused when it is off (0)."""
    if months <= 0:
        raise DomainError(OFF_MESSAGE)
    return Schedule(months, today or local_today())


@dataclass(frozen=True)
class Due:
    """One record past the schedule: its id, its reference (an audit's; blank for others), its
    month, and how many values it holds that would be removed."""

    kind: str
    id: int
    label: str
    month: str
    values: int


@dataclass
class Plan:
    """Everything past the schedule, by kind of record."""

    schedule: Schedule
    audits: list[Due] = field(default_factory=list)
    allocations: list[Due] = field(default_factory=list)
    dip_samples: list[Due] = field(default_factory=list)
    calibration_rounds: list[Due] = field(default_factory=list)

    @property
    def all(self) -> list[Due]:
        return [*self.audits, *self.allocations, *self.dip_samples, *self.calibration_rounds]

    @property
    def records(self) -> int:
        return len(self.all)

    @property
    def values(self) -> int:
        return sum(d.values for d in self.all)


# --- what is past the schedule ---------------------------------------------------------------


def _audits_due(s: Schedule) -> Any:
    return and_(
        Audit.anonymised_at.is_(None),
        or_(
            Audit.submitted_month < s.keep_from,
            and_(Audit.submitted_month.is_(None), Audit.audit_date < first_day(s.keep_from)),
        ),
    )


def _audits(s: Schedule) -> list[tuple[int, str, str]]:
    rows = db.session.execute(
        select(Audit.id, Audit.reference, Audit.submitted_month, Audit.audit_date)
        .where(_audits_due(s))
        .order_by(Audit.id)
    )
    return [(i, ref, month or month_of(day)) for i, ref, month, day in rows]


def _allocations(s: Schedule) -> list[tuple[int, str, str]]:
    """Allocations of an earlier month, or of an audit past the schedule, that still name a
    case or hold an exemption's reason."""
    of_audits = select(Audit.allocation_id).where(_audits_due(s), Audit.allocation_id.is_not(None))
    holding = or_(
        Allocation.case_ref.is_not(None),
        and_(
            Allocation.exemption_reason.is_not(None),
            Allocation.exemption_reason.not_like(f"{MARKER_PREFIX}%"),
        ),
    )
    rows = db.session.execute(
        select(Allocation.id, Allocation.month)
        .where(or_(Allocation.month < s.keep_from, Allocation.id.in_(of_audits)), holding)
        .order_by(Allocation.id)
    )
    return [(i, "", month) for i, month in rows]


def _dip_samples(s: Schedule) -> list[tuple[int, str, str]]:
    completed = DipSample.status == DipSampleStatus.COMPLETED.value
    rows = db.session.execute(
        select(DipSample.id, DipSample.completed_on, DipSample.period_to)
        .where(
            DipSample.anonymised_at.is_(None),
            or_(
                and_(completed, DipSample.completed_on < first_day(s.keep_from)),
                and_(~completed, DipSample.period_to < s.keep_from),
            ),
        )
        .order_by(DipSample.id)
    )
    return [(i, "", month_of(on) if on else to) for i, on, to in rows]


def _calibration_rounds(s: Schedule) -> list[tuple[int, str, str]]:
    """Rounds on a case to be read that still name it, past the schedule from the day they
    closed: the deadline, or the day the QA lead closed the round if that came first."""
    first_kept = first_day(s.keep_from)
    closed = CalibrationRound.status == RoundStatus.CLOSED.value
    rows = db.session.execute(
        select(CalibrationRound.id, CalibrationRound.deadline, CalibrationRound.closed_at)
        .where(
            CalibrationRound.audit_id.is_(None),
            CalibrationRound.case_ref != CASE_REF_REMOVED,
            or_(
                CalibrationRound.deadline < first_kept,
                and_(
                    closed, CalibrationRound.closed_at < datetime.combine(first_kept, time(), UTC)
                ),
            ),
        )
        .order_by(CalibrationRound.id)
    )
    return [
        (i, "", month_of(min(deadline, closed_at.date()) if closed_at else deadline))
        for i, deadline, closed_at in rows
    ]


# --- counting and removing -------------------------------------------------------------------


def _batches(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _held(part: Part, name: str) -> Any:
    """1 where the column holds something to remove, else 0."""
    column = part.table.c[name]
    return case((func.coalesce(column, "") == "", 0), else_=1)


def _count(part: Part, ids: Sequence[int], counts: dict[int, int]) -> None:
    rows = part.rows(ids).subquery()
    held = sum((_held(part, name) for name in part.columns), literal(0))
    result = db.session.execute(
        select(rows.c.owner, func.sum(held))
        .join(part.table, part.key_column == rows.c.row)
        .group_by(rows.c.owner)
    )
    for owner, n in result:
        counts[owner] = counts.get(owner, 0) + int(n or 0)


def _remove(part: Part, ids: Sequence[int], marker: str) -> None:
    table = part.table
    values: dict[str, Any] = {
        name: case((func.coalesce(table.c[name], "") == "", table.c[name]), else_=literal(marker))
        for name in part.text
    }
    values.update({name: replace(table) for name, replace in part.identifiers.items()})
    if "version" in table.c:
        # A form still open on the record is refused rather than saving the text back.
        values["version"] = table.c.version + 1
    rows = part.rows(ids).subquery()
    db.session.execute(update(table).where(part.key_column.in_(select(rows.c.row))).values(values))


def _due(kind: str, found: list[tuple[int, str, str]], parts: tuple[Part, ...]) -> list[Due]:
    counts: dict[int, int] = {}
    for ids in _batches([i for i, _, _ in found]):
        for part in parts:
            _count(part, ids, counts)
    return [Due(kind, i, label, month, counts.get(i, 0)) for i, label, month in found]


def plan(s: Schedule) -> Plan:
    """What is past the schedule and how many values each record would lose; changes nothing."""
    return Plan(
        s,
        audits=_due("audit", _audits(s), AUDIT_PARTS),
        allocations=_due("allocation", _allocations(s), ALLOCATION_PARTS),
        dip_samples=_due("dip_sample", _dip_samples(s), DIP_SAMPLE_PARTS),
        calibration_rounds=_due(
            "calibration_round", _calibration_rounds(s), CALIBRATION_ROUND_PARTS
        ),
    )


# --- applying --------------------------------------------------------------------------------

_KINDS: dict[str, tuple[Any, tuple[Part, ...]]] = {
    "audit": (Audit, AUDIT_PARTS),
    "allocation": (Allocation, ALLOCATION_PARTS),
    "dip_sample": (DipSample, DIP_SAMPLE_PARTS),
    "calibration_round": (CalibrationRound, CALIBRATION_ROUND_PARTS),
}


def _apply_kind(kind: str, due: list[Due], s: Schedule) -> None:
    model, parts = _KINDS[kind]
    now = utcnow()
    for batch in _batches(due):
        ids = [d.id for d in batch]
        db.session.flush()
        for part in parts:
            _remove(part, ids, s.marker)
        if hasattr(model, "anonymised_at"):
            db.session.execute(update(model).where(model.id.in_(ids)).values(anonymised_at=now))
        records = {
            r.id: r
            for r in db.session.scalars(
                select(model).where(model.id.in_(ids)).options(lazyload("*"))
            )
        }
        for d in batch:
            # The removed values themselves are never copied into the log: only how many.
            after = {
                "retention_months": s.months,
                "kept_from_month": s.keep_from,
                "month": d.month,
                "values_removed": d.values,
            }
            record_change(None, f"{kind}.anonymised", records[d.id], None, after)


def apply(s: Schedule) -> Plan:
    """Anonymise everything past the schedule (in the caller's one transaction), each record
    recorded in the change log; what was done. Records already anonymised are left alone,
    so running it again changes nothing."""
    done = plan(s)
    _apply_kind("audit", done.audits, s)
    _apply_kind("allocation", done.allocations, s)
    _apply_kind("dip_sample", done.dip_samples, s)
    _apply_kind("calibration_round", done.calibration_rounds, s)
    db.session.flush()
    if done.audits:
        # Parts holding copies of the audits' words (committee report drafts' quotes) drop
        # them in this same transaction.
        app = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]
        signals.case_records_anonymised.send(app, audit_ids=[d.id for d in done.audits])
        db.session.flush()
    # The statements above bypass the loaded objects: read the records afresh.
    db.session.expire_all()
    return done
