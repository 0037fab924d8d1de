"""The dip samples completed in a period, as the reports and the API show them."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Any

from sqlalchemy import func, select

from qa_audit.actions.models import Action, ActionStatus
from qa_audit.core.extensions import db
from qa_audit.core.months import first_day, parse_month
from qa_audit.dip_samples.models import (
    DipSample,
    DipSampleCase,
    DipSampleStatus,
    dip_sample_service_area,
)


def _last_day(month: str) -> date:
    start = first_day(month)
    return date(start.year, start.month, monthrange(start.year, start.month)[1])


def dip_samples_completed(
    from_month: str, to_month: str, service_area_id: int | None = None
) -> list[dict[str, Any]]:
    """The dip samples completed in a period of months (by their completion date), oldest
    first, as plain dicts: theme, sample size and unit, cases recorded, service areas, learning
    themes, and their actions open and done. A service-area filter keeps the samples that
    looked at that area."""
    from_month = parse_month(from_month, "from")
    to_month = parse_month(to_month, "to")
    query = (
        select(DipSample)
        .where(
            DipSample.status == DipSampleStatus.COMPLETED.value,
            DipSample.completed_on >= first_day(from_month),
            DipSample.completed_on <= _last_day(to_month),
        )
        .order_by(DipSample.completed_on, DipSample.id)
    )
    if service_area_id is not None:
        query = query.where(
            DipSample.id.in_(
                select(dip_sample_service_area.c.dip_sample_id).where(
                    dip_sample_service_area.c.service_area_id == service_area_id
                )
            )
        )
    samples = list(db.session.scalars(query))
    ids = [s.id for s in samples]
    actions = _actions_open_and_done(ids)
    cases = _cases_recorded(ids)
    return [
        {
            "id": s.id,
            "theme": s.title,
            "service_areas": [a.name for a in s.service_areas],
            "period": {"from": s.period_from, "to": s.period_to},
            "sample_size": s.sample_size,
            "sample_unit": s.sample_unit,
            "sample_unit_label": s.unit_enum.label,
            "cases_recorded": cases.get(s.id, 0),
            "completed_on": s.completed_on.isoformat() if s.completed_on else None,
            "learning_themes": [t.name for t in s.learning_themes],
            "actions": {
                "open": actions.get(s.id, (0, 0))[0],
                "done": actions.get(s.id, (0, 0))[1],
            },
        }
        for s in samples
    ]


def _actions_open_and_done(sample_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not sample_ids:
        return {}
    counted = db.session.execute(
        select(
            Action.dip_sample_id,
            func.count(Action.id).filter(Action.status == ActionStatus.OPEN.value),
            func.count(Action.id).filter(Action.status == ActionStatus.DONE.value),
        )
        .where(Action.dip_sample_id.in_(sample_ids))
        .group_by(Action.dip_sample_id)
    )
    return {sample_id: (open_, done) for sample_id, open_, done in counted if sample_id is not None}


def _cases_recorded(sample_ids: list[int]) -> dict[int, int]:
    if not sample_ids:
        return {}
    return {
        sample_id: count
        for sample_id, count in db.session.execute(
            select(DipSampleCase.dip_sample_id, func.count(DipSampleCase.id))
            .where(DipSampleCase.dip_sample_id.in_(sample_ids))
            .group_by(DipSampleCase.dip_sample_id)
        )
    }
